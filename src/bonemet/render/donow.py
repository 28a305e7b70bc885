"""The "do now" block: the ten-second plan shown first on the page, in the terminal and on the CDS card.

One function over the Assessment, used by every front end, so the three never disagree:

- the pressing actions (emergencies, then urgent items), most pressing first, an identical
  recommendation for several lesions said once with the lesions listed;
- when nothing is pressing, the first few routine items, so the block is never empty of a plan;
- the scores that decide (those of the lesions the actions are about first), at most three;
- the missing fields that would change the plan, at most three, in the order the pathway asked.

It adds no clinical content: every line is a recommendation, score or missing field of the
Assessment, in the pathway's own words. The Assessment's order of priority (Priority) and step
(Step) is the only ordering used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bonemet.model import Assessment, Recommendation, ScoreOut
from bonemet.model.assessment import Dose
from bonemet.model.vocabulary import PRIORITY_ORDER, Code, Priority, ScoreName, Step
from bonemet.render.labels import SCORE_TITLES, points

MAX_SCORES = 3
MAX_MISSING = 3
MAX_ROUTINE = 3

_STEP_ORDER: dict[Step, int] = {s: i for i, s in enumerate(Step)}
# Which scores to show when more than three apply: the ones that decide an emergency or an
# operation first (epidural compression, instability, impending fracture), then survival.
_SCORE_ORDER: dict[ScoreName, int] = {
    name: i
    for i, name in enumerate(
        (
            ScoreName.escc,
            ScoreName.sins,
            ScoreName.mirels,
            ScoreName.katagiri_new,
            ScoreName.tokuhashi_revised,
            ScoreName.tomita,
            ScoreName.crcl_cockcroft_gault,
        )
    )
}


@dataclass(frozen=True)
class Action:
    priority: Priority
    step: Step
    code: Code
    text: str
    lesion_indices: tuple[int, ...]
    dose: Dose | None


@dataclass(frozen=True)
class DecidingScore:
    name: ScoreName
    title: str
    lesion_index: int | None
    total: str
    band: str | None
    interpretation: str


@dataclass(frozen=True)
class MissingField:
    field: str
    label: str
    why: str


@dataclass(frozen=True)
class DoNow:
    actions: tuple[Action, ...]
    pressing: bool  # False when nothing is urgent and the actions are the first routine items
    scores: tuple[DecidingScore, ...]
    missing: tuple[MissingField, ...]


def _merge(recs: list[Recommendation]) -> list[Action]:
    """One action per identical recommendation (same code, text, priority and dose)."""
    merged: dict[tuple[object, ...], Action] = {}
    for rec in recs:
        key = (rec.code, rec.text, rec.priority, rec.step, rec.dose)
        known = merged.get(key)
        lesions = () if rec.lesion_index is None else (rec.lesion_index,)
        if known is None:
            merged[key] = Action(rec.priority, rec.step, rec.code, rec.text, lesions, rec.dose)
        else:
            joined = tuple(sorted(set(known.lesion_indices) | set(lesions)))
            merged[key] = Action(known.priority, known.step, known.code, known.text, joined, known.dose)
    return list(merged.values())


def _score(score: ScoreOut) -> DecidingScore:
    return DecidingScore(
        name=score.name,
        title=SCORE_TITLES[score.name],
        lesion_index=score.lesion_index,
        total=points(score.total),
        band=score.band,
        interpretation=score.interpretation,
    )


def field_label(field: str) -> str:
    """A case field path in words: 'lesions[0].cortical_involvement' -> 'lesion 1: cortical involvement'."""
    match = re.fullmatch(r"lesions\[(\d+)\]\.(.+)", field)
    if match:
        return f"lesion {int(match.group(1)) + 1}: {_words(match.group(2))}"
    return _words(field)


def _words(path: str) -> str:
    parts = [p for p in path.split(".") if p]
    if parts and parts[0] in ("patient", "labs", "treatment", "symptoms"):
        parts = parts[1:] or parts
    return ", ".join(re.sub(r"\[(\d+)\]", lambda m: f" {int(m.group(1)) + 1}", p).replace("_", " ") for p in parts)


def do_now(assessment: Assessment) -> DoNow:
    ordered = sorted(
        assessment.recommendations, key=lambda r: (PRIORITY_ORDER[r.priority], _STEP_ORDER.get(r.step, 99))
    )
    pressing_recs = [r for r in ordered if r.priority in (Priority.emergency, Priority.urgent)]
    pressing = bool(pressing_recs)
    actions = _merge(pressing_recs) if pressing else _merge(ordered)[:MAX_ROUTINE]

    acted_on = {i for a in actions for i in a.lesion_indices}
    scored = [s for s in assessment.scores if s.total is not None]
    scored.sort(
        key=lambda s: (
            0 if s.lesion_index is not None and s.lesion_index in acted_on else 1,
            _SCORE_ORDER.get(s.name, 99),
            s.lesion_index if s.lesion_index is not None else -1,
        )
    )
    scores = tuple(_score(s) for s in scored[:MAX_SCORES])

    missing: list[MissingField] = []
    seen: set[str] = set()
    for gap in assessment.missing:
        if gap.field in seen:
            continue
        seen.add(gap.field)
        missing.append(MissingField(gap.field, field_label(gap.field), gap.why))
        if len(missing) == MAX_MISSING:
            break
    return DoNow(tuple(actions), pressing, scores, tuple(missing))


def where(indices: tuple[int, ...], name: Callable[[int], str] | None = None) -> str:
    """The lesions of a merged action in words: 'lesions 1, 3' or the caller's names for them."""
    if not indices:
        return ""
    if name is not None:
        return "; ".join(name(i) for i in indices)
    if len(indices) == 1:
        return f"lesion {indices[0] + 1}"
    return "lesions " + ", ".join(str(i + 1) for i in indices)


def score_line(score: DecidingScore) -> str:
    at = f" (lesion {score.lesion_index + 1})" if score.lesion_index is not None else ""
    band = f", {score.band}" if score.band else ""
    return f"{score.title}{at}: {score.total}{band}"
