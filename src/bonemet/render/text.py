"""The assessment as a Rich renderable: emergencies first, the plan by step, score tables."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bonemet.model import Assessment, Case, ScoreOut
from bonemet.model.vocabulary import Priority
from bonemet.render.labels import (
    PRIORITY_LABELS,
    SCORE_TITLES,
    STEP_TITLES,
    band_text,
    item_words,
    points,
    unscored_text,
    value_words,
)
from bonemet.render.plan import DoNow, PlanItem, do_now, lesion_name

_PRIORITY_STYLE = {
    Priority.emergency: "bold white on red",
    Priority.urgent: "bold red",
    Priority.routine: "cyan",
    Priority.consider: "dim",
}


def _recommendation(rec: PlanItem) -> RenderableType:
    line = Text()
    line.append(f"[{PRIORITY_LABELS[rec.priority]}] ", style=_PRIORITY_STYLE[rec.priority])
    line.append(rec.text, style="bold")
    if rec.where:
        line.append(f" ({rec.where})")
    line.append(f"  ({rec.code.value})", style="dim")
    parts: list[RenderableType] = [line]
    if rec.dose is not None:
        d = rec.dose
        parts.append(_indented(f"dose: {points(d.value)} {d.unit} {d.route} {d.interval} — {d.basis}", 4, "green"))
    for reason in rec.reasons:
        parts.append(_indented(f"why: {reason}", 4))
    for citation in rec.citations:
        parts.append(_indented(f"source: {citation}", 4, "dim"))
    return Group(*parts)


def _score_table(score: ScoreOut) -> Table:
    where = f" — lesion {score.lesion_index + 1}" if score.lesion_index is not None else ""
    total = points(score.total) if score.total is not None else unscored_text(score)
    title = f"{SCORE_TITLES[score.name]}{where}: {total}" + (f" ({score.band})" if score.band else "")
    table = Table(title=title, title_justify="left", show_edge=False, expand=False)
    table.add_column("item")
    table.add_column("value")
    table.add_column("points", justify="right")
    for item in score.items:
        table.add_row(item_words(item.item), value_words(item.value) if item.value else "unknown", points(item.points))
    table.caption = score.interpretation + ("\n" + score.citation if score.citation else "")
    table.caption_justify = "left"
    return table


def _indented(text: str | Text, indent: int = 2, style: str = "") -> Padding:
    """A line whose wrapped continuation keeps the indent (Rich wraps inside the padding)."""
    return Padding(Text(text, style=style) if isinstance(text, str) else text, (0, 0, 0, indent))


def _item_line(item: PlanItem) -> Text:
    line = Text()
    line.append(f"[{item.priority_label}] ", style=_PRIORITY_STYLE[item.priority])
    line.append(item.text, style="bold" if item.priority in (Priority.emergency, Priority.urgent) else "")
    if item.where:
        line.append(f" ({item.where})")
    return line


def _do_now_panel(now: DoNow) -> Panel:
    parts: list[RenderableType] = []
    if now.actions:
        parts += [_indented(_item_line(item), 0) for item in now.actions]
    elif now.next_steps:
        parts.append(Text("Nothing urgent. Next:"))
        parts += [_indented(_item_line(item)) for item in now.next_steps]
    else:
        parts.append(Text("No recommendation from the data given."))
    if now.later:
        more = f"… and {now.later} more item{'s' if now.later != 1 else ''} in the full plan"
        parts.append(_indented(more, 0, "dim"))
    if now.scores:
        parts.append(Text("Scores that decide", style="bold"))
        parts += [_indented(score.line()) for score in now.scores]
    if now.gaps:
        parts.append(Text("Would change the plan most if known", style="bold"))
        parts += [_indented(gap.line()) for gap in now.gaps]
    emergency = any(item.priority is Priority.emergency for item in now.actions)
    return Panel(Group(*parts), title="Do now", title_align="left", border_style="red" if emergency else "cyan")


def _score_line(score: ScoreOut, case: Case | None) -> str:
    where = f" ({lesion_name(case, score.lesion_index)})" if score.lesion_index is not None else ""
    total = points(score.total) if score.total is not None else unscored_text(score)
    missing = f"; unknown: {', '.join(m.replace('_', ' ') for m in score.missing_items)}" if score.total is None else ""
    band = f", {score.band}" if score.band else ""
    return f"  {SCORE_TITLES[score.name]}{where}: {total}{band}{missing}"


def render_brief(assessment: Assessment, case: Case | None = None) -> RenderableType:
    """`bonemet assess --brief`: the "do now" block and one line per score."""
    parts: list[RenderableType] = [_do_now_panel(do_now(assessment, case))]
    if assessment.scores:
        parts.append(Text("Scores", style="bold"))
        parts.extend(Text(_score_line(score, case)) for score in assessment.scores)
    parts.append(Text(assessment.disclaimer, style="italic dim"))
    return Group(*parts)


def render(assessment: Assessment, case: Case | None = None) -> RenderableType:
    now = do_now(assessment, case)
    parts: list[RenderableType] = []
    header = Text()
    header.append(f"bonemet {assessment.engine_version}", style="bold")
    header.append(f" · knowledge {assessment.knowledge_version} · as of {assessment.as_of}")
    if assessment.case_id:
        header.append(f" · case {assessment.case_id}")
    parts.append(header)
    parts.append(Text(assessment.disclaimer, style="italic dim"))

    if assessment.input_conflicts:
        conflicts = [Text(f"- {c.text} ({', '.join(c.fields)})") for c in assessment.input_conflicts]
        title = "Check the input: parts of the case disagree"
        parts.append(Panel(Group(*conflicts), title=title, border_style="yellow"))

    parts.append(_do_now_panel(now))

    emergencies = [r for r in now.plan if r.priority is Priority.emergency]
    if emergencies:
        parts.append(Panel(Group(*[_recommendation(r) for r in emergencies]), title="EMERGENCY", border_style="red"))

    s = assessment.suspicion
    parts.append(Text(f"\nSuspicion of bone metastasis: {s.level.value}", style="bold"))
    parts.extend(_indented(f"- {reason}", 2) for reason in s.reasons)

    if assessment.likely_primaries:
        parts.append(Text("\nLikely primary tumour", style="bold"))
        for lp in assessment.likely_primaries:
            parts.append(Text(f"  {lp.primary.value:<14} {lp.probability:5.0%}  " + "; ".join(lp.why)))
    for possible in assessment.also_possible:
        parts.append(Text(f"  also exclude {possible.primary.value}: {possible.why}"))

    rest = [r for r in now.plan if r.priority is not Priority.emergency]
    for step, recs in groupby(sorted(rest, key=lambda r: list(STEP_TITLES).index(r.step)), key=lambda r: r.step):
        parts.append(Text(f"\n{STEP_TITLES[step]}", style="bold underline"))
        parts.extend(_recommendation(r) for r in recs)

    if assessment.not_recommended:
        parts.append(Text("\nNot recommended", style="bold underline"))
        for item in assessment.not_recommended:
            parts.append(Text(f"  {item.code.value}: " + " ".join(item.reasons)))

    if assessment.scores:
        parts.append(Text("\nScores", style="bold underline"))
        parts.extend(_score_table(score) for score in assessment.scores)

    if assessment.prognosis is not None:
        p = assessment.prognosis
        parts.append(Text("\nPrognosis", style="bold underline"))
        survival = ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in p.survival.items())
        band = band_text(p.band, p.band_range)
        parts.append(Text(f"  {p.score.value} band {band}" + (f": {survival}" if survival else "")))
        # Said once: the score table above already carries the same interpretation.
        if p.interpretation and all(score.interpretation != p.interpretation for score in assessment.scores):
            parts.append(Text(f"  {p.interpretation}"))
        for estimate in p.spine:
            parts.append(Text(f"  {estimate.score.value} {estimate.band or ''}: {estimate.estimate}"))

    if assessment.missing:
        parts.append(Text("\nMissing data that would change the plan", style="bold underline"))
        for gap in assessment.missing:
            parts.append(Text(f"  {gap.field}: {gap.why}"))

    if assessment.facts_from_reports:
        parts.append(Text("\nFacts read from report text", style="bold underline"))
        for fact in assessment.facts_from_reports:
            parts.append(Text(f"  {fact.field} = {fact.value}  ← “{fact.text}”"))

    if assessment.patient_summary:
        parts.append(Panel(assessment.patient_summary, title="For the patient", border_style="green"))
    return Group(*parts)
