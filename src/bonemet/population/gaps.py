"""Care gaps: what the pathway says is due, set against what the export shows was done.

One small function per gap, each named for it and returning the gap (with the evidence in
numbers) or None. A gap is raised only where the engine's own assessment calls for the
action (so the clinical rules live in one place, bonemet.pathway) and the record shows it
was not done. Thresholds come from the knowledge base and the score modules, with their
citations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge import drugs
from bonemet.knowledge import emergencies as emergency_facts
from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import ASCO_2017_BMA, ESMO_2020, XGEVA_SMPC, ZOMETA_US_PI
from bonemet.knowledge.pathway_sources import MERCK_METASTATIC_BONE_TUMORS
from bonemet.model import Assessment, Case
from bonemet.model.vocabulary import BoneModifyingAgent, Code, ScoreName, SuspicionLevel
from bonemet.population.cases import CareFacts
from bonemet.scores.crcl import shown as crcl_shown
from bonemet.scores.mirels import FIXATION_THRESHOLD as MIRELS_FIXATION_THRESHOLD
from bonemet.scores.mirels import MIRELS_1989
from bonemet.scores.sins import FISHER_2010
from bonemet.scores.sins import UNSTABLE_FROM as SINS_UNSTABLE_FROM

_AGENT_CODES = frozenset({Code.bma_zoledronic_acid, Code.bma_denosumab, Code.bma_pamidronate})


class GapKind(StrEnum):
    bma_missing = "bma_missing"
    bma_without_dental = "bma_without_dental_evaluation"
    zoledronic_dose_above_renal_table = "zoledronic_acid_dose_above_renal_table"
    denosumab_without_calcium_vitamin_d = "denosumab_without_calcium_vitamin_d"
    fracture_risk_without_surgical_review = "fracture_risk_without_surgical_review"
    hypercalcaemia_untreated = "hypercalcaemia_untreated"
    bone_pain_not_imaged = "bone_pain_not_imaged"


GAP_LABELS: dict[GapKind, str] = {
    GapKind.bma_missing: "Bone metastases without a bone-modifying agent",
    GapKind.bma_without_dental: "Bone-modifying agent without a dental evaluation",
    GapKind.zoledronic_dose_above_renal_table: "Zoledronic acid dose above the renal dose table",
    GapKind.denosumab_without_calcium_vitamin_d: "Denosumab without calcium and vitamin D",
    GapKind.fracture_risk_without_surgical_review: (
        f"Mirels >= {MIRELS_FIXATION_THRESHOLD} or SINS >= {SINS_UNSTABLE_FROM} "
        "without surgical consultation or procedure"
    ),
    GapKind.hypercalcaemia_untreated: "Hypercalcaemia (moderate or severe) not treated",
    GapKind.bone_pain_not_imaged: "Known cancer, unexplained bone pain, no imaging",
}

GAP_SOURCES: dict[GapKind, tuple[Citation, ...]] = {
    GapKind.bma_missing: (ASCO_2017_BMA, ESMO_2020),
    GapKind.bma_without_dental: (ASCO_2017_BMA,),
    GapKind.zoledronic_dose_above_renal_table: (ZOMETA_US_PI,),
    GapKind.denosumab_without_calcium_vitamin_d: (XGEVA_SMPC,),
    GapKind.fracture_risk_without_surgical_review: (MIRELS_1989, FISHER_2010),
    GapKind.hypercalcaemia_untreated: (emergency_facts.GRADE_SOURCES.citation,),
    GapKind.bone_pain_not_imaged: (MERCK_METASTATIC_BONE_TUMORS,),
}


@dataclass(frozen=True)
class Gap:
    patient_id: str
    kind: GapKind
    evidence: str

    @property
    def label(self) -> str:
        return GAP_LABELS[self.kind]


@dataclass(frozen=True)
class Screened:
    """One assessed patient: the facts the rules read."""

    case: Case
    assessment: Assessment
    facts: CareFacts

    def recommends(self, *codes: Code) -> bool:
        return any(r.code in codes for r in self.assessment.recommendations)

    def score_totals(self, name: ScoreName) -> list[float]:
        return [s.total for s in self.assessment.scores if s.name is name and s.total is not None]

    @property
    def current_agent(self) -> BoneModifyingAgent | None:
        agent = self.facts.current_agent
        if agent is None or agent not in BoneModifyingAgent.__members__:
            return None
        found = BoneModifyingAgent(agent)
        return None if found is BoneModifyingAgent.none else found

    @property
    def crcl(self) -> float | None:
        totals = self.score_totals(ScoreName.crcl_cockcroft_gault)
        return totals[0] if totals else None


def bma_missing(s: Screened) -> str | None:
    """The engine starts an agent (it does so only for established bone metastases, not on one)."""
    if s.current_agent is not None or not s.recommends(*_AGENT_CODES):
        return None
    wanted = [r.code.value for r in s.assessment.recommendations if r.code in _AGENT_CODES]
    return f"no current bone-modifying agent on record; the pathway recommends {', '.join(wanted)}"


def bma_without_dental(s: Screened) -> str | None:
    if s.current_agent is None or not s.recommends(Code.bma_dental_evaluation):
        return None
    return f"on {s.current_agent.value}; no dental examination on record"


def zoledronic_dose_above_renal_table(s: Screened) -> str | None:
    """An order above the label dose for the creatinine clearance; hypercalcaemia doses are exempt."""
    dose, crcl = s.facts.agent_dose_mg, s.crcl
    if s.current_agent is not BoneModifyingAgent.zoledronic_acid or s.facts.agent_for_hypercalcaemia:
        return None
    if dose is None or crcl is None:
        return None
    row = drugs.zoledronic_acid_dose(crcl)
    if row is None:
        return f"{dose:g} mg ordered; creatinine clearance {crcl_shown(crcl)} mL/min: not recommended below 30 mL/min"
    if round(dose, 6) <= round(row.dose_mg, 6):
        return None
    return f"{dose:g} mg ordered; creatinine clearance {crcl_shown(crcl)} mL/min: label dose {row.dose_mg:g} mg"


def denosumab_without_calcium_vitamin_d(s: Screened) -> str | None:
    """The engine asks for the supplement unless calcium is raised; none is on record."""
    if s.current_agent is not BoneModifyingAgent.denosumab or s.facts.supplement_current:
        return None
    if not s.recommends(Code.bma_calcium_vitamin_d):
        return None
    return "on denosumab; no current calcium and vitamin D supplement on record"


def fracture_risk_without_surgical_review(s: Screened) -> str | None:
    mirels = [t for t in s.score_totals(ScoreName.mirels) if t >= MIRELS_FIXATION_THRESHOLD]
    sins = [t for t in s.score_totals(ScoreName.sins) if t >= SINS_UNSTABLE_FROM]
    if not (mirels or sins) or s.facts.surgical_review:
        return None
    parts = [f"Mirels {t:g}" for t in mirels] + [f"SINS {t:g}" for t in sins]
    return f"{', '.join(parts)}; no surgical consultation or procedure on record"


def hypercalcaemia_untreated(s: Screened) -> str | None:
    """Moderate or severe hypercalcaemia (the engine's emergency) with no antiresorptive or
    calcitonin ordered on or after the day of the calcium result. Mild hypercalcaemia may be
    managed with hydration alone (Zometa label), so it is not counted."""
    labs = s.case.labs
    if labs.calcium_mg_dl is None or not s.recommends(Code.urgent_hypercalcemia):
        return None
    corrected = (
        emergency_facts.corrected_calcium_mg_dl(labs.calcium_mg_dl, labs.albumin_g_dl)
        if labs.albumin_g_dl is not None
        else labs.calcium_mg_dl
    )
    grade = emergency_facts.hypercalcaemia_grade(corrected)
    serious = (emergency_facts.HypercalcaemiaGrade.moderate, emergency_facts.HypercalcaemiaGrade.severe)
    if grade not in serious or s.facts.hypercalcaemia_treated_after:
        return None
    day = s.facts.calcium_day or "undated"
    return f"corrected calcium {corrected:.1f} mg/dL ({grade.value}) on {day}; no antiresorptive or calcitonin since"


def bone_pain_not_imaged(s: Screened) -> str | None:
    case = s.case
    known_cancer = case.cancer.history is not None and case.cancer.history.value != "none"
    unexplained = case.presentation.bone_pain and case.presentation.pain_unexplained
    suspicious = s.assessment.suspicion.level in (SuspicionLevel.high, SuspicionLevel.established)
    if not (known_cancer and unexplained and suspicious) or s.facts.imaging_since_pain > 0:
        return None
    return "known cancer with unexplained bone pain; no imaging study since the pain was recorded"


RULES: tuple[tuple[GapKind, Callable[[Screened], str | None]], ...] = (
    (GapKind.bma_missing, bma_missing),
    (GapKind.bma_without_dental, bma_without_dental),
    (GapKind.zoledronic_dose_above_renal_table, zoledronic_dose_above_renal_table),
    (GapKind.denosumab_without_calcium_vitamin_d, denosumab_without_calcium_vitamin_d),
    (GapKind.fracture_risk_without_surgical_review, fracture_risk_without_surgical_review),
    (GapKind.hypercalcaemia_untreated, hypercalcaemia_untreated),
    (GapKind.bone_pain_not_imaged, bone_pain_not_imaged),
)


def care_gaps(screened: Screened) -> list[Gap]:
    """Every gap of one patient, in the order of RULES."""
    found = []
    for kind, rule in RULES:
        evidence = rule(screened)
        if evidence is not None:
            found.append(Gap(patient_id=screened.facts.patient_id, kind=kind, evidence=evidence))
    return found
