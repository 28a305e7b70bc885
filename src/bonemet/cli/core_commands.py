"""assess, demo, explain, schema."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from bonemet.cli.app import app, console, fail
from bonemet.examples import example_paths
from bonemet.model import Assessment, Case, CaseError, parse_case
from bonemet.pathway import assess as assess_case
from bonemet.pathway.explain import explain_topic, known_topics
from bonemet.render.markdown import render_markdown
from bonemet.render.plan import do_now
from bonemet.render.text import render, render_brief


class SchemaName(StrEnum):
    case = "case"
    assessment = "assessment"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _read_case(path: Path) -> Case:
    try:
        raw = path.read_bytes()
    except OSError as error:
        fail([f"{path}: cannot read the file ({error.strerror})"], title="Cannot read the case")
    try:
        return parse_case(raw)
    except CaseError as error:
        fail([f"{path}: {problem}" for problem in error.problems], title="Invalid case")


def assess_with_reports(case: Case) -> Assessment:
    """Fill the case from any radiology report text, assess it, and show where facts came from."""
    return assess_reading_reports(case)[1]


def assess_reading_reports(case: Case) -> tuple[Case, Assessment]:
    """`assess_with_reports`, also returning the case as assessed (with the lesions read)."""
    if not any(study.report_text for study in case.imaging):
        return case, assess_case(case)
    from bonemet.nlp import enrich_case  # loads the NLP pipeline only when there is text to read

    enriched, facts = enrich_case(case)
    return enriched, assess_case(enriched).model_copy(update={"facts_from_reports": facts})


def _emit(assessment: Assessment, output: OutputFormat, case: Case | None = None, brief: bool = False) -> None:
    if output is OutputFormat.json:
        print(assessment.model_dump_json(indent=2))
    elif output is OutputFormat.markdown:
        print(render_markdown(assessment, case))
    elif brief:
        console.print(render_brief(assessment, case))
    else:
        console.print(render(assessment, case))


def _record(case: Case, assessment: Assessment) -> None:
    """Keep the assessment in the audit store (BONEMET_DATABASE_URL; BONEMET_AUDIT=0 turns it off)."""
    if os.environ.get("BONEMET_AUDIT", "1").strip().lower() in ("0", "false", "no", "off"):
        return
    from bonemet.store import AuditStore, Source

    store = AuditStore()
    try:
        store.record_assessment(source=Source.cli, case=case, assessment=assessment)
    finally:
        store.close()


@app.command()
def assess(
    file: Path = typer.Argument(..., help="Case JSON file (see `bonemet schema case`)"),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text, json or markdown"),
    audit: bool = typer.Option(True, help="Record the assessment in the audit store"),
    brief: bool = typer.Option(False, "--brief", help="Text: only the 'do now' block and the score totals"),
) -> None:
    """Assess one case: "do now" first, then the plan by step, scores, prognosis, sources."""
    case = _read_case(file)
    assessed, assessment = assess_reading_reports(case)
    _emit(assessment, output, assessed, brief)
    if audit:
        _record(case, assessment)


@app.command()
def demo(
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text, json or markdown"),
    full: bool = typer.Option(False, "--full", help="Text: every example's full plan, not the summary table"),
) -> None:
    """Assess every bundled example: a one-line-per-example table (--full: every plan; JSON: one per line)."""
    summary = Table(title="bonemet examples: what to do first", show_lines=False, expand=True)
    summary.add_column("example", no_wrap=True)
    summary.add_column("do now (or next)", ratio=3)
    summary.add_column("scores that decide", ratio=2)
    for path in example_paths():
        case, assessment = assess_reading_reports(_read_case(path))
        if output is OutputFormat.json:
            print(assessment.model_dump_json())
        elif output is OutputFormat.markdown or full:
            console.rule(f"[bold]{path.stem}")
            _emit(assessment, output, case)
        else:
            now = do_now(assessment, case)
            first = now.actions or now.next_steps
            what = first[0].line() if first else "no recommendation from the data given"
            more = len(first) - 1 + now.later
            what += f" (+{more} more)" if more else ""
            summary.add_row(path.stem, Text(what), Text("; ".join(score.line() for score in now.scores)))
    if output is OutputFormat.text and not full:
        console.print(summary)
        console.print("Full plans: bonemet demo --full, or bonemet assess <example file>.")


@app.command()
def explain(
    topic: str = typer.Argument(..., help="A recommendation code (bma.zoledronic_acid) or score (sins)"),
) -> None:
    """What a recommendation code or score means, when it fires, and its sources."""
    text = explain_topic(topic)
    if text is None:
        fail([f"{topic!r} is not a recommendation code or score; known: {', '.join(known_topics())}"])
    console.print(text, markup=False, highlight=False)


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="case or assessment")) -> None:
    """Print the JSON Schema of the Case input or the Assessment output."""
    model = Case if name is SchemaName.case else Assessment
    print(json.dumps(model.model_json_schema(), indent=2))
