"""`screen`: a FHIR Bulk Data export in, a care-gap table (Parquet and CSV) and an HTML summary out.

Steps, the same on every engine: load the NDJSON lines (malformed ones are reported with
file and line number, and skipped); flatten them with the view definitions; build the
cohort's cases with the shared set-based queries; then, one chunk of patients at a time,
assemble each Case, run `assess`, and apply the gap rules. Only the chunk in hand is in
Python's memory; the output files are written as the chunks come.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bonemet.pathway import assess
from bonemet.population.cases import PatientRecord, patient_records
from bonemet.population.codes import reference_tables
from bonemet.population.engines import DuckDbEngine, Engine, MalformedLine, SparkEngine
from bonemet.population.gaps import Gap, Screened, care_gaps
from bonemet.population.queries import COHORT_TABLES, Parameters, case_queries, chunk_query
from bonemet.population.views import VIEWS, Dialect, compile_view

GAPS_PARQUET = "care-gaps.parquet"
GAPS_CSV = "care-gaps.csv"
SUMMARY_HTML = "summary.html"
SUMMARY_JSON = "summary.json"
MALFORMED_CSV = "malformed-lines.csv"
GAP_COLUMNS: tuple[str, ...] = (
    "patient_id",
    "gap",
    "gap_label",
    "evidence",
    "primary",
    "katagiri_band",
    "suspicion",
    "as_of",
)
UNKNOWN_BAND = "not computable"
UNKNOWN_PRIMARY = "unknown"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@dataclass
class ScreenResult:
    """What one run found, for the summary and the caller."""

    engine: str
    as_of: dt.date
    files: list[str]
    malformed: list[MalformedLine]
    cohort_patients: int = 0
    deceased_not_screened: int = 0
    gaps: list[dict[str, Any]] = field(default_factory=list)
    patients_by_primary: Counter[str] = field(default_factory=Counter)
    patients_by_band: Counter[str] = field(default_factory=Counter)
    dropped_values: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def gaps_by(self, key: str) -> Counter[str]:
        return Counter(str(g[key]) for g in self.gaps)


Progress = Callable[[str, int, int], None]


# A Bulk Data export folder may hold the server's own event log (not FHIR resources): never read as data.
EXPORT_LOG_FILES = frozenset({"log.ndjson"})


def ndjson_files(inputs: Iterable[Path]) -> list[Path]:
    """NDJSON files named directly, or found in the folders given (sorted, so runs are repeatable).

    In a folder, the export's own log (log.ndjson) is skipped, and so is any file the folder's Bulk
    Data manifest.json lists under `error` (OperationOutcomes, not patient data)."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            skipped = EXPORT_LOG_FILES | _manifest_error_files(path)
            found += sorted(
                p for p in path.iterdir() if p.suffix in (".ndjson", ".jsonl") and p.is_file() and p.name not in skipped
            )
        else:
            found.append(path)
    return found


def _manifest_error_files(folder: Path) -> frozenset[str]:
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return frozenset()
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return frozenset()
    errors = data.get("error", []) if isinstance(data, dict) else []
    return frozenset(
        str(item.get("url", "")).rsplit("/", 1)[-1] for item in errors if isinstance(item, dict) and item.get("url")
    )


def manifest_as_of(inputs: Iterable[Path]) -> dt.date | None:
    """The export's transactionTime (Bulk Data manifest.json in a folder given), as the as-of date."""
    for path in inputs:
        manifest = path / "manifest.json" if path.is_dir() else None
        if manifest is None or not manifest.is_file():
            continue
        try:
            stamp = json.loads(manifest.read_text(encoding="utf-8")).get("transactionTime", "")
            return dt.date.fromisoformat(str(stamp)[:10])
        except (ValueError, json.JSONDecodeError):
            continue
    return None


def make_engine(name: EngineName, spark_master: str | None = None, memory_limit: str = "1GB") -> Engine:
    if name is EngineName.spark:
        return SparkEngine(master=spark_master or "local[2]")
    return DuckDbEngine(memory_limit=memory_limit)


def _dialect(engine: Engine) -> Dialect:
    return Dialect.spark if engine.name == "spark" else Dialect.duckdb


def build_cohort(engine: Engine, files: list[Path], parameters: Parameters) -> tuple[list[MalformedLine], int]:
    """Load, flatten and run the shared queries; return the malformed lines and the number of chunks."""
    malformed = engine.load(files)
    for table in reference_tables():
        engine.register(table)
    for view in VIEWS:
        engine.materialise(view.name, compile_view(view, _dialect(engine)))
    for query in case_queries(parameters):
        engine.materialise(query.name, query.sql, keep=query.keep)
    rows = engine.rows("SELECT COUNT(*) AS patients, MAX(chunk) AS last_chunk FROM cohort_chunk")
    last = rows[0]["last_chunk"]
    return malformed, 0 if last is None else int(last) + 1


