"""The assessment as Markdown, for notes, tickets and the README."""

from __future__ import annotations

from bonemet.model import Assessment, Case, Recommendation
from bonemet.model.vocabulary import Priority
from bonemet.render.labels import PRIORITY_LABELS, SCORE_TITLES, STEP_TITLES, band_text, points, unscored_text
from bonemet.render.plan import DoNow, do_now


def _recommendation(rec: Recommendation) -> list[str]:
    lines = [f"- **[{PRIORITY_LABELS[rec.priority]}] {rec.text}** `{rec.code.value}`"]
    if rec.dose is not None:
        d = rec.dose
        lines.append(f"  - dose: {points(d.value)} {d.unit} {d.route} {d.interval} ({d.basis})")
    lines += [f"  - why: {reason}" for reason in rec.reasons]
    lines += [f"  - source: {citation}" for citation in rec.citations]
    return lines


def _do_now(now: DoNow) -> list[str]:
    """The same "do now" block as the page, the terminal and the CDS card."""
    title = "## Do now" if now.actions else "## Nothing urgent: next steps" if now.next_steps else "## Do now"
    lines = [title, ""]
    items = now.actions or now.next_steps
    lines += [f"- **{item.line()}**" if item in now.actions else f"- {item.line()}" for item in items]
    if not items:
        lines.append("- No recommendation from the data given.")
    if now.later:
        lines.append(f"- … and {now.later} more item{'s' if now.later != 1 else ''} in the plan below")
    if now.scores:
        lines += ["", "Scores that decide: " + "; ".join(score.line() for score in now.scores)]
    if now.gaps:
        lines += ["", "Would change the plan most if known:"] + [f"- {gap.line()}" for gap in now.gaps]
    return [*lines, ""]


def render_markdown(assessment: Assessment, case: Case | None = None) -> str:
    out = [f"# bonemet assessment{f' — {assessment.case_id}' if assessment.case_id else ''}", ""]
    out.append(
        f"Engine {assessment.engine_version}, knowledge {assessment.knowledge_version}, as of {assessment.as_of}."
    )
    out += [f"_{assessment.disclaimer}_", ""]
    out += _do_now(do_now(assessment, case))
    if assessment.input_conflicts:
        out.append("## Check the input: parts of the case disagree")
        out += [f"- {c.text} ({', '.join(f'`{f}`' for f in c.fields)})" for c in assessment.input_conflicts]
        out.append("")
    emergencies = [r for r in assessment.recommendations if r.priority is Priority.emergency]
    if emergencies:
        out.append("## EMERGENCY")
        for rec in emergencies:
            out += _recommendation(rec)
        out.append("")
    out.append(f"## Suspicion: {assessment.suspicion.level.value}")
    out += [f"- {reason}" for reason in assessment.suspicion.reasons]
    out.append("")
    if assessment.likely_primaries:
        out += ["## Likely primary", "", "| primary | probability | why |", "|---|---:|---|"]
        for lp in assessment.likely_primaries:
            out.append(f"| {lp.primary.value} | {lp.probability:.0%} | {'; '.join(lp.why)} |")
        out.append("")
    if assessment.also_possible:
        out += [f"- Also exclude {p.primary.value}: {p.why}" for p in assessment.also_possible] + [""]
    for step, title in STEP_TITLES.items():
        recs = [r for r in assessment.recommendations if r.step is step and r.priority is not Priority.emergency]
        if recs:
            out.append(f"## {title}")
            for rec in recs:
                out += _recommendation(rec)
            out.append("")
    if assessment.not_recommended:
        out.append("## Not recommended")
        out += [f"- `{n.code.value}`: {' '.join(n.reasons)}" for n in assessment.not_recommended]
        out.append("")
    for score in assessment.scores:
        where = f", lesion {score.lesion_index + 1}" if score.lesion_index is not None else ""
        total = points(score.total) if score.total is not None else unscored_text(score)
        out += [f"### {SCORE_TITLES[score.name]}{where}: {total} {f'({score.band})' if score.band else ''}", ""]
        out += ["| item | value | points |", "|---|---|---:|"]
        out += [f"| {i.item} | {i.value or 'unknown'} | {points(i.points)} |" for i in score.items]
        out += ["", score.interpretation, "", f"Source: {score.citation}", ""]
    if assessment.prognosis is not None:
        p = assessment.prognosis
        survival = ", ".join(f"{k.replace('_', ' ')}: {v:.0%}" for k, v in p.survival.items())
        out += ["## Prognosis", f"- {p.score.value} band {band_text(p.band, p.band_range)}. {survival}"]
        out += [f"- {e.score.value} {e.band or ''}: {e.estimate}" for e in p.spine]
        out.append("")
    if assessment.missing:
        out.append("## Missing data that would change the plan")
        out += [f"- `{m.field}`: {m.why}" for m in assessment.missing]
        out.append("")
    if assessment.patient_summary:
        out += ["## For the patient", "", assessment.patient_summary, ""]
    return "\n".join(out)
