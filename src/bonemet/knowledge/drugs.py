"""Bone-modifying agents for bone metastases: zoledronic acid, pamidronate, denosumab.

Doses, renal rules and cautions are copied from the oncology labels (Zometa, Aredia,
Xgeva; US prescribing information and EU SmPC) and the guidelines (ASCO-CCO 2017 for
breast, ASCO 2020 for prostate, ESMO 2020 for all solid tumours). Each number sits next
to its source.

Two products share each active ingredient, at very different doses: the oncology product
(Zometa 4 mg every 3-4 weeks, Xgeva 120 mg every 4 weeks) and the osteoporosis product
(Reclast/Aclasta 5 mg once a year, Prolia 60 mg every 6 months). The `Drug` record names
both so that the two are never confused; a patient must not receive both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import (
    AAOS_MBD,
    AREDIA_US_PI,
    ASCO_2017_BMA,
    ASCO_2020_PROSTATE,
    CALGB_70604,
    ESMO_2020,
    FIZAZI_2011,
    NICE_TA265,
    PROLIA_US_PI,
    RECLAST_US_PI,
    SAAD_2012,
    SWOG_S0702,
    XGEVA_SMPC,
    XGEVA_US_PI,
    ZOMETA_SMPC,
    ZOMETA_US_PI,
    Fact,
)
from bonemet.model.vocabulary import BoneModifyingAgent, Primary

# --- Records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indication:
    """A guideline or label statement on using an agent for a primary (None: any solid tumour)."""

    primary: Primary | None
    statement: str
    citation: Citation
    strength: str | None = None  # e.g. "[I, A]" (ESMO) or "strong, high-quality evidence" (ASCO)


@dataclass(frozen=True)
class Drug:
    agent: BoneModifyingAgent
    generic_name: str
    oncology_product: str
    osteoporosis_products: tuple[str, ...]
    osteoporosis_dose: str
    dose_mg: float
    route: str
    infusion_minutes_at_least: int | None  # None for a subcutaneous injection
    interval: str
    dose_citation: Citation
    renal_rule: Fact
    indications: tuple[Indication, ...]
    cautions: tuple[Fact, ...]

    @cached_property  # drugs are constants; rules print it on every assessment
    def dose_text(self) -> str:
        infusion = f" over at least {self.infusion_minutes_at_least} minutes" if self.infusion_minutes_at_least else ""
        return f"{self.dose_mg:g} mg {self.route}{infusion} {self.interval}"


# --- Shared cautions ------------------------------------------------------------------------------

DENTAL_EXAMINATION_BEFORE_BMA = Fact(
    "Dental examination and preventive dentistry before the first dose of any bone-modifying agent; "
    "avoid invasive dental procedures during treatment where possible.",
    ASCO_2017_BMA,
)
ONJ_INCIDENCE_ZOLEDRONIC_ACID = Fact(
    # SWOG S0702: 3,491 patients starting zoledronic acid for bone metastases.
    "Osteonecrosis of the jaw with zoledronic acid: cumulative incidence 0.8% at 1 year, 2.0% at 2 years, "
    "2.8% at 3 years; highest in myeloma, lowest in breast cancer; more frequent dosing and poor oral "
    "health raise the risk.",
    SWOG_S0702,
)
ONJ_INCIDENCE_DENOSUMAB_VS_ZA = Fact(
    # Integrated analysis of three phase III trials, 5,723 patients.
    "Osteonecrosis of the jaw: 1.8% with denosumab vs 1.3% with zoledronic acid (p = 0.13); 61.8% of cases "
    "followed tooth extraction and over 95% were managed conservatively.",
    SAAD_2012,
)
BMA_NOT_ALONE_FOR_PAIN = Fact(
    "The analgesic effect of bone-modifying agents is modest: they should not be used alone for bone pain.",
    ASCO_2017_BMA,
)
CREATININE_BEFORE_EACH_BISPHOSPHONATE = Fact(
    "Measure serum creatinine before each dose of an intravenous bisphosphonate.", ASCO_2017_BMA
)

# --- Zoledronic acid (Zometa) ------------------------------------------------------------------------

ZOLEDRONIC_ACID_STANDARD_DOSE_MG = 4.0  # Zometa US PI section 2: CrCl > 60 mL/min
ZOLEDRONIC_ACID_MIN_INFUSION_MINUTES = 15  # Zometa US PI: "over no less than 15 minutes"
# Below this baseline creatinine clearance the label does not recommend the drug for bone
# metastases (EU SmPC: "severe renal impairment ... CLcr < 30 mL/min"; US trials excluded
# serum creatinine > 3.0 mg/dL).
ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN = 30.0
# Renal-deterioration rule (Zometa US PI section 2.4): baseline serum creatinine below this is
# "normal"; the US label's adverse-reaction section counts >= 1.4 mg/dL as abnormal.
ZOLEDRONIC_ACID_NORMAL_BASELINE_BELOW_MG_DL = 1.4
ZOLEDRONIC_ACID_RISE_NORMAL_BASELINE_MG_DL = 0.5  # Zometa US PI: "increase of 0.5 mg/dL"
ZOLEDRONIC_ACID_RISE_ABNORMAL_BASELINE_MG_DL = 1.0  # Zometa US PI: "increase of 1.0 mg/dL"
ZOLEDRONIC_ACID_RESUME_WITHIN_FRACTION = 0.10  # resume "when creatinine returned to within 10% of baseline"

# Floating-point sums such as 0.9 + 0.5 are not exact; creatinine is reported to 0.01 mg/dL,
# so comparisons are made after rounding to 6 decimals.
_DECIMALS = 6


@dataclass(frozen=True)
class ZoledronicDose:
    """One row of the Zometa renal dose table (US PI Table 1 = EU SmPC table)."""

    dose_mg: float
    crcl_band: str  # as printed in the label, mL/min
    ready_to_use_bottle_remove_ml: float | None  # from the 4 mg/100 mL bottle, replace with NS or D5W
    concentrate_withdraw_ml: float  # from the 4 mg/5 mL concentrate, then dilute in 100 mL
    citation: Citation = ZOMETA_US_PI

    @property
    def text(self) -> str:
        return (
            f"zoledronic acid {self.dose_mg:g} mg IV over at least {ZOLEDRONIC_ACID_MIN_INFUSION_MINUTES} "
            f"minutes every 3-4 weeks (baseline creatinine clearance {self.crcl_band} mL/min)"
        )


# The label doses aim at the exposure (AUC 0.66 mg*h/L) of a patient with CrCl 75 mL/min.
# Volumes: Zometa US PI "Preparing reduced doses" (bottle: remove 12/18/25 mL) and EU SmPC
# (concentrate: withdraw 4.4/4.1/3.8 mL).
_ZA_ABOVE_60 = ZoledronicDose(4.0, "> 60", None, 5.0)
_ZA_50_TO_60 = ZoledronicDose(3.5, "50-60", 12.0, 4.4)
_ZA_40_TO_49 = ZoledronicDose(3.3, "40-49", 18.0, 4.1)
_ZA_30_TO_39 = ZoledronicDose(3.0, "30-39", 25.0, 3.8)
ZOLEDRONIC_ACID_RENAL_TABLE: tuple[ZoledronicDose, ...] = (
    _ZA_ABOVE_60,
    _ZA_50_TO_60,
    _ZA_40_TO_49,
    _ZA_30_TO_39,
)

ZOLEDRONIC_ACID_SEVERE_RENAL_IMPAIRMENT = Fact(
    "Zoledronic acid is not recommended for bone metastases when the baseline creatinine clearance is "
    "below 30 mL/min (severe renal impairment; the trials excluded serum creatinine > 3.0 mg/dL).",
    ZOMETA_SMPC,
)


def _check_crcl(crcl_ml_min: float) -> None:
    if math.isnan(crcl_ml_min) or crcl_ml_min < 0:
        raise ValueError(f"creatinine clearance must be a non-negative number, got {crcl_ml_min!r}")


def zoledronic_acid_dose(crcl_ml_min: float) -> ZoledronicDose | None:
    """The Zometa dose for a baseline creatinine clearance (Cockcroft-Gault), or None below 30.

    The label prints integer bands (> 60, 50-60, 40-49, 30-39). A measured clearance between
    two printed bands (e.g. 49.5) takes the band whose lower edge it has reached: >= 50 and
    <= 60 gives 3.5 mg, >= 40 and < 50 gives 3.3 mg, >= 30 and < 40 gives 3.0 mg. So 60.0
    gives 3.5 mg, 60.1 gives 4.0 mg, 30.0 gives 3.0 mg and 29.9 gives None: see
    `zoledronic_acid_not_recommended_reason` for the reason. The dose is set from the
    baseline clearance and kept; later rises in creatinine are handled by
    `zoledronic_acid_hold`, not by re-dosing.
    """
    _check_crcl(crcl_ml_min)
    if crcl_ml_min > 60:
        return _ZA_ABOVE_60
    if crcl_ml_min >= 50:
        return _ZA_50_TO_60
    if crcl_ml_min >= 40:
        return _ZA_40_TO_49
    if crcl_ml_min >= ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN:
        return _ZA_30_TO_39
    return None


def zoledronic_acid_not_recommended_reason(crcl_ml_min: float) -> Fact | None:
    """Why there is no zoledronic acid dose for this clearance (None when there is one)."""
    _check_crcl(crcl_ml_min)
    if crcl_ml_min < ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN:
        return ZOLEDRONIC_ACID_SEVERE_RENAL_IMPAIRMENT
    return None


def _creatinine_rise_threshold(baseline_creatinine_mg_dl: float) -> float:
    if baseline_creatinine_mg_dl < ZOLEDRONIC_ACID_NORMAL_BASELINE_BELOW_MG_DL:
        return ZOLEDRONIC_ACID_RISE_NORMAL_BASELINE_MG_DL
    return ZOLEDRONIC_ACID_RISE_ABNORMAL_BASELINE_MG_DL


def _check_creatinine(*values: float) -> None:
    for value in values:
        if math.isnan(value) or value <= 0:
            raise ValueError(f"serum creatinine must be a positive number in mg/dL, got {value!r}")


def zoledronic_acid_hold(baseline_creatinine_mg_dl: float, current_creatinine_mg_dl: float) -> bool:
    """True when the label's renal deterioration rule says to withhold the next dose.

    Zometa US PI 2.4: withhold for a rise in serum creatinine of 0.5 mg/dL when the baseline
    was normal (< 1.4 mg/dL), or of 1.0 mg/dL when it was abnormal (>= 1.4 mg/dL). A rise of
    exactly the threshold counts as deterioration.
    """
    _check_creatinine(baseline_creatinine_mg_dl, current_creatinine_mg_dl)
    rise = round(current_creatinine_mg_dl - baseline_creatinine_mg_dl, _DECIMALS)
    return rise >= _creatinine_rise_threshold(baseline_creatinine_mg_dl)


def zoledronic_acid_may_resume(baseline_creatinine_mg_dl: float, current_creatinine_mg_dl: float) -> bool:
    """True when creatinine is back within 10% of baseline (label: then resume at the same dose)."""
    _check_creatinine(baseline_creatinine_mg_dl, current_creatinine_mg_dl)
    ceiling = round(baseline_creatinine_mg_dl * (1 + ZOLEDRONIC_ACID_RESUME_WITHIN_FRACTION), _DECIMALS)
    return round(current_creatinine_mg_dl, _DECIMALS) <= ceiling


ZOLEDRONIC_ACID_HOLD_RULE = Fact(
    "Measure serum creatinine before each zoledronic acid dose. Withhold for a rise of 0.5 mg/dL "
    "(normal baseline, < 1.4 mg/dL) or 1.0 mg/dL (abnormal baseline); resume only when creatinine is "
    "within 10% of baseline, at the same dose as before.",
    ZOMETA_US_PI,
)

ZOLEDRONIC_ACID = Drug(
    agent=BoneModifyingAgent.zoledronic_acid,
    generic_name="zoledronic acid",
    oncology_product="Zometa",
    osteoporosis_products=("Reclast", "Aclasta"),
    osteoporosis_dose="5 mg IV once yearly (Reclast/Aclasta); not interchangeable with Zometa",
    dose_mg=ZOLEDRONIC_ACID_STANDARD_DOSE_MG,
    route="IV",
    infusion_minutes_at_least=ZOLEDRONIC_ACID_MIN_INFUSION_MINUTES,
    interval="every 3-4 weeks",
    dose_citation=ZOMETA_US_PI,
    renal_rule=Fact(
        "Dose by baseline creatinine clearance (Cockcroft-Gault): > 60 mL/min 4.0 mg; 50-60 3.5 mg; "
        "40-49 3.3 mg; 30-39 3.0 mg; < 30 not recommended.",
        ZOMETA_US_PI,
    ),
    indications=(
        Indication(
            None,
            "Multiple myeloma and documented bone metastases from solid tumours, with standard "
            "antineoplastic therapy; prostate cancer should have progressed after at least one "
            "hormonal therapy.",
            ZOMETA_US_PI,
        ),
        Indication(
            None,
            "Hypercalcaemia of malignancy with albumin-corrected calcium >= 12 mg/dL (3.0 mmol/L).",
            ZOMETA_US_PI,
        ),
    ),
    cautions=(
        ZOLEDRONIC_ACID_HOLD_RULE,
        Fact(
            "Every 12 weeks is an accepted alternative to every 3-4 weeks: in CALGB 70604 (1,822 patients "
            "with breast cancer, prostate cancer or myeloma) 29.5% (4-weekly) vs 28.6% (12-weekly) had a "
            "skeletal-related event within 2 years, non-inferior.",
            CALGB_70604,
            verified=False,
            caveat="the event percentages (29.5% vs 28.6%) could not be confirmed in our sources; what is "
            "supported is that zoledronic acid every 12 weeks was non-inferior to every 4 weeks for "
            "skeletal-related events over 2 years (Himelstein, JAMA 2017)",
        ),
        Fact(
            "Same active ingredient as Reclast/Aclasta: do not give both, nor another bisphosphonate.",
            ZOMETA_US_PI,
        ),
        DENTAL_EXAMINATION_BEFORE_BMA,
        ONJ_INCIDENCE_ZOLEDRONIC_ACID,
    ),
)

# --- Pamidronate (Aredia) ------------------------------------------------------------------------

# Aredia US PI, dosage: osteolytic bone metastases of breast cancer, 90 mg as a 2-hour infusion
# every 3-4 weeks; osteolytic lesions of multiple myeloma, 90 mg as a 4-hour infusion given on a
# monthly basis. The dose is the same; the infusion time and interval follow the primary.
PAMIDRONATE_DOSE_MG = 90.0
PAMIDRONATE_BREAST_INFUSION_MINUTES = 120
PAMIDRONATE_BREAST_INTERVAL = "every 3-4 weeks"
PAMIDRONATE_MYELOMA_INFUSION_MINUTES = 240
PAMIDRONATE_MYELOMA_INTERVAL = "monthly"


@dataclass(frozen=True)
class PamidronateRegimen:
    """One of the two Aredia label regimens for bone disease (breast metastases, myeloma)."""

    indication: str  # the label's wording, e.g. "osteolytic lesions of multiple myeloma"
    dose_mg: float
    infusion_minutes: int
    interval: str
    statement: Fact

    @property
    def infusion(self) -> str:
        return f"over {self.infusion_minutes // 60} hours"

    @property
    def text(self) -> str:
        return f"{self.dose_mg:g} mg IV {self.infusion} {self.interval}"


PAMIDRONATE_BREAST_REGIMEN = PamidronateRegimen(
    indication="osteolytic bone metastases of breast cancer",
    dose_mg=PAMIDRONATE_DOSE_MG,
    infusion_minutes=PAMIDRONATE_BREAST_INFUSION_MINUTES,
    interval=PAMIDRONATE_BREAST_INTERVAL,
    statement=Fact(
        "Osteolytic bone metastases of breast cancer: 90 mg IV over 2 hours every 3-4 weeks.",
        AREDIA_US_PI,
    ),
)
PAMIDRONATE_MYELOMA_REGIMEN = PamidronateRegimen(
    indication="osteolytic lesions of multiple myeloma",
    dose_mg=PAMIDRONATE_DOSE_MG,
    infusion_minutes=PAMIDRONATE_MYELOMA_INFUSION_MINUTES,
    interval=PAMIDRONATE_MYELOMA_INTERVAL,
    statement=Fact(
        "Osteolytic lesions of multiple myeloma: 90 mg IV as a 4-hour infusion monthly.",
        AREDIA_US_PI,
    ),
)


def pamidronate_regimen(primary: Primary | None) -> PamidronateRegimen:
    """The Aredia regimen for a primary: the myeloma regimen for myeloma, else the breast regimen.

    The label's only solid-tumour regimen is the breast one; for other solid tumours pamidronate
    is off-label (see the PAMIDRONATE indications) and that regimen is the one shown.
    """
    return PAMIDRONATE_MYELOMA_REGIMEN if primary is Primary.myeloma else PAMIDRONATE_BREAST_REGIMEN


# The label has no creatinine-clearance dose table. Severe renal impairment (PK data limited
# below CrCl 30 mL/min; serum creatinine > 3.0 mg/dL not studied): not recommended for bone
# metastases.
PAMIDRONATE_SEVERE_RENAL_CRCL_BELOW = 30.0

PAMIDRONATE_RENAL_CAUTIONS: tuple[Fact, ...] = (
    Fact("Measure serum creatinine before each pamidronate dose.", AREDIA_US_PI),
    Fact(
        "Withhold for renal deterioration (a rise of 0.5 mg/dL with a normal baseline, 1.0 mg/dL with an "
        "abnormal baseline); resume when creatinine is within 10% of baseline.",
        AREDIA_US_PI,
    ),
    Fact(
        "No creatinine-clearance dose table: patients with serum creatinine > 3.0 mg/dL were not studied "
        "and pharmacokinetic data below 30 mL/min are limited. For bone metastases, use in severe renal "
        "impairment is not recommended.",
        AREDIA_US_PI,
    ),
    Fact(
        "In pre-existing mild-to-moderate renal impairment consider reducing the initial pamidronate dose; "
        "infuse over no less than 2 hours.",
        ASCO_2017_BMA,
        verified=False,
        caveat="the dose-reduction advice is quoted from secondary summaries of the ASCO guidelines",
    ),
)


def pamidronate_hold(baseline_creatinine_mg_dl: float, current_creatinine_mg_dl: float) -> bool:
    """Same renal-deterioration rule as zoledronic acid (pamidronate label)."""
    return zoledronic_acid_hold(baseline_creatinine_mg_dl, current_creatinine_mg_dl)


def pamidronate_not_recommended_reason(crcl_ml_min: float) -> Fact | None:
    """The label caution when creatinine clearance is in the severe range, else None."""
    _check_crcl(crcl_ml_min)
    if crcl_ml_min < PAMIDRONATE_SEVERE_RENAL_CRCL_BELOW:
        return PAMIDRONATE_RENAL_CAUTIONS[2]
    return None


PAMIDRONATE = Drug(
    agent=BoneModifyingAgent.pamidronate,
    generic_name="pamidronate",
    oncology_product="Aredia",
    osteoporosis_products=(),
    osteoporosis_dose="no osteoporosis product",
    dose_mg=PAMIDRONATE_DOSE_MG,
    route="IV",
    # The record's single dose is the breast regimen; pamidronate_regimen(primary) gives the
    # myeloma one (4-hour infusion, monthly) when the primary is myeloma.
    infusion_minutes_at_least=PAMIDRONATE_BREAST_INFUSION_MINUTES,
    interval=PAMIDRONATE_BREAST_INTERVAL,
    dose_citation=AREDIA_US_PI,
    renal_rule=PAMIDRONATE_RENAL_CAUTIONS[2],
    indications=(
        Indication(Primary.breast, PAMIDRONATE_BREAST_REGIMEN.statement.statement, AREDIA_US_PI),
        Indication(Primary.myeloma, PAMIDRONATE_MYELOMA_REGIMEN.statement.statement, AREDIA_US_PI),
        Indication(
            None,
            "Labelled only for breast metastases, myeloma, hypercalcaemia of malignancy and Paget disease; "
            "use for bone metastases of other solid tumours is off-label.",
            AREDIA_US_PI,
        ),
    ),
    cautions=(*PAMIDRONATE_RENAL_CAUTIONS, DENTAL_EXAMINATION_BEFORE_BMA),
)

# --- Denosumab (Xgeva) -------------------------------------------------------------------------------

DENOSUMAB_DOSE_MG = 120.0  # Xgeva US PI: 120 mg SC every 4 weeks; no renal dose adjustment
# Xgeva US PI (June 2014 labelling change): hypocalcaemia risk highest with CrCl < 30 mL/min
# and/or dialysis, and with inadequate or no calcium supplementation.
DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW = 30.0

DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST = Fact(
    "Correct pre-existing hypocalcaemia before starting denosumab (contraindication); severe, "
    "symptomatic and fatal hypocalcaemia has been reported. Monitor calcium, especially in the first "
    "weeks.",
    XGEVA_US_PI,
)
DENOSUMAB_SEVERE_RENAL_CAUTION = Fact(
    "Denosumab needs no renal dose adjustment, but hypocalcaemia is most frequent with creatinine "
    "clearance < 30 mL/min or dialysis: monitor calcium closely and supplement calcium and vitamin D.",
    XGEVA_US_PI,
)


def denosumab_renal_caution(crcl_ml_min: float | None, on_dialysis: bool = False) -> Fact | None:
    """The hypocalcaemia warning when clearance is < 30 mL/min or the patient is on dialysis."""
    if on_dialysis:
        return DENOSUMAB_SEVERE_RENAL_CAUTION
    if crcl_ml_min is None:
        return None
    _check_crcl(crcl_ml_min)
    if crcl_ml_min < DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW:
        return DENOSUMAB_SEVERE_RENAL_CAUTION
    return None


DENOSUMAB = Drug(
    agent=BoneModifyingAgent.denosumab,
    generic_name="denosumab",
    oncology_product="Xgeva",
    osteoporosis_products=("Prolia",),
    osteoporosis_dose="60 mg SC every 6 months (Prolia); not interchangeable with Xgeva",
    dose_mg=DENOSUMAB_DOSE_MG,
    route="SC",
    infusion_minutes_at_least=None,
    interval="every 4 weeks",
    dose_citation=XGEVA_US_PI,
    renal_rule=DENOSUMAB_SEVERE_RENAL_CAUTION,
    indications=(
        Indication(
            None,
            "Prevention of skeletal-related events in multiple myeloma and in bone metastases from solid "
            "tumours; hypercalcaemia of malignancy refractory to bisphosphonates (120 mg every 4 weeks "
            "plus 120 mg on days 8 and 15 of the first month).",
            XGEVA_US_PI,
        ),
    ),
    cautions=(
        DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST,
        DENOSUMAB_SEVERE_RENAL_CAUTION,
        Fact(
            "Hypocalcaemia in the prostate trial: 13% with denosumab vs 6% with zoledronic acid.",
            FIZAZI_2011,
        ),
        Fact(
            "Same active ingredient as Prolia: do not give both, and do not combine with a bisphosphonate.",
            XGEVA_US_PI,
        ),
        # Only the FDA action is stated; whether the Xgeva label itself carries a boxed warning is
        # not asserted (it could not be confirmed in our sources).
        Fact(
            "In January 2024 the FDA added a boxed warning for severe hypocalcaemia in patients with advanced "
            "chronic kidney disease to Prolia, not to Xgeva.",
            PROLIA_US_PI,
        ),
        Fact(
            "Multiple vertebral fractures have been reported after stopping denosumab, especially with "
            "osteoporosis or prior fractures.",
            XGEVA_SMPC,
        ),
        Fact("Atypical femoral fractures have been reported.", XGEVA_US_PI),
        DENTAL_EXAMINATION_BEFORE_BMA,
        ONJ_INCIDENCE_DENOSUMAB_VS_ZA,
    ),
)

DRUGS: dict[BoneModifyingAgent, Drug] = {
    BoneModifyingAgent.zoledronic_acid: ZOLEDRONIC_ACID,
    BoneModifyingAgent.pamidronate: PAMIDRONATE,
    BoneModifyingAgent.denosumab: DENOSUMAB,
}

OSTEOPOROSIS_PRODUCTS_NOT_FOR_METASTASES: tuple[Fact, ...] = (
    Fact("Reclast/Aclasta (zoledronic acid 5 mg IV once yearly) is the osteoporosis product.", RECLAST_US_PI),
    Fact("Prolia (denosumab 60 mg SC every 6 months) is the osteoporosis product.", PROLIA_US_PI),
)


def drug(agent: BoneModifyingAgent) -> Drug:
    """The record for an agent; BoneModifyingAgent.none has none (KeyError)."""
    return DRUGS[agent]


# --- Calcium and vitamin D ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Supplement:
    calcium_mg_daily: float
    vitamin_d_iu_daily: float
    statement: Fact


ZOLEDRONIC_ACID_SUPPLEMENT = Supplement(
    500.0,
    400.0,  # Zometa US PI: "oral calcium supplement of 500 mg and a multiple vitamin containing 400 IU"
    Fact(
        "With zoledronic acid for myeloma or bone metastases: oral calcium 500 mg and a multivitamin "
        "containing 400 IU vitamin D daily.",
        ZOMETA_US_PI,
    ),
)
DENOSUMAB_SUPPLEMENT = Supplement(
    500.0,
    400.0,  # Xgeva EU SmPC: "at least 500 mg calcium and 400 IU vitamin D daily ... unless hypercalcaemia"
    Fact(
        "With denosumab: at least 500 mg calcium and 400 IU vitamin D daily in all patients unless "
        "hypercalcaemia is present (EU SmPC; the US label says to give calcium and vitamin D as "
        "necessary to treat or prevent hypocalcaemia).",
        XGEVA_SMPC,
    ),
)


def calcium_vitamin_d_supplement(agent: BoneModifyingAgent, hypercalcaemic: bool) -> Supplement | None:
    """The label's daily calcium and vitamin D with an agent; None when hypercalcaemic or unstated.

    Pamidronate returns None: no supplement amount is stated in the label text read here.
    """
    if hypercalcaemic:
        return None
    if agent is BoneModifyingAgent.zoledronic_acid:
        return ZOLEDRONIC_ACID_SUPPLEMENT
    if agent is BoneModifyingAgent.denosumab:
        return DENOSUMAB_SUPPLEMENT
    return None


# --- Which agent, by primary and renal function -------------------------------------------------------


@dataclass(frozen=True)
class AgentChoice:
    """The agents guidelines support for a primary, in the order they are listed, with reasons.

    `recommended` is False when the guidelines do not support a bone-modifying agent in this
    setting (e.g. castration-sensitive prostate cancer); `options` is then empty.
    """

    recommended: bool
    options: tuple[BoneModifyingAgent, ...]
    statements: tuple[Fact, ...]
    guideline_differences: str | None = None


_BREAST = (
    Fact(
        "Breast cancer with bone metastases, symptomatic or not: a bone-modifying agent is recommended - "
        "denosumab 120 mg SC every 4 weeks, pamidronate 90 mg IV every 3-4 weeks, or zoledronic acid 4 mg "
        "IV every 12 weeks or every 3-4 weeks. No agent is preferred (strong recommendation, high-quality "
        "evidence).",
        ASCO_2017_BMA,
    ),
    Fact("Breast cancer with bone metastases: start zoledronic acid or denosumab [I, A].", ESMO_2020),
)
_BREAST_DIFFERENCE = (
    "ASCO-CCO 2017 lists denosumab, pamidronate and zoledronic acid with no preference; ESMO 2020 names "
    "zoledronic acid or denosumab. Both are followed: all three are offered, zoledronic acid and denosumab "
    "first because both guidelines name them."
)
_PROSTATE_CRPC = (
    Fact(
        "Metastatic castration-resistant prostate cancer: zoledronic acid (asymptomatic or minimally "
        "symptomatic) or denosumab (regardless of symptoms), at bone-metastasis doses, to prevent or delay "
        "skeletal-related events.",
        ASCO_2020_PROSTATE,
    ),
    Fact(
        "Castration-resistant prostate cancer with bone metastases: zoledronic acid or denosumab [I, A].",
        ESMO_2020,
    ),
    Fact(
        "Zoledronic acid label: prostate cancer should have progressed after at least one hormonal therapy.",
        ZOMETA_US_PI,
    ),
)
_PROSTATE_DIFFERENCE = (
    "NICE TA265 (UK) does not recommend denosumab for prostate cancer (cost-effectiveness), unlike ASCO 2020 "
    "and ESMO 2020; outside the UK both agents are options."
)
_PROSTATE_CASTRATION_SENSITIVE = Fact(
    "Castration-sensitive prostate cancer with bone metastases: insufficient evidence to recommend a "
    "bone-modifying agent at bone-metastasis doses.",
    ASCO_2020_PROSTATE,
)
_OTHER_SOLID = (
    Fact(
        "Lung, renal and other solid tumours: start zoledronic acid or denosumab when life expectancy is "
        ">= 3 months and bone metastases are significant [I, B].",
        ESMO_2020,
    ),
    Fact(
        "Consider a bone-modifying agent for any metastatic carcinoma with bone lesions at risk of fracture, "
        "regardless of histology (consensus).",
        AAOS_MBD,
    ),
)
_OTHER_SOLID_DIFFERENCE = (
    "No ASCO guideline for bone metastases of non-breast, non-prostate solid tumours was found (the 2022 "
    "ASCO-OH document is on adjuvant therapy in early breast cancer); ESMO 2020 is followed."
)
_MYELOMA = (
    Fact(
        "Multiple myeloma: zoledronic acid, pamidronate or denosumab at diagnosis [I, A]; denosumab is "
        "preferred with renal impairment.",
        ESMO_2020,
        verified=False,
        caveat="the renal-impairment preference was truncated in the excerpt read",
    ),
)
_UK_DENOSUMAB = Fact(
    "UK: denosumab is an option for breast and other solid tumours (not prostate) when a bisphosphonate "
    "would otherwise be prescribed.",
    NICE_TA265,
)


def _remove_renal_exclusions(
    options: tuple[BoneModifyingAgent, ...], crcl_ml_min: float | None, on_dialysis: bool
) -> tuple[tuple[BoneModifyingAgent, ...], tuple[Fact, ...]]:
    """Drop the bisphosphonates the labels do not recommend in severe renal impairment."""
    if crcl_ml_min is None and not on_dialysis:
        return options, ()
    severe = on_dialysis or (crcl_ml_min is not None and crcl_ml_min < ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN)
    if not severe:
        return options, ()
    kept = tuple(a for a in options if a is BoneModifyingAgent.denosumab)
    reasons: list[Fact] = [ZOLEDRONIC_ACID_SEVERE_RENAL_IMPAIRMENT, PAMIDRONATE_RENAL_CAUTIONS[2]]
    if kept:
        reasons.append(DENOSUMAB_SEVERE_RENAL_CAUTION)
    return kept, tuple(reasons)


def preferred_agents(
    primary: Primary | None,
    crcl_ml_min: float | None = None,
    *,
    on_dialysis: bool = False,
    castration_resistant: bool | None = None,
) -> AgentChoice:
    """Which bone-modifying agents the newest guidelines support, by primary and renal function.

    Breast: ASCO-CCO 2017 (denosumab, pamidronate or zoledronic acid, none preferred) and ESMO
    2020. Prostate: ASCO 2020 and ESMO 2020 support zoledronic acid or denosumab once
    castration-resistant; not when castration-sensitive. Myeloma: ESMO 2020. Other solid
    tumours: ESMO 2020 [I, B]. With creatinine clearance < 30 mL/min or dialysis only
    denosumab remains (no renal adjustment; close calcium monitoring).
    """
    za, dmab, pam = (
        BoneModifyingAgent.zoledronic_acid,
        BoneModifyingAgent.denosumab,
        BoneModifyingAgent.pamidronate,
    )
    if primary is Primary.prostate and castration_resistant is False:
        return AgentChoice(False, (), (_PROSTATE_CASTRATION_SENSITIVE,))
    options: tuple[BoneModifyingAgent, ...]
    statements: tuple[Fact, ...]
    difference: str | None
    if primary is Primary.breast:
        options, statements, difference = (za, dmab, pam), _BREAST, _BREAST_DIFFERENCE
    elif primary is Primary.prostate:
        options, statements, difference = (za, dmab), _PROSTATE_CRPC, _PROSTATE_DIFFERENCE
        if castration_resistant is None:
            statements = (*statements, _PROSTATE_CASTRATION_SENSITIVE)
    elif primary is Primary.myeloma:
        options, statements, difference = (za, pam, dmab), _MYELOMA, None
    else:
        options, statements, difference = (za, dmab), (*_OTHER_SOLID, _UK_DENOSUMAB), _OTHER_SOLID_DIFFERENCE
    options, renal = _remove_renal_exclusions(options, crcl_ml_min, on_dialysis)
    return AgentChoice(bool(options), options, (*statements, *renal), difference)


GENERAL_BMA_FACTS: tuple[Fact, ...] = (
    DENTAL_EXAMINATION_BEFORE_BMA,
    CREATININE_BEFORE_EACH_BISPHOSPHONATE,
    BMA_NOT_ALONE_FOR_PAIN,
    ONJ_INCIDENCE_ZOLEDRONIC_ACID,
    ONJ_INCIDENCE_DENOSUMAB_VS_ZA,
)