def _band(screened: Screened) -> str:
    prognosis = screened.assessment.prognosis
    return prognosis.band if prognosis is not None and prognosis.band else UNKNOWN_BAND


def _primary(record: PatientRecord) -> str:
    cancer = record.case.cancer
    if cancer.primary is not None:
        return cancer.primary.value
    if cancer.history is not None and cancer.history.value == "unknown_primary":
        return "unknown_primary"
    return UNKNOWN_PRIMARY


def _gap_row(gap: Gap, screened: Screened, primary: str, as_of: dt.date) -> dict[str, Any]:
    return {
        "patient_id": gap.patient_id,
        "gap": gap.kind.value,
        "gap_label": gap.label,
        "evidence": gap.evidence,
        "primary": primary,
        "katagiri_band": _band(screened),
        "suspicion": screened.assessment.suspicion.level.value,
        "as_of": as_of.isoformat(),
    }


def screen_records(records: list[PatientRecord], as_of: dt.date, result: ScreenResult) -> list[dict[str, Any]]:
    """Assess each patient of one chunk and return its gap rows."""
    rows: list[dict[str, Any]] = []
    for record in records:
        screened = Screened(case=record.case, assessment=assess(record.case, today=as_of), facts=record.facts)
        primary = _primary(record)
        result.patients_by_primary[primary] += 1
        result.patients_by_band[_band(screened)] += 1
        result.dropped_values += len(record.dropped)
        rows += [_gap_row(gap, screened, primary, as_of) for gap in care_gaps(screened)]
    return rows


class _GapWriter:
    """Parquet and CSV written chunk by chunk, with a fixed schema so an empty run is valid too."""

    def __init__(self, out: Path) -> None:
        import csv

        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        out.mkdir(parents=True, exist_ok=True)
        self._pa = pa
        self._schema = pa.schema([(name, pa.string()) for name in GAP_COLUMNS])
        self._parquet = pq.ParquetWriter(str(out / GAPS_PARQUET), self._schema)
        self._csv_file = (out / GAPS_CSV).open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._csv_file, fieldnames=list(GAP_COLUMNS))
        self._csv.writeheader()

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = self._pa.Table.from_pylist(rows, schema=self._schema)
        self._parquet.write_table(table)
        self._csv.writerows(rows)

    def close(self) -> None:
        self._parquet.close()
        self._csv_file.close()


def _write_malformed(out: Path, malformed: list[MalformedLine]) -> None:
    import csv

    with (out / MALFORMED_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "snippet"])
        writer.writerows([m.file, m.line, m.snippet] for m in malformed)


def _summary_json(result: ScreenResult) -> dict[str, Any]:
    return {
        "engine": result.engine,
        "as_of": result.as_of.isoformat(),
        "files": result.files,
        "cohort_patients": result.cohort_patients,
        "deceased_not_screened": result.deceased_not_screened,
        "patients_with_gaps": len({g["patient_id"] for g in result.gaps}),
        "gaps": dict(sorted(result.gaps_by("gap").items())),
        "patients_by_primary": dict(sorted(result.patients_by_primary.items())),
        "patients_by_katagiri_band": dict(sorted(result.patients_by_band.items())),
        "malformed_lines": [{"file": m.file, "line": m.line} for m in result.malformed],
        "values_not_used": result.dropped_values,
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
    }


def run_screen(
    inputs: list[Path],
    out: Path,
    engine: Engine,
    as_of: dt.date | None = None,
    chunk_size: int = 2000,
    progress: Progress | None = None,
) -> ScreenResult:
    """Screen an export with an engine and write the care-gap table, the summary and the malformed-line list."""
    from bonemet.population.report import render_summary

    files = ndjson_files(inputs)
    day = as_of or manifest_as_of(inputs) or dt.date.today()
    started = time.perf_counter()
    malformed, chunks = build_cohort(engine, files, Parameters(as_of=day, chunk_size=chunk_size))
    result = ScreenResult(engine=engine.name, as_of=day, files=[str(f) for f in files], malformed=malformed)
    result.deceased_not_screened = int(engine.rows("SELECT COUNT(*) AS n FROM cohort_deceased")[0]["n"])
    result.seconds["queries"] = time.perf_counter() - started
    writer = _GapWriter(out)
    try:
        for chunk in range(chunks):
            tables = {table: engine.rows(chunk_query(table, chunk)) for table in COHORT_TABLES}
            records = patient_records(tables, day)
            result.cohort_patients += len(records)
            rows = screen_records(records, day, result)
            result.gaps += rows
            writer.write(rows)
            if progress is not None:
                progress("assessing patients", chunk + 1, chunks)
    finally:
        writer.close()
    result.seconds["total"] = time.perf_counter() - started
    _write_malformed(out, malformed)
    (out / SUMMARY_JSON).write_text(json.dumps(_summary_json(result), indent=2) + "\n", encoding="utf-8")
    (out / SUMMARY_HTML).write_text(render_summary(result), encoding="utf-8")
    return result
