"""synth and screen: the synthetic Bulk Data export and the population care-gap screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bonemet.cli.app import app, console, fail
from bonemet.population.screen import GAPS_CSV, GAPS_PARQUET, SUMMARY_HTML, EngineName, make_engine, run_screen
from bonemet.population.synth import DEFAULT_AS_OF, GROUND_TRUTH_FILE, synthesize


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail([f"--as-of {text!r}: not a date (YYYY-MM-DD)"])


@app.command()
def synth(
    patients: int = typer.Option(1000, "--patients", min=1, help="Number of patients"),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same files"),
    out: Path = typer.Option(..., "--out", help="Folder for the NDJSON files, manifest and ground truth"),
    as_of: str = typer.Option(DEFAULT_AS_OF.isoformat(), "--as-of", help="Export date (YYYY-MM-DD)"),
) -> None:
    """Write a synthetic FHIR Bulk Data export (NDJSON) with planted care gaps and malformed lines."""
    day = _date(as_of) or DEFAULT_AS_OF
    truth = synthesize(patients, seed, out, as_of=day)
    console.print(
        f"{patients} patients written to {out}: {len(truth['planted_gaps'])} planted care gaps and "
        f"{len(truth['malformed_lines'])} malformed lines listed in {out / GROUND_TRUTH_FILE}."
    )


@app.command()
def screen(
    inputs: list[Path] = typer.Argument(..., help="NDJSON files, or folders holding them (a Bulk Data export)"),
    engine: EngineName = typer.Option(EngineName.duckdb, "--engine", help="duckdb (one machine) or spark"),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="Spark master URL, e.g. spark://host:7077 (default local[2])"
    ),
    out: Path = typer.Option(..., "--out", help="Folder for the care-gap table and the summary"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Evaluation date (default: the export manifest's transactionTime, else today)"
    ),
    chunk_size: int = typer.Option(2000, "--chunk-size", min=1, help="Patients assessed per chunk"),
    memory_limit: str = typer.Option("1GB", "--memory-limit", help="DuckDB memory limit (it spills beyond)"),
) -> None:
    """Screen a FHIR Bulk Data export for care gaps in patients with bone metastases."""
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        fail([f"{p}: no such file or folder" for p in missing], title="Cannot read the export")
    if spark_master is not None and engine is not EngineName.spark:
        fail(["--spark-master needs --engine spark"])
    runner = make_engine(engine, spark_master=spark_master, memory_limit=memory_limit)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("reading and querying the export", total=None)

            def advance(description: str, done: int, total: int) -> None:
                progress.update(task, description=description, completed=done, total=total)

            result = run_screen(inputs, out, runner, as_of=_date(as_of), chunk_size=chunk_size, progress=advance)
            progress.update(task, description="done")
    finally:
        runner.close()
    for line in result.malformed:
        console.print(f"[yellow]malformed line skipped[/]: {line.file}:{line.line}", highlight=False)
    patients = len({g["patient_id"] for g in result.gaps})
    console.print(
        f"{result.cohort_patients} patients assessed, {patients} with care gaps ({len(result.gaps)} gaps); "
        f"{result.deceased_not_screened} deceased patients not screened. "
        f"Wrote {out / GAPS_PARQUET}, {out / GAPS_CSV} and {out / SUMMARY_HTML}."
    )
