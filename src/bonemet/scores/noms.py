"""NOMS: the neurologic, oncologic, mechanical and systemic decision framework for spinal
metastases (Laufer 2013, Oncologist 18:744).

Not a points score: a decision. The logic, as Laufer 2013 sets it out:
- N + O choose the radiation and whether to decompress first:
    low-grade ESCC (0-1b):  radiosensitive -> conventional EBRT; radioresistant -> stereotactic
    ESCC 1c (grey zone):    radiosensitive -> conventional EBRT; radioresistant -> stereotactic
                            radiation, or separation surgery then stereotactic, per local policy
    high-grade ESCC (2-3):  radiosensitive -> conventional EBRT, even with cord compression;
                            radioresistant -> separation surgery then stereotactic radiation
                            ("hybrid therapy"), with or without myelopathy
- M: mechanical instability (SINS) is an independent indication for stabilisation, whatever N
  and O show; SINS 7-12 asks for a spine surgeon's opinion, 13-18 is unstable.
- S: when the patient cannot tolerate surgery (extent of disease, comorbidity, expected
  survival), no operation: radiation alone (conventional EBRT instead of hybrid therapy for
  high-grade compression from a radioresistant tumour; for ESCC 1c, the non-surgical of its
  two options, stereotactic radiation) or best supportive care.
Nothing here adds a branch that the framework does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.citations import Citation, unique_citations
from bonemet.knowledge.radiosensitivity import LAUFER_2013, Radiosensitivity, classify
from bonemet.model import Case
from bonemet.model.vocabulary import Code, EsccGrade, NeurologicDeficit
from bonemet.scores import escc, sins
from bonemet.scores.base import ScoreResult
from bonemet.scores.escc import BILSKY_2010
from bonemet.scores.sins import FISHER_2010


class NomsTreatment(StrEnum):
    """What N, O and S choose for the lesion."""

    conventional_radiation = "conventional_radiation"
    stereotactic_radiation = "stereotactic_radiation"
    separation_surgery_then_stereotactic_radiation = "separation_surgery_then_stereotactic_radiation"
    stereotactic_radiation_or_separation_surgery = "stereotactic_radiation_or_separation_surgery"


class Stabilization(StrEnum):
    """What M (with S) says about stabilising the spine."""

    not_needed = "not_needed"  # SINS 0-6
    surgical_opinion = "surgical_opinion"  # SINS 7-12: potentially unstable
    recommended = "recommended"  # SINS 13-18: unstable
    not_tolerated = "not_tolerated"  # unstable or potentially so, but the patient cannot have surgery
    unknown = "unknown"  # SINS not known


TREATMENT_TEXT: dict[NomsTreatment, str] = {
    NomsTreatment.conventional_radiation: "conventional external beam radiation (cEBRT)",
    NomsTreatment.stereotactic_radiation: "stereotactic radiation (SRS/SBRT)",
    NomsTreatment.separation_surgery_then_stereotactic_radiation: (
        "separation surgery (decompression, with stabilisation as needed) followed by stereotactic radiation"
    ),
    NomsTreatment.stereotactic_radiation_or_separation_surgery: (
        "stereotactic radiation, or separation surgery followed by stereotactic radiation, per local policy"
    ),
}
_TREATMENT_CODES: dict[NomsTreatment, tuple[Code, ...]] = {
    NomsTreatment.conventional_radiation: (Code.rt_palliative,),
    NomsTreatment.stereotactic_radiation: (Code.rt_sbrt,),
    NomsTreatment.separation_surgery_then_stereotactic_radiation: (Code.surgery_spine_consult, Code.rt_sbrt),
    NomsTreatment.stereotactic_radiation_or_separation_surgery: (Code.surgery_spine_consult, Code.rt_sbrt),
}
_SURGICAL_TREATMENTS = frozenset(
    {
        NomsTreatment.separation_surgery_then_stereotactic_radiation,
        NomsTreatment.stereotactic_radiation_or_separation_surgery,
    }
)


@dataclass(frozen=True)
class NomsDecision:
    treatment: NomsTreatment | None  # None when N or O is unknown
    stabilization: Stabilization
    reasons: tuple[str, ...]
    missing: tuple[str, ...]  # inputs that would complete or change the decision
    citations: tuple[Citation, ...]

    @property
    def summary(self) -> str:
        treatment = TREATMENT_TEXT[self.treatment] if self.treatment is not None else "undetermined"
        return f"NOMS: {treatment}; stabilisation: {self.stabilization.value.replace('_', ' ')}"

    @property
    def codes(self) -> tuple[Code, ...]:
        """Recommendation codes this decision implies, without repeats."""
        codes = list(_TREATMENT_CODES[self.treatment]) if self.treatment is not None else []
        if self.stabilization in (Stabilization.recommended, Stabilization.surgical_opinion):
            codes.append(Code.surgery_spine_consult)
        return tuple(dict.fromkeys(codes))


def noms_decision(
    escc_grade: EsccGrade | None,
    radiosensitivity: Radiosensitivity | None,
    neurologic_deficit: NeurologicDeficit | None,
    sins_total: float | None,
    fit_for_surgery: bool | None,
) -> NomsDecision:
    """The NOMS decision for one spinal lesion.

    `fit_for_surgery` is the S judgement (can the patient tolerate an operation, given the
    extent of disease, comorbidity and expected survival); NOMS leaves its thresholds to the
    team, so the caller supplies it. None means not yet judged.
    """
    reasons: list[str] = []
    missing: list[str] = []
    treatment = _neurologic_oncologic(escc_grade, radiosensitivity, neurologic_deficit, reasons, missing)
    treatment = _systemic(treatment, fit_for_surgery, reasons, missing)
    stabilization = _mechanical(sins_total, fit_for_surgery, reasons, missing)
    return NomsDecision(
        treatment=treatment,
        stabilization=stabilization,
        reasons=tuple(reasons),
        missing=tuple(dict.fromkeys(missing)),
        citations=(LAUFER_2013, BILSKY_2010, FISHER_2010),
    )


def decision_for_lesion(
    case: Case, lesion_index: int, fit_for_surgery: bool | None, sins_score: ScoreResult | None = None
) -> NomsDecision:
    """NOMS for a spinal lesion of the case: ESCC and SINS from the lesion, radiosensitivity from
    the primary and histology, the neurological deficit from the presentation.

    `sins_score` is the lesion's SINS when the caller has already scored it (it is then not
    scored again).
    """
    lesion = case.lesions[lesion_index]
    if not lesion.is_spinal:
        raise ValueError(f"NOMS applies to spinal lesions; lesion {lesion_index} is in the {lesion.bone.value}")
    if sins_score is None:
        sins_score = sins.compute(sins.items_from_case(case, lesion_index))
    call = classify(case.cancer.primary, case.cancer.histology)
    decision = noms_decision(
        escc_grade=lesion.escc_grade,
        radiosensitivity=call.radiosensitivity if call is not None else None,
        neurologic_deficit=case.presentation.neurologic_deficit,
        sins_total=sins_score.total,
        fit_for_surgery=fit_for_surgery,
    )
    if call is None:
        return decision
    return NomsDecision(  # dataclasses.replace, spelt out: it is several times slower
        treatment=decision.treatment,
        stabilization=decision.stabilization,
        reasons=(*decision.reasons, f"Radiosensitivity: {call.basis}."),
        missing=decision.missing,
        citations=tuple(unique_citations((*decision.citations, *call.citations))),
    )


def _neurologic_oncologic(
    grade: EsccGrade | None,
    radiosensitivity: Radiosensitivity | None,
    deficit: NeurologicDeficit | None,
    reasons: list[str],
    missing: list[str],
) -> NomsTreatment | None:
    if grade is None:
        missing.append("escc_grade")
        reasons.append("N: ESCC grade unknown (axial T2 MRI at the most compressed level decides it).")
        return None
    reasons.append(f"N: ESCC grade {grade.value}, {escc.band_of_grade(grade)}{_deficit_text(deficit)}.")
    # The clinical half of N (myelopathy) is reported but changes no branch here: Laufer 2013
    # treats high-grade compression from a radioresistant tumour the same with or without it.
    # A deficit does make the case an emergency, which the MSCC rule of the pathway handles.
    if radiosensitivity is None:
        missing.append("radiosensitivity (cancer.primary / cancer.histology)")
        reasons.append("O: radiosensitivity unknown; it decides conventional versus stereotactic radiation.")
        return None
    if radiosensitivity is Radiosensitivity.sensitive:
        reasons.append(
            "O: radiosensitive histology: conventional EBRT whatever the ESCC grade, even with "
            "high-grade compression (Laufer 2013)."
        )
        return NomsTreatment.conventional_radiation
    if grade in escc.HIGH_GRADE:
        reasons.append(
            "O: radioresistant histology with high-grade compression: separation surgery then "
            "stereotactic radiation, with or without myelopathy (Laufer 2013)."
        )
        return NomsTreatment.separation_surgery_then_stereotactic_radiation
    if grade in escc.GREY_ZONE:
        reasons.append(
            "O: radioresistant histology, ESCC 1c: stereotactic radiation alone or separation surgery "
            "first are both used; follow local policy (Laufer 2013)."
        )
        return NomsTreatment.stereotactic_radiation_or_separation_surgery
    reasons.append("O: radioresistant histology, low-grade compression: stereotactic radiation (Laufer 2013).")
    return NomsTreatment.stereotactic_radiation


def _deficit_text(deficit: NeurologicDeficit | None) -> str:
    if deficit is None:
        return ", neurological status unknown"
    if deficit is NeurologicDeficit.none:
        return ", no neurological deficit"
    return f", {deficit.value} neurological deficit (myelopathy)"


def _systemic(
    treatment: NomsTreatment | None,
    fit_for_surgery: bool | None,
    reasons: list[str],
    missing: list[str],
) -> NomsTreatment | None:
    if treatment not in _SURGICAL_TREATMENTS:
        return treatment
    if fit_for_surgery is None:
        missing.append("fit_for_surgery")
        reasons.append(
            "S: fitness for surgery not yet judged; if the patient cannot tolerate surgery, radiation alone instead."
        )
        return treatment
    if fit_for_surgery:
        reasons.append("S: the patient can tolerate surgery.")
        return treatment
    if treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation:
        reasons.append(
            "S: the patient cannot tolerate surgery: conventional EBRT instead of separation surgery, "
            "or best supportive care (Laufer 2013)."
        )
        return NomsTreatment.conventional_radiation
    reasons.append("S: the patient cannot tolerate surgery: stereotactic radiation alone.")
    return NomsTreatment.stereotactic_radiation


def _mechanical(
    sins_total: float | None,
    fit_for_surgery: bool | None,
    reasons: list[str],
    missing: list[str],
) -> Stabilization:
    if sins_total is None:
        missing.append("sins")
        reasons.append("M: stability unknown: SINS items are missing.")
        return Stabilization.unknown
    band = sins.band_of(sins_total)
    if band == sins.BAND_STABLE:
        reasons.append(f"M: SINS {sins_total:g}, stable: no stabilisation for instability.")
        return Stabilization.not_needed
    if fit_for_surgery is None:
        missing.append("fit_for_surgery")
    if fit_for_surgery is False:
        reasons.append(
            f"M: SINS {sins_total:g}, {band}, but the patient cannot tolerate surgery: radiation alone "
            "or best supportive care (Laufer 2013)."
        )
        return Stabilization.not_tolerated
    if band == sins.BAND_UNSTABLE:
        reasons.append(
            f"M: SINS {sins_total:g}, unstable: stabilisation (open or percutaneous surgery, or cement "
            "augmentation for suitable fractures) first, then the radiation above, whatever N and O show."
        )
        return Stabilization.recommended
    reasons.append(
        f"M: SINS {sins_total:g}, potentially unstable: a spine surgeon judges whether to stabilise "
        "(SINS 7 or more warrants referral)."
    )
    return Stabilization.surgical_opinion
