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
from bonemet.model import Assessment, Case, MissingItem, ScoreOut, Source
from bonemet.model.vocabulary import Priority, ScoreName
from bonemet.pathway.scoring import lesion_scores, patient_scores
from bonemet.render.labels import SCORE_TITLES, STEP_TITLES, points, unscored_text, value_words
from bonemet.render.plan import DoNow, PlanItem, agent_block, do_now
from bonemet.scores import bauer, escc, katagiri, mirels, sins, tokuhashi, tomita
from bonemet.web.fields import FieldSpec, spec_for_name

# The highest total each score can reach, from the score modules (CrCl has none: it is a rate).
MAXIMUM_TOTAL: dict[ScoreName, float] = {
    ScoreName.mirels: mirels.MAXIMUM_TOTAL,
    ScoreName.sins: sins.MAXIMUM_TOTAL,
    ScoreName.escc: escc.MAXIMUM_TOTAL,
    ScoreName.tokuhashi_revised: tokuhashi.MAXIMUM_TOTAL,
    ScoreName.tomita: tomita.MAXIMUM_TOTAL,
    ScoreName.bauer_modified: bauer.MAXIMUM_TOTAL,
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
        return unscored_text(score)
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
            ItemView(
                humanize(i.item), value_words(i.value) if i.value else "unknown", points(i.points), i.points is None
            )
            for i in score.items
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


# --- The ten-second view and each recommendation once (issue 14) ---------------------------------


@dataclass(frozen=True)
class PlanItemView:
    """A merged recommendation on the page: 'where' names every lesion it applies to."""

    anchor: str
    code: str
    priority: str
    priority_label: str
    text: str
    dose: str
    reasons: tuple[str, ...]
    sources: tuple[SourceView, ...]
    lesion: str


def plan_item_view(item: PlanItem, anchor: str) -> PlanItemView:
    return PlanItemView(
        anchor=anchor,
        code=item.code.value,
        priority=item.priority.value,
        priority_label=item.priority_label,
        text=item.text,
        dose=item.dose_text,
        reasons=item.reasons,
        sources=tuple(resolve_source(c) for c in item.citations),
        lesion=item.where,
    )


@dataclass(frozen=True)
class AgentRowView:
    item: PlanItemView
    own_reasons: tuple[str, ...]
    preferred: bool


@dataclass(frozen=True)
class AgentBlockView:
    rows: tuple[AgentRowView, ...]
    shared_reasons: tuple[str, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class PlanStepView:
    key: str
    title: str
    items: tuple[PlanItemView, ...]
    agents: AgentBlockView | None = None


@dataclass(frozen=True)
class PlanPage:
    """What the assessment page shows of the plan: the 'do now' block, then the rest by step."""

    now: DoNow
    emergencies: tuple[PlanItemView, ...]
    urgent: tuple[PlanItemView, ...]
    next_steps: tuple[PlanItemView, ...]
    steps: tuple[PlanStepView, ...]


def plan_page(assessment: Assessment, case: Case | None) -> PlanPage:
    """The plan said once: emergencies and urgent items in full in 'do now', the rest by
    pathway step with the bone-modifying agents as one block."""
    now = do_now(assessment, case)
    anchors = {id(item): f"rec-{n}" for n, item in enumerate(now.plan, start=1)}
    views = {id(item): plan_item_view(item, anchors[id(item)]) for item in now.plan}
    pressing = {id(item) for item in now.actions}
    rest = [item for item in now.plan if id(item) not in pressing]
    block = agent_block(rest)
    in_block = {id(option.item) for option in block.options} if block is not None else set()
    agent_view = None
    if block is not None:
        preferred = {id(option.item) for option in block.preferred}
        agent_view = AgentBlockView(
            rows=tuple(AgentRowView(views[id(o.item)], o.own_reasons, id(o.item) in preferred) for o in block.options),
            shared_reasons=block.shared_reasons,
            sources=tuple(resolve_source(c) for c in block.citations),
        )
    agent_step = next((o.item.step for o in block.options), None) if block is not None else None
    steps = []
    for step, title in STEP_TITLES.items():
        items = tuple(views[id(i)] for i in rest if i.step is step and id(i) not in in_block)
        agents = agent_view if step is agent_step else None
        if items or agents is not None:
            steps.append(PlanStepView(step.value, title, items, agents))
    return PlanPage(
        now=now,
        emergencies=tuple(views[id(i)] for i in now.actions if i.priority is Priority.emergency),
        urgent=tuple(views[id(i)] for i in now.actions if i.priority is Priority.urgent),
        next_steps=tuple(views[id(i)] for i in now.next_steps),
        steps=tuple(steps),
    )


# --- Missing data, grouped: patient questions, then one table row per lesion ---------------------


@dataclass(frozen=True)
class FieldQuestionRow:
    label: str
    why: str  # printed once for every lesion that needs the field
    cells: tuple[Question | None, ...]  # one per lesion column; None when that lesion does not need it


@dataclass(frozen=True)
class QuestionTable:
    lesions: tuple[str, ...]  # column headings
    rows: tuple[FieldQuestionRow, ...]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def grouped_questions(missing: list[MissingItem], case: Case | None) -> tuple[tuple[Question, ...], QuestionTable]:
    """Patient-level questions, and the lesion questions as one compact table: a column per
    lesion, a row per field with its reason printed once."""
    asked = questions(missing, case)
    patient: list[Question] = []
    fields: dict[str, tuple[str, str]] = {}
    cells: dict[tuple[str, int], Question] = {}
    lesions: list[int] = []
    for q in asked:
        found = spec_for_name(q.field) if q.field.startswith("lesions[") and q.spec is not None else None
        spec, index = found if found is not None else (None, None)
        if spec is None or index is None:
            patient.append(q)
            continue
        fields.setdefault(spec.path, (spec.label, q.why))
        cells[(spec.path, index)] = q
        if index not in lesions:
            lesions.append(index)
    lesions.sort()
    rows = tuple(
        FieldQuestionRow(label, why, tuple(cells.get((path, index)) for index in lesions))
        for path, (label, why) in fields.items()
    )
    return tuple(patient), QuestionTable(tuple(_capital(lesion_label(case, i)) for i in lesions), rows)
