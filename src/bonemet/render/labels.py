"""Human labels for steps, priorities and score names."""

from __future__ import annotations

from bonemet.model import ScoreOut
from bonemet.model.vocabulary import Priority, ScoreName, Step

STEP_TITLES: dict[Step, str] = {
    Step.emergency: "Emergencies",
    Step.workup: "Work-up",
    Step.primary_search: "Search for the primary",
    Step.treatment: "Treatment",
    Step.supportive: "Bone health and supportive care",
    Step.follow_up: "Follow-up",
}

PRIORITY_LABELS: dict[Priority, str] = {
    Priority.emergency: "EMERGENCY",
    Priority.urgent: "urgent",
    Priority.routine: "routine",
    Priority.consider: "consider",
}

SCORE_TITLES: dict[ScoreName, str] = {
    ScoreName.mirels: "Mirels (impending long-bone fracture)",
    ScoreName.sins: "SINS (spinal instability)",
    ScoreName.escc: "Bilsky ESCC (epidural compression)",
    ScoreName.tokuhashi_revised: "Revised Tokuhashi (spinal metastasis survival)",
    ScoreName.tomita: "Tomita (spinal metastasis strategy)",
    ScoreName.bauer_modified: "Modified Bauer (spinal metastasis, higher is better)",
    ScoreName.katagiri_new: "New Katagiri (skeletal metastasis survival)",
    ScoreName.crcl_cockcroft_gault: "Creatinine clearance (Cockcroft-Gault)",
}


def points(value: float | None) -> str:
    if value is None:
        return "?"
    # Two decimals at most, trailing zeros dropped: the Cockcroft-Gault factor is 0.85, not 0.8.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def unscored_text(score: ScoreOut) -> str:
    """An incomplete score shown by its range, not a bare 'not scored' (the total is never invented)."""
    if score.total_range is None:
        return "not scored"
    low, high = score.total_range
    unknown = f"; {score.narrowest_unknown.replace('_', ' ')} would narrow it most" if score.narrowest_unknown else ""
    return f"not scored: range {points(low)}-{points(high)} over the unknown items{unknown}"


def band_text(band: str | None, band_range: list[str]) -> str:
    """The prognosis band, or the bands the missing items still allow."""
    if band:
        return band
    if band_range:
        return "not scored: one of " + " / ".join(band_range)
    return "not scored"
