"""Emergencies: metastatic spinal cord compression (MSCC) and hypercalcaemia of malignancy.

MSCC: NICE NG234 (2023, replaced CG75) and QS56 for steroids and imaging; Patchell 2005 for
who benefits from decompressive surgery; ASTRO 2024 for radiotherapy.
Hypercalcaemia: the Endocrine Society 2023 guideline is the newest and is followed where it
differs from the drug labels; the labels give the doses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.drugs import DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW
from bonemet.knowledge.guideline_sources import (
    ASTRO_2024,
    CURRENT_MDT_CALCITONIN,
    ENDOCRINE_SOCIETY_2023,
    NICE_NG234,
    NICE_QS56,
    PATCHELL_2005,
    XGEVA_US_PI,
    ZOMETA_US_PI,
    Fact,
)

# --- Metastatic spinal cord compression -----------------------------------------------------------

MSCC_DEXAMETHASONE_MG_PER_DAY = 16.0  # NICE NG234: 16 mg oral (or parenteral equivalent) then 16 mg daily

MSCC_DEXAMETHASONE = Fact(
    "Neurological symptoms or signs of cord compression: dexamethasone 16 mg orally (or the parenteral "
    "equivalent) as soon as possible, then 16 mg daily while awaiting surgery or radiotherapy.",
    NICE_NG234,
)
MSCC_DEXAMETHASONE_STOP = Fact("Stop dexamethasone if imaging excludes cord compression.", NICE_NG234)
MSCC_DEXAMETHASONE_TAPER = Fact(
    "After surgery, or once radiotherapy has started, reduce and stop dexamethasone.",
    NICE_NG234,
    verified=False,
    caveat="the taper schedule was truncated in the NG234 text read; tapers over about 5 days to 2 weeks are "
    "common practice",
)
MSCC_DEXAMETHASONE_WITHOUT_NEURO = Fact(
    "Without neurological symptoms or signs, corticosteroids are not routine (unless part of a radiotherapy "
    "regimen); consider them for severe pain.",
    NICE_NG234,
)
MSCC_HAEMATOLOGICAL = Fact(
    "Known haematological malignancy with spinal metastases: dexamethasone 16 mg as soon as possible and "
    "discuss further steroids with the haematology team.",
    NICE_NG234,
)
MSCC_RT_WITH_DEXAMETHASONE = Fact(
    "Radiotherapy with dexamethasone is recommended over radiotherapy alone for cord compression.", ASTRO_2024
)
MSCC_MRI_24_HOURS = Fact(
    "Suspected cord compression with neurological symptoms or signs: MRI of the whole spine and a treatment "
    "plan agreed within 24 hours of the suspected diagnosis.",
    NICE_QS56,
)
MSCC_MRI_HOURS = 24  # NICE QS56 statement 3 / NG234
MSCC_SURGERY_PLUS_RT = Fact(
    "Cord or cauda equina compression: surgery followed by radiotherapy is conditionally recommended over "
    "radiotherapy alone.",
    ASTRO_2024,
)
PATCHELL_RESULT = Fact(
    "Decompressive surgery within 24 hours plus 30 Gy/10 vs 30 Gy/10 alone (101 patients): ambulatory after "
    "treatment 84% vs 57%; ambulation kept for a median of 122 vs 13 days; 62% vs 19% of non-ambulatory "
    "patients walked again.",
    PATCHELL_2005,
)

MSCC_FACTS: tuple[Fact, ...] = (
    MSCC_MRI_24_HOURS,
    MSCC_DEXAMETHASONE,
    MSCC_DEXAMETHASONE_STOP,
    MSCC_DEXAMETHASONE_TAPER,
    MSCC_RT_WITH_DEXAMETHASONE,
    MSCC_SURGERY_PLUS_RT,
    PATCHELL_RESULT,
)

PATCHELL_MIN_SURVIVAL_MONTHS = 3.0  # eligibility: expected survival >= 3 months
PATCHELL_MAX_PARAPLEGIA_HOURS = 48.0  # exclusion: paraplegia for more than 48 hours


@dataclass(frozen=True)
class SurgicalCandidacy:
    """Patchell 2005 eligibility, item by item; `candidate` is None when an item is unknown."""

    candidate: bool | None
    met: tuple[str, ...]
    not_met: tuple[str, ...]
    unknown: tuple[str, ...]
    statement: Fact = PATCHELL_RESULT


def mscc_surgical_candidacy(
    *,
    neurological_sign_or_symptom: bool | None,
    single_area_of_compression: bool | None,
    expected_survival_months: float | None,
    radiosensitive_tumour: bool | None,
    paraplegia_hours: float | None,
    fit_for_surgery: bool | None,
    cauda_equina_or_root_only: bool | None = None,
) -> SurgicalCandidacy:
    """Would this patient have been eligible for Patchell's trial (where surgery + RT won)?

    Eligible: >= 1 neurological sign or symptom (not pain alone), a single area of
    compression (contiguous levels allowed), expected survival >= 3 months, medically fit.
    Excluded: radiosensitive tumours (lymphoma, leukaemia, myeloma, germ cell), paraplegia
    for more than 48 hours, cauda equina or root compression only. `paraplegia_hours=0`
    means not paraplegic.
    """
    met: list[str] = []
    not_met: list[str] = []
    unknown: list[str] = []

    def judge(name: str, value: bool | None) -> None:
        (unknown if value is None else met if value else not_met).append(name)

    judge("neurological sign or symptom", neurological_sign_or_symptom)
    judge("single area of compression", single_area_of_compression)
    judge(
        "expected survival >= 3 months",
        None if expected_survival_months is None else expected_survival_months >= PATCHELL_MIN_SURVIVAL_MONTHS,
    )
    judge("not a radiosensitive tumour", None if radiosensitive_tumour is None else not radiosensitive_tumour)
    judge(
        "not paraplegic for more than 48 hours",
        None if paraplegia_hours is None else paraplegia_hours <= PATCHELL_MAX_PARAPLEGIA_HOURS,
    )
    judge("fit for surgery", fit_for_surgery)
    if cauda_equina_or_root_only is not None:
        judge("cord (not only cauda equina or root) compression", not cauda_equina_or_root_only)
    candidate = False if not_met else (None if unknown else True)
    return SurgicalCandidacy(candidate, tuple(met), tuple(not_met), tuple(unknown))


# --- Hypercalcaemia of malignancy -------------------------------------------------------------------------

NORMAL_ALBUMIN_G_DL = 4.0  # mid-range albumin used by the usual implementation of the label formula
ALBUMIN_CORRECTION_FACTOR = 0.8  # mg/dL calcium per g/dL albumin below the mid-range (Zometa US PI 1.1)
NORMAL_ALBUMIN_G_L = 40.0
ALBUMIN_CORRECTION_FACTOR_SI = 0.02  # mmol/L calcium per g/L albumin (SI form of the same formula)

CORRECTED_CALCIUM_FORMULA = Fact(
    "Albumin-corrected calcium (mg/dL) = measured calcium + 0.8 x (4.0 - albumin in g/dL); in SI units, "
    "calcium (mmol/L) + 0.02 x (40 - albumin in g/L).",
    ZOMETA_US_PI,
)


def corrected_calcium_mg_dl(
    calcium_mg_dl: float, albumin_g_dl: float, normal_albumin_g_dl: float = NORMAL_ALBUMIN_G_DL
) -> float:
    """Albumin-corrected calcium, mg/dL: Ca + 0.8 x (normal albumin - albumin) (Zometa US PI 1.1).

    The label writes "mid-range albumin"; 4.0 g/dL is the usual value and the default here.
    """
    _check_positive(calcium_mg_dl=calcium_mg_dl, albumin_g_dl=albumin_g_dl)
    return calcium_mg_dl + ALBUMIN_CORRECTION_FACTOR * (normal_albumin_g_dl - albumin_g_dl)


def corrected_calcium_mmol_l(
    calcium_mmol_l: float, albumin_g_l: float, normal_albumin_g_l: float = NORMAL_ALBUMIN_G_L
) -> float:
    """The same correction in SI units: Ca + 0.02 x (40 - albumin g/L)."""
    _check_positive(calcium_mmol_l=calcium_mmol_l, albumin_g_l=albumin_g_l)
    return calcium_mmol_l + ALBUMIN_CORRECTION_FACTOR_SI * (normal_albumin_g_l - albumin_g_l)


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if math.isnan(value) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")


class HypercalcaemiaGrade(StrEnum):
    none = "none"
    mild = "mild"
    moderate = "moderate"
    severe = "severe"


# Moderate from 12 mg/dL (3.0 mmol/L): the Zometa label's treatment threshold; severe above
# 14 mg/dL (3.5 mmol/L): the Endocrine Society 2023 definition. The mild/moderate/severe
# naming (10-11.9, 12-13.9, >= 14) is conventional in secondary sources.
MODERATE_FROM_MG_DL = 12.0
SEVERE_ABOVE_MG_DL = 14.0
# Laboratory upper limits of normal differ; 10.5 mg/dL is a common value and only the default.
DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL = 10.5


def hypercalcaemia_grade(
    corrected_calcium: float, upper_limit_of_normal_mg_dl: float = DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL
) -> HypercalcaemiaGrade:
    """Grade albumin-corrected calcium in mg/dL.

    Severe: > 14 mg/dL (Endocrine Society 2023; secondary sources write >= 14). Moderate:
    12 to 14. Mild: above the laboratory's upper limit of normal, below 12. None: at or
    below the upper limit of normal.
    """
    if math.isnan(corrected_calcium):
        raise ValueError("corrected calcium must be a number")
    if corrected_calcium > SEVERE_ABOVE_MG_DL:
        return HypercalcaemiaGrade.severe
    if corrected_calcium >= MODERATE_FROM_MG_DL:
        return HypercalcaemiaGrade.moderate
    if corrected_calcium > upper_limit_of_normal_mg_dl:
        return HypercalcaemiaGrade.mild
    return HypercalcaemiaGrade.none


GRADE_SOURCES = Fact(
    "Severe hypercalcaemia of malignancy: calcium > 14 mg/dL (3.5 mmol/L). Zoledronic acid is labelled for "
    "corrected calcium >= 12 mg/dL (3.0 mmol/L).",
    ENDOCRINE_SOCIETY_2023,
)

# Treatment steps.
HYDRATION = Fact(
    "Rehydrate with IV saline first, aiming for a urine output of about 2 L/day; loop diuretics only after "
    "volume repletion; avoid overhydration in heart failure. Mild or asymptomatic hypercalcaemia may be "
    "managed with hydration alone.",
    ZOMETA_US_PI,
)
ANTIRESORPTIVE = Fact(
    "Treat hypercalcaemia of malignancy with denosumab or an IV bisphosphonate (strong recommendation), "
    "together with IV hydration; denosumab is suggested over an IV bisphosphonate (conditional, low "
    "certainty).",
    ENDOCRINE_SOCIETY_2023,
)
ZOLEDRONIC_ACID_HCM_DOSE = Fact(
    "Zoledronic acid for hypercalcaemia of malignancy: 4 mg (maximum) IV over at least 15 minutes, once; "
    "retreat only after at least 7 days. No dose adjustment for mild-to-moderate renal impairment (serum "
    "creatinine < 4.5 mg/dL).",
    ZOMETA_US_PI,
)
ZOLEDRONIC_ACID_HCM_MG = 4.0
ZOLEDRONIC_ACID_HCM_RETREAT_AFTER_DAYS = 7
ZOLEDRONIC_ACID_HCM_NO_ADJUSTMENT_BELOW_CREATININE_MG_DL = 4.5
CALCITONIN = Fact(
    "Severe hypercalcaemia (> 14 mg/dL): add calcitonin to the IV bisphosphonate or denosumab as initial "
    "therapy; calcitonin 4 IU/kg SC or IM every 12 hours (may be increased to 8 IU/kg) acts within hours "
    "but loses effect within about 48 hours - a bridge only.",
    ENDOCRINE_SOCIETY_2023,
)
CALCITONIN_DOSE = Fact(
    "Calcitonin 4 IU/kg SC or IM every 12 hours, may be increased to 8 IU/kg.",
    CURRENT_MDT_CALCITONIN,
    verified=False,
    caveat="the label maximum (8 IU/kg every 6 hours) was not retrieved",
)
DENOSUMAB_REFRACTORY = Fact(
    "Hypercalcaemia refractory or recurrent despite an IV bisphosphonate: denosumab 120 mg SC every 4 weeks "
    "with extra 120 mg doses on days 8 and 15 of the first month (Xgeva label); the Endocrine Society 2023 "
    "suggests denosumab here.",
    XGEVA_US_PI,
)
DENOSUMAB_RENAL_FAILURE = Fact(
    "With creatinine clearance < 30 mL/min denosumab needs no renal dose adjustment and is preferred, but "
    "hypocalcaemia after treatment is more likely: monitor calcium closely.",
    XGEVA_US_PI,
)
CALCITRIOL_MEDIATED = Fact(
    "Hypercalcaemia from raised calcitriol (lymphoma, granulomatous disease): glucocorticoids first; add a "
    "bisphosphonate or denosumab if severe or symptomatic despite steroids.",
    ENDOCRINE_SOCIETY_2023,
)
LABEL_VS_GUIDELINE = (
    "The Xgeva label restricts denosumab to hypercalcaemia refractory to bisphosphonates, while the "
    "Endocrine Society 2023 guideline (newer) suggests it as first choice; both are shown and the "
    "guideline is followed."
)


@dataclass(frozen=True)
class HypercalcaemiaPlan:
    grade: HypercalcaemiaGrade
    steps: tuple[Fact, ...]
    note: str | None = None


def hypercalcaemia_plan(
    corrected_calcium: float,
    *,
    crcl_ml_min: float | None = None,
    refractory_to_bisphosphonate: bool = False,
    calcitriol_mediated: bool = False,
    upper_limit_of_normal_mg_dl: float = DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL,
) -> HypercalcaemiaPlan:
    """The treatment steps for albumin-corrected calcium in mg/dL (no steps when not raised).

    Hydration always; an antiresorptive (denosumab suggested over an IV bisphosphonate by
    the Endocrine Society 2023; zoledronic acid 4 mg at the label dose) from moderate
    hypercalcaemia, or when mild and symptomatic (the caller decides: mild returns hydration
    with the antiresorptive as an option); calcitonin added when severe; denosumab when
    refractory to a bisphosphonate or when creatinine clearance is < 30 mL/min;
    glucocorticoids first when calcitriol-mediated.
    """
    grade = hypercalcaemia_grade(corrected_calcium, upper_limit_of_normal_mg_dl)
    if grade is HypercalcaemiaGrade.none:
        return HypercalcaemiaPlan(grade, ())
    steps: list[Fact] = [HYDRATION]
    if calcitriol_mediated:
        steps.append(CALCITRIOL_MEDIATED)
    steps += [ANTIRESORPTIVE, ZOLEDRONIC_ACID_HCM_DOSE]
    if grade is HypercalcaemiaGrade.severe:
        steps += [CALCITONIN, CALCITONIN_DOSE]
    if refractory_to_bisphosphonate:
        steps.append(DENOSUMAB_REFRACTORY)
    if crcl_ml_min is not None and crcl_ml_min < DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW:
        steps.append(DENOSUMAB_RENAL_FAILURE)
    return HypercalcaemiaPlan(grade, tuple(steps), LABEL_VS_GUIDELINE)
