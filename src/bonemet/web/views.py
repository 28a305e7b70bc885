"""What the pages show, computed once in Python so the templates only lay it out.

Score cards (also the live preview's JSON), the plan grouped by step, citations resolved
to their full reference and link, and the missing-data questions tied to form controls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bonemet.knowledge import all_citations_loaded
from bonemet.knowledge.citations import Citation
from bonemet.model import Assessment, Case, MissingItem, Recommendation, ScoreOut, Source
from bonemet.model.vocabulary import CODE_MEANING, PRIORITY_ORDER, Priority, ScoreName, Step
from bonemet.pathway.scoring import lesion_scores, patient_scores
from bonemet.render.labels import PRIORITY_LABELS, SCORE_TITLES, STEP_TITLES, points
from bonemet.scores import escc, katagiri, mirels, sins, tokuhashi, tomita
from bonemet.web.fields import FieldSpec, spec_for_name

# The highest total each score can reach, from the score modules (CrCl has none: it is a rate).
MAXIMUM_TOTAL: dict[ScoreName, float] = {
    ScoreName.mirels: mirels.MAXIMUM_TOTAL,
    ScoreName.sins: sins.MAXIMUM_TOTAL,
    ScoreName.escc: escc.MAXIMUM_TOTAL,
    ScoreName.tokuhashi_revised: tokuhashi.MAXIMUM_TOTAL,
    ScoreName.tomita: tomita.MAXIMUM_TOTAL,
    ScoreName.katagiri_new: katagiri.MAXIMUM_TOTAL,
}
TOTAL_UNIT: dict[ScoreName, str] = {ScoreName.crcl_cockcroft_gault: "mL/min"}


def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()


# --- Scores ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    label: str
    value: str
    points: str
    missing: bool


@dataclass(frozen=True)
class ScoreView:
    name: str
    title: str
    lesion_index: int | None
    total: str  # "9 / 12", "31.2 mL/min" or "not scored"
    complete: bool
    band: str
    items: tuple[ItemView, ...]
    missing_items: tuple[str, ...]
    interpretation: str
    citation: str
    higher_is_worse: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _total_text(score: ScoreOut) -> str:
    if score.total is None:
        return "not scored"
    maximum = MAXIMUM_TOTAL.get(score.name)
    if maximum is not None:
        return f"{points(score.total)} / {points(maximum)}"
    unit = TOTAL_UNIT.get(score.name, "")
    return f"{points(score.total)} {unit}".strip()


def score_view(score: ScoreOut) -> ScoreView:
    return ScoreView(
        name=score.name.value,
        title=SCORE_TITLES[score.name],
        lesion_index=score.lesion_index,
        total=_total_text(score),
        complete=score.total is not None,
        band=score.band or "",
        items=tuple(
            ItemView(humanize(i.item), i.value or "unknown", points(i.points), i.points is None) for i in score.items
        ),
        missing_items=tuple(humanize(m) for m in score.missing_items),
        interpretation=score.interpretation,
        citation=score.citation,
        higher_is_worse=score.higher_is_worse,
    )


@dataclass(frozen=True)
class Preview:
    """The scores the engine would compute from the form as it stands."""

    by_lesion: dict[int, tuple[ScoreView, ...]]
    patient: tuple[ScoreView, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "lesions": {str(i): [v.as_json() for v in views] for i, views in self.by_lesion.items()},
            "patient": [v.as_json() for v in self.patient],
        }


def preview_scores(case: Case, lesion_form_index: tuple[int, ...] = ()) -> Preview:
    """Every per-lesion score and the patient-level scores, exactly as the engine computes them
    (`pathway.scoring`); survival scores are shown whenever they can be computed. Lesions are
    keyed by their form index when `lesion_form_index` maps case lesions to form entries."""

    def key(index: int) -> int:
        return lesion_form_index[index] if index < len(lesion_form_index) else index

    by_lesion = {
        key(index): tuple(score_view(result.to_out()) for result in found.values())
        for index, found in lesion_scores(case).items()
    }
    patient = tuple(score_view(result.to_out()) for result in patient_scores(case, True).values())
    return Preview(by_lesion, patient)


# --- Citations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceView:
    label: str
    reference: str
    url: str | None


def resolve_source(text: str, registry: Mapping[str, Citation] | None = None) -> SourceView:
    """A citation given as a key ('mirels1989') or as 'Label: reference' text, with its link."""
    known = registry if registry is not None else all_citations_loaded()
    found = known.get(text)
    if found is None:
        found = next((c for c in known.values() if str(c) == text or c.label == text), None)
    if found is None:
        label, _, rest = text.partition(": ")
        return SourceView(label if rest else text, rest, None)
    return SourceView(found.label, found.reference, found.url)


def source_view(source: Source) -> SourceView:
    """An Assessment source: resolved through the registry, keeping the URL the engine gave."""
    resolved = resolve_source(source.citation)
    return SourceView(resolved.label, resolved.reference, source.url or resolved.url)


# --- The plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationView:
    code: str
    meaning: str
    priority: str
    priority_label: str
    text: str
    dose: str
    reasons: tuple[str, ...]
    sources: tuple[SourceView, ...]
    lesion: str


def _dose_text(rec: Recommendation) -> str:
    if rec.dose is None:
        return ""
    d = rec.dose
    return f"{points(d.value)} {d.unit} {d.route} {d.interval} ({d.basis})"


def recommendation_view(rec: Recommendation, case: Case | None) -> RecommendationView:
    return RecommendationView(
        code=rec.code.value,
        meaning=CODE_MEANING.get(rec.code, ""),
        priority=rec.priority.value,
        priority_label=PRIORITY_LABELS[rec.priority],
        text=rec.text,
        dose=_dose_text(rec),
        reasons=tuple(rec.reasons),
        sources=tuple(resolve_source(c) for c in rec.citations),
        lesion=lesion_label(case, rec.lesion_index),
    )


def lesion_label(case: Case | None, index: int | None) -> str:
    if index is None:
        return ""
    if case is None or index >= len(case.lesions):
        return f"lesion {index + 1}"
    lesion = case.lesions[index]
    where = " ".join(
        part
        for part in (
            lesion.side.value if lesion.side else "",
            lesion.bone.value,
            lesion.level.value if lesion.level else "",
            lesion.segment.value if lesion.segment else "",
        )
        if part
    )
    return f"lesion {index + 1}: {where}"


@dataclass(frozen=True)
class StepView:
    key: str
    title: str
    items: tuple[RecommendationView, ...]


def emergencies(assessment: Assessment, case: Case | None) -> tuple[RecommendationView, ...]:
    return tuple(recommendation_view(r, case) for r in assessment.recommendations if r.priority is Priority.emergency)


def plan_by_step(assessment: Assessment, case: Case | None) -> tuple[StepView, ...]:
    """Non-emergency recommendations by pathway step, most pressing first within a step."""
    steps: list[StepView] = []
    for step, title in STEP_TITLES.items():
        if step is Step.emergency:
            continue
        recs = sorted(
            (r for r in assessment.recommendations if r.step is step and r.priority is not Priority.emergency),
            key=lambda r: PRIORITY_ORDER[r.priority],
        )
        if recs:
            steps.append(StepView(step.value, title, tuple(recommendation_view(r, case) for r in recs)))
    return tuple(steps)


# --- Missing data as questions ------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    name: str  # the form control that answers it ('' when the form has none)
    spec: FieldSpec | None
    lesion: str
    why: str
    field: str


def questions(missing: list[MissingItem], case: Case | None) -> tuple[Question, ...]:
    """One question per missing field, answered by the same control as on the entry form."""
    asked: list[Question] = []
    seen: set[str] = set()
    for item in missing:
        found = spec_for_name(item.field)
        if found is None or item.field in seen:
            asked.append(Question("", None, "", item.why, item.field))
            continue
        seen.add(item.field)
        spec, index = found
        asked.append(
            Question(
                item.field,
                spec,
                lesion_label(case, index) if item.field.startswith("lesions") else "",
                item.why,
                item.field,
            )
        )
    return tuple(asked)
