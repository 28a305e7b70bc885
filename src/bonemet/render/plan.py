"""The plan as a clinician reads it: "do now" first, each recommendation said once.

One function over the Assessment (`do_now`) feeds the web page, the terminal text and the
CDS Hooks summary card, so all three agree. It is built on the Assessment model only
(priorities, steps, codes, lesion indices, scores, missing fields), never on the wording of
today's recommendations, so new rules show up in it without a change here.

- `merged_plan`: recommendations with the same code, priority, step, text and dose are
  one item that names every lesion it applies to ("MRI of the whole spine: T6-T9").
- `agent_block`: the bone-modifying agents as one block, the options as rows and the
  reasons they all share printed once, so a reason that applies to one option only (for
  example "correct hypocalcaemia first") stands out on its row.
- `do_now`: emergencies, then urgent items (or, with none, the first routine items), the
  scores that decide and the missing fields that would change the plan most.

No clinical number is made here: everything shown comes from the Assessment, where each
recommendation carries its own sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bonemet.model import Assessment, Case, Dose, MissingItem, Recommendation, ScoreOut
from bonemet.model.vocabulary import PRIORITY_ORDER, Code, Priority, ScoreName, SpinalLevel, Step
from bonemet.render.labels import PRIORITY_LABELS, field_label, points

# The bone-modifying agents: alternatives of which the team gives one.
AGENT_CODES: tuple[Code, ...] = (Code.bma_zoledronic_acid, Code.bma_denosumab, Code.bma_pamidronate)

# Short score names for one-line summaries.
SCORE_SHORT: dict[ScoreName, str] = {
    ScoreName.mirels: "Mirels",
    ScoreName.sins: "SINS",
    ScoreName.escc: "ESCC",
    ScoreName.tokuhashi_revised: "Revised Tokuhashi",
    ScoreName.tomita: "Tomita",
    ScoreName.katagiri_new: "New Katagiri",
    ScoreName.crcl_cockcroft_gault: "CrCl",
    ScoreName.bauer_modified: "Modified Bauer",
}
_LESION_SCORES = (ScoreName.mirels, ScoreName.sins, ScoreName.escc)
_SURVIVAL_SCORES = (ScoreName.katagiri_new, ScoreName.tokuhashi_revised, ScoreName.tomita)
_SPINE_ORDER = {level: i for i, level in enumerate(SpinalLevel)}

DO_NOW_SCORES = 3
DO_NOW_MISSING = 3
DO_NOW_NEXT = 3


# --- Lesions named the way a clinician says them --------------------------------------------


def lesion_name(case: Case | None, index: int) -> str:
    """'T7', 'right femur, peritrochanteric', or 'lesion 2' when the case is not at hand."""
    if case is None or index >= len(case.lesions):
        return f"lesion {index + 1}"
    lesion = case.lesions[index]
    if lesion.level is not None:
        return lesion.level.value
    bone = lesion.bone.value.replace("_", " ")
    where = f"{lesion.side.value} {bone}" if lesion.side is not None and lesion.side.value != "midline" else bone
    return f"{where}, {lesion.segment.value}" if lesion.segment is not None else where


def lesions_text(case: Case | None, indices: Sequence[int]) -> str:
    """Several lesions in one phrase: contiguous vertebral levels as a range ('T6-T9')."""
    if not indices:
        return ""
    levels = [case.lesions[i].level if case is not None and i < len(case.lesions) else None for i in indices]
    if all(level is not None for level in levels):
        ordered = sorted({level for level in levels if level is not None}, key=_SPINE_ORDER.__getitem__)
        runs: list[list[SpinalLevel]] = []
        for level in ordered:
            if runs and _SPINE_ORDER[level] == _SPINE_ORDER[runs[-1][-1]] + 1:
                runs[-1].append(level)
            else:
                runs.append([level])
        return ", ".join(run[0].value if len(run) == 1 else f"{run[0].value}–{run[-1].value}" for run in runs)
    return "; ".join(lesion_name(case, i) for i in indices)


# --- Each recommendation once -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """One recommendation, or several identical ones on different lesions merged into one."""

    code: Code
    priority: Priority
    step: Step
    text: str
    reasons: tuple[str, ...]
    citations: tuple[str, ...]
    lesion_indices: tuple[int, ...] = ()
    dose: Dose | None = None
    where: str = ""  # the lesions in words ('T6–T9'), empty for patient-level items

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS[self.priority]

    @property
    def dose_text(self) -> str:
        if self.dose is None:
            return ""
        d = self.dose
        return f"{points(d.value)} {d.unit} {d.route} {d.interval} ({d.basis})"

    def line(self) -> str:
        """One plain line: '[urgent] Text (T6–T9)'."""
        where = f" ({self.where})" if self.where else ""
        return f"[{self.priority_label}] {self.text}{where}"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def merged_plan(assessment: Assessment, case: Case | None = None) -> tuple[PlanItem, ...]:
    """Every recommendation once, most pressing first (stable within a priority).

    Recommendations are the same when code, priority, step, text and dose agree; their
    lesions are listed together and their reasons and sources kept once each.
    """
    groups: dict[tuple[object, ...], list[Recommendation]] = {}
    for rec in assessment.recommendations:
        key = (rec.code, rec.priority, rec.step, rec.text, rec.dose)
        groups.setdefault(key, []).append(rec)
    items = []
    for recs in groups.values():
        first = recs[0]
        indices = tuple(dict.fromkeys(r.lesion_index for r in recs if r.lesion_index is not None))
        items.append(
            PlanItem(
                code=first.code,
                priority=first.priority,
                step=first.step,
                text=first.text,
                reasons=_unique(reason for r in recs for reason in r.reasons),
                citations=_unique(citation for r in recs for citation in r.citations),
                lesion_indices=indices,
                dose=first.dose,
                where=lesions_text(case, indices),
            )
        )
    return tuple(sorted(items, key=lambda item: PRIORITY_ORDER[item.priority]))


# --- The bone-modifying agents as one block -----------------------------------------------------


@dataclass(frozen=True)
class AgentOption:
    item: PlanItem
    own_reasons: tuple[str, ...]  # reasons this option has and not every option shares


@dataclass(frozen=True)
class AgentBlock:
    options: tuple[AgentOption, ...]
    shared_reasons: tuple[str, ...]
    citations: tuple[str, ...]

    @property
    def preferred(self) -> tuple[AgentOption, ...]:
        best = min(PRIORITY_ORDER[o.item.priority] for o in self.options)
        return tuple(o for o in self.options if PRIORITY_ORDER[o.item.priority] == best)


def agent_block(items: Sequence[PlanItem]) -> AgentBlock | None:
    """The agents recommended (or to consider) as one block; None when there are none."""
    agents = [item for item in items if item.code in AGENT_CODES]
    if not agents:
        return None
    shared = [r for r in agents[0].reasons if all(r in other.reasons for other in agents[1:])]
    options = tuple(AgentOption(item, tuple(r for r in item.reasons if r not in shared)) for item in agents)
    if len(agents) == 1:
        shared, options = [], (AgentOption(agents[0], agents[0].reasons),)
    return AgentBlock(options, tuple(shared), _unique(c for item in agents for c in item.citations))


# --- Do now ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyScore:
    name: ScoreName
    label: str  # 'Mirels'
    value: str  # '12 / 12', '31 mL/min', 'high grade (2-3)'
    band: str
    where: str  # the lesion, or '' for patient-level scores

    def line(self) -> str:
        where = f" ({self.where})" if self.where else ""
        band = f", {self.band}" if self.band and self.band != self.value else ""
        return f"{self.label} {self.value}{band}{where}"


@dataclass(frozen=True)
class KeyGap:
    """A missing field (on one or more lesions) that would change the plan."""

    field: str  # the first Case path, e.g. 'lesions[1].escc_grade'
    label: str
    why: str
    where: str = ""
    fields: tuple[str, ...] = ()

    def line(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.label}{where}: {self.why}"


@dataclass(frozen=True)
class DoNow:
    actions: tuple[PlanItem, ...]  # emergencies, then urgent items
    next_steps: tuple[PlanItem, ...]  # when nothing is urgent: the first routine items
    scores: tuple[KeyScore, ...]
    gaps: tuple[KeyGap, ...]
    later: int  # plan items not shown in the block
    gaps_total: int = 0
    plan: tuple[PlanItem, ...] = field(default=(), repr=False)

    @property
    def empty(self) -> bool:
        return not (self.actions or self.next_steps or self.scores or self.gaps)

    def lines(self) -> list[str]:
        """The block as plain lines (terminal, CDS card markdown)."""
        out: list[str] = []
        if self.actions:
            out += ["Do now:"] + [f"  {item.line()}" for item in self.actions]
        elif self.next_steps:
            out += ["Nothing urgent. Next:"] + [f"  {item.line()}" for item in self.next_steps]
        else:
            out.append("No recommendation from the data given.")
        if self.later:
            out.append(f"  … and {self.later} more item{'s' if self.later != 1 else ''} in the full plan")
        if self.scores:
            out.append("Scores that decide: " + "; ".join(score.line() for score in self.scores))
        if self.gaps:
            out.append("Would change the plan most if known:")
            out += [f"  {gap.line()}" for gap in self.gaps]
        return out


def _score_value(score: ScoreOut) -> str:
    if score.total is None:
        return ""
    if score.name is ScoreName.escc:
        grade = next((i.value for i in score.items if i.value), None)
        return f"grade {grade}" if grade else points(score.total)
    if score.name is ScoreName.crcl_cockcroft_gault:
        return f"{points(round(score.total))} mL/min"
    return points(score.total)


def _key_score(score: ScoreOut, case: Case | None) -> KeyScore:
    where = lesion_name(case, score.lesion_index) if score.lesion_index is not None else ""
    label = SCORE_SHORT.get(score.name, score.name.value)
    return KeyScore(score.name, label, _score_value(score), score.band or "", where)


def key_scores(assessment: Assessment, plan: Sequence[PlanItem], case: Case | None = None) -> tuple[KeyScore, ...]:
    """The scores that decide: lesion scores of the most pressing items first, then survival,
    then creatinine clearance when a dose depends on the kidneys. Only complete scores."""
    complete = [s for s in assessment.scores if s.total is not None]
    lesion_order: list[int] = []
    for item in sorted(plan, key=lambda item: PRIORITY_ORDER[item.priority]):
        lesion_order += [i for i in item.lesion_indices if i not in lesion_order]
    lesion = sorted(
        (s for s in complete if s.name in _LESION_SCORES and s.lesion_index is not None),
        key=lambda s: (
            lesion_order.index(s.lesion_index) if s.lesion_index in lesion_order else len(lesion_order),
            s.lesion_index,
            _LESION_SCORES.index(s.name),
        ),
    )
    survival = next((s for name in _SURVIVAL_SCORES for s in complete if s.name is name), None)
    chosen = lesion[:2] + ([survival] if survival is not None else []) + lesion[2:]
    if any(item.dose is not None for item in plan):
        chosen += [s for s in complete if s.name is ScoreName.crcl_cockcroft_gault]
    return tuple(_key_score(s, case) for s in chosen[:DO_NOW_SCORES])


# Which missing fields come first: those that could reveal an emergency, then fracture risk
# and stability, then diagnosis and drug choice or dose, then the rest (survival scores).
# A display order, not a clinical weight: every gap stays listed in the full plan.
_GAP_RANK: dict[str, int] = {
    "presentation.neurologic_deficit": 0,
    "presentation.neurologic_deficit_new": 0,
    "labs.calcium_mg_dl": 0,
    "labs.albumin_g_dl": 0,
    "labs.ionized_calcium_mmol_l": 0,
    "lesions[].escc_grade": 0,
    "lesions[].cortical_involvement": 1,
    "lesions[].pain": 1,
    "lesions[].segment": 1,
    "lesions[].pathologic_fracture": 1,
    "lesions[].spinal_pain": 1,
    "lesions[].alignment": 1,
    "lesions[].vertebral_collapse": 1,
    "lesions[].posterolateral_involvement": 1,
    "lesions[].pattern": 1,
    "lesions[].level": 1,
    "cancer.history": 2,
    "cancer.bone_biopsy": 2,
    "cancer.primary": 2,
    "labs.creatinine_mg_dl": 2,
    "patient.weight_kg": 2,
    "patient.age_years": 2,
    "patient.sex": 2,
    "patient.dialysis": 2,
    "treatment.dental_evaluation_done": 2,
}
_LAST_RANK = 3


def _generic(path: str) -> tuple[str, int | None]:
    if path.startswith("lesions[") and "]" in path:
        index_text, rest = path[len("lesions[") :].split("]", 1)
        if index_text.isdigit():
            return f"lesions[]{rest}", int(index_text)
    return path, None


def grouped_gaps(missing: Sequence[MissingItem], case: Case | None = None) -> tuple[KeyGap, ...]:
    """Missing fields, each named once: the same question on several lesions is one gap."""
    order: dict[str, tuple[list[MissingItem], list[int]]] = {}
    for item in missing:
        generic, index = _generic(item.field)
        found = order.setdefault(generic, ([], []))
        if item.field not in (m.field for m in found[0]):
            found[0].append(item)
        if index is not None and index not in found[1]:
            found[1].append(index)
    gaps = [
        KeyGap(
            field=items[0].field,
            label=field_label(items[0].field),
            why=items[0].why,
            where=lesions_text(case, indices),
            fields=tuple(i.field for i in items),
        )
        for items, indices in order.values()
    ]
    # Fields asked for the same reason on the same lesions are one gap ("CRP, LDH: ...").
    merged: dict[tuple[str, str], KeyGap] = {}
    for gap in gaps:
        same = merged.get((gap.why, gap.where))
        merged[(gap.why, gap.where)] = (
            gap
            if same is None
            else KeyGap(same.field, f"{same.label}, {gap.label}", same.why, same.where, same.fields + gap.fields)
        )
    return tuple(sorted(merged.values(), key=lambda gap: min(_rank(f) for f in gap.fields)))


def _rank(path: str) -> int:
    return _GAP_RANK.get(_generic(path)[0], _LAST_RANK)


def do_now(assessment: Assessment, case: Case | None = None) -> DoNow:
    """The ten-second view of an assessment (see the module docstring)."""
    plan = merged_plan(assessment, case)
    actions = tuple(item for item in plan if item.priority in (Priority.emergency, Priority.urgent))
    next_steps = () if actions else tuple(item for item in plan if item.priority is Priority.routine)[:DO_NOW_NEXT]
    gaps = grouped_gaps(assessment.missing, case)
    return DoNow(
        actions=actions,
        next_steps=next_steps,
        scores=key_scores(assessment, plan, case),
        gaps=gaps[:DO_NOW_MISSING],
        later=len(plan) - len(actions) - len(next_steps),
        gaps_total=len(gaps),
        plan=plan,
    )
