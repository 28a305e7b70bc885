"""The assessment as a Rich renderable: emergencies first, the plan by step, score tables."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bonemet.model import Assessment, Recommendation, ScoreOut
from bonemet.model.vocabulary import Priority
from bonemet.render.labels import PRIORITY_LABELS, SCORE_TITLES, STEP_TITLES, points

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
    total = points(score.total) if score.total is not None else "not scored"
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


def render(assessment: Assessment) -> RenderableType:
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
        parts.append(Text(f"  {p.score.value} band {p.band or 'not scored'}" + (f": {survival}" if survival else "")))
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
