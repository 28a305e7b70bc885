"""The assessment as a Rich renderable: emergencies first, the plan by step, score tables."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bonemet.model import Assessment, Recommendation, ScoreOut
from bonemet.model.vocabulary import Priority
from bonemet.render.donow import DoNow, do_now, score_line, where
from bonemet.render.labels import PRIORITY_LABELS, SCORE_TITLES, STEP_TITLES, band_text, points, unscored_text

_PRIORITY_STYLE = {
    Priority.emergency: "bold white on red",
    Priority.urgent: "bold red",
    Priority.routine: "cyan",
    Priority.consider: "dim",
}


def _recommendation(rec: Recommendation) -> RenderableType:
    line = Text()
    line.append(f"[{PRIORITY_LABELS[rec.priority]}] ", style=_PRIORITY_STYLE[rec.priority])
    line.append(rec.text, style="bold")
    line.append(f"  ({rec.code.value})", style="dim")
    parts: list[RenderableType] = [line]
    if rec.dose is not None:
        d = rec.dose
        parts.append(Text(f"    dose: {points(d.value)} {d.unit} {d.route} {d.interval} — {d.basis}", style="green"))
    for reason in rec.reasons:
        parts.append(Text(f"    why: {reason}"))
    for citation in rec.citations:
        parts.append(Text(f"    source: {citation}", style="dim"))
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
        table.add_row(item.item, item.value or "unknown", points(item.points))
    table.caption = score.interpretation + ("\n" + score.citation if score.citation else "")
    table.caption_justify = "left"
    return table


def do_now_panel(plan: DoNow) -> Panel:
    """The ten-second plan: pressing actions, the scores that decide, the missing fields that matter most."""
    lines: list[RenderableType] = []
    if not plan.pressing:
        lines.append(Text("Nothing urgent. First steps:", style="bold"))
    for action in plan.actions:
        line = Text()
        line.append(f"[{PRIORITY_LABELS[action.priority]}] ", style=_PRIORITY_STYLE[action.priority])
        line.append(action.text, style="bold")
        lesions = where(action.lesion_indices)
        if lesions:
            line.append(f" — {lesions}")
        if action.dose is not None:
            d = action.dose
            line.append(f"  dose: {points(d.value)} {d.unit} {d.route} {d.interval}", style="green")
        lines.append(line)
    if not plan.actions:
        lines.append(Text("No recommendation from the data given: see the missing data."))
    if plan.scores:
        lines.append(Text("Scores that decide:", style="bold"))
        lines.extend(Text(f"  {score_line(score)}") for score in plan.scores)
    if plan.missing:
        lines.append(Text("Would change the plan if known:", style="bold"))
        lines.extend(Text(f"  {gap.label}: {gap.why}") for gap in plan.missing)
    border = "red" if any(a.priority is Priority.emergency for a in plan.actions) else "blue"
    return Panel(Group(*lines), title="Do now", border_style=border)


def _header(assessment: Assessment) -> Text:
    header = Text()
    header.append(f"bonemet {assessment.engine_version}", style="bold")
    header.append(f" · knowledge {assessment.knowledge_version} · as of {assessment.as_of}")
    if assessment.case_id:
        header.append(f" · case {assessment.case_id}")
    return header


def render_brief(assessment: Assessment) -> RenderableType:
    """`bonemet assess --brief`: the "do now" block and the scores only."""
    parts: list[RenderableType] = [_header(assessment), Text(assessment.disclaimer, style="italic dim")]
    parts.append(do_now_panel(do_now(assessment)))
    for score in assessment.scores:
        at = f" (lesion {score.lesion_index + 1})" if score.lesion_index is not None else ""
        total = points(score.total) if score.total is not None else unscored_text(score)
        band = f", {score.band}" if score.band else ""
        parts.append(Text(f"{SCORE_TITLES[score.name]}{at}: {total}{band}"))
    return Group(*parts)


def render(assessment: Assessment) -> RenderableType:
    parts: list[RenderableType] = []
    parts.append(_header(assessment))
    parts.append(Text(assessment.disclaimer, style="italic dim"))
    parts.append(do_now_panel(do_now(assessment)))

    if assessment.input_conflicts:
        conflicts = [Text(f"- {c.text} ({', '.join(c.fields)})") for c in assessment.input_conflicts]
        title = "Check the input: parts of the case disagree"
        parts.append(Panel(Group(*conflicts), title=title, border_style="yellow"))

    emergencies = [r for r in assessment.recommendations if r.priority is Priority.emergency]
    if emergencies:
        parts.append(Panel(Group(*[_recommendation(r) for r in emergencies]), title="EMERGENCY", border_style="red"))

    s = assessment.suspicion
    parts.append(Text(f"\nSuspicion of bone metastasis: {s.level.value}", style="bold"))
    parts.extend(Text(f"  - {reason}") for reason in s.reasons)

    if assessment.likely_primaries:
        parts.append(Text("\nLikely primary tumour", style="bold"))
        for lp in assessment.likely_primaries:
            parts.append(Text(f"  {lp.primary.value:<14} {lp.probability:5.0%}  " + "; ".join(lp.why)))
    for possible in assessment.also_possible:
        parts.append(Text(f"  also exclude {possible.primary.value}: {possible.why}"))

    rest = [r for r in assessment.recommendations if r.priority is not Priority.emergency]
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
        parts.append(
            Text(f"  {p.score.value} band {band_text(p.band, p.band_range)}" + (f": {survival}" if survival else ""))
        )
        if p.interpretation:
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


def demo_table(assessed: list[tuple[str, Assessment]]) -> Table:
    """`bonemet demo`: one line per example, its suspicion and the first "do now" action."""
    table = Table(title="bonemet examples (bonemet assess FILE for one plan, bonemet demo --full for all)")
    table.add_column("example")
    table.add_column("suspicion")
    table.add_column("do now (first action)")
    table.add_column("more", justify="right")
    for name, assessment in assessed:
        plan = do_now(assessment)
        first = plan.actions[0] if plan.actions else None
        action = Text()
        if first is not None:
            action.append(f"[{PRIORITY_LABELS[first.priority]}] ", style=_PRIORITY_STYLE[first.priority])
            action.append(first.text)
        else:
            action.append("no recommendation: see the missing data", style="dim")
        more = len(plan.actions) - 1 if plan.actions else 0
        table.add_row(name, assessment.suspicion.level.value, action, f"+{more}" if more else "")
    return table
