"""Flat views over raw FHIR resources, defined once and compiled for DuckDB and Spark SQL.

Each `View` is a small SQL-on-FHIR-style view definition: the resource type, an optional
chain of `for_each` array paths (one output row per element, like SQL-on-FHIR `forEach`),
and columns given as JSON paths. A path starting with `$` is read from the resource, one
starting with `@` from the current for_each element. The two dialects differ only in how a
JSON value is read (`json_extract_string` / `get_json_object`) and how an array is unnested
(`unnest` / `LATERAL VIEW explode`); everything after these views is plain SQL that both
engines run unchanged (see queries.py).

The raw table both engines build first is `raw_resource(resource_type, line)`, one row per
well-formed NDJSON line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Dialect(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class ColumnType(StrEnum):
    string = "string"
    number = "number"


@dataclass(frozen=True)
class Column:
    name: str
    path: str  # '$.a.b' from the resource, '@.a' from the innermost for_each element
    type: ColumnType = ColumnType.string
    alternatives: tuple[str, ...] = ()  # further paths tried in order when the first is missing


@dataclass(frozen=True)
class View:
    name: str
    resource: str
    columns: tuple[Column, ...]
    for_each: tuple[str, ...] = ()  # nested array paths; each relative to the previous element


def _col(name: str, path: str, *alternatives: str, number: bool = False) -> Column:
    return Column(name, path, ColumnType.number if number else ColumnType.string, alternatives)


_ID = _col("id", "$.id")
_SUBJECT = _col("patient_ref", "$.subject.reference")

VIEWS: tuple[View, ...] = (
    View(
        "fhir_patient",
        "Patient",
        (
            _ID,
            _col("gender", "$.gender"),
            _col("birth_date", "$.birthDate"),
            _col("deceased_date", "$.deceasedDateTime"),
            _col("deceased_flag", "$.deceasedBoolean"),
        ),
    ),
    View(
        "fhir_condition",
        "Condition",
        (
            _ID,
            _SUBJECT,
            _col("code_text", "$.code.text"),
            _col("onset", "$.onsetDateTime", "$.onsetPeriod.start", "$.recordedDate"),
            _col("clinical_status", "$.clinicalStatus.coding[0].code"),
            _col("verification_status", "$.verificationStatus.coding[0].code"),
            _col("body_site_text", "$.bodySite[0].text"),
        ),
    ),
    View(
        "fhir_condition_coding",
        "Condition",
        (_ID, _col("system", "@.system"), _col("code", "@.code"), _col("display", "@.display")),
        for_each=("$.code.coding",),
    ),
    View(
        "fhir_condition_site",
        "Condition",
        (_ID, _col("system", "@.system"), _col("code", "@.code")),
        for_each=("$.bodySite", "@.coding"),
    ),
    View(
        "fhir_lesion_part",
        "Condition",
        (
            _ID,
            _col("part", "@.url"),
            _col("value", "@.valueString", "@.valueDecimal", "@.valueInteger", "@.valueBoolean"),
        ),
        for_each=("$.extension", "@.extension"),
    ),
    View(
        "fhir_observation",
        "Observation",
        (
            _ID,
            _SUBJECT,
            _col("status", "$.status"),
            _col("system", "@.system"),
            _col("code", "@.code"),
            _col("value_number", "$.valueQuantity.value", "$.valueInteger", number=True),
            _col("unit_code", "$.valueQuantity.code"),
            _col("unit_text", "$.valueQuantity.unit"),
            _col("value_text", "$.valueString", "$.valueCode", "$.valueBoolean", "$.valueInteger", "$.valueDateTime"),
            _col("effective", "$.effectiveDateTime", "$.effectivePeriod.start", "$.issued"),
        ),
        for_each=("$.code.coding",),
    ),
    View(
        "fhir_medication",
        "MedicationRequest",
        (
            _ID,
            _SUBJECT,
            _col("status", "$.status"),
            _col("intent", "$.intent"),
            _col("authored", "$.authoredOn"),
            _col("text", "$.medicationCodeableConcept.text"),
            _col("dose_value", "$.dosageInstruction[0].doseAndRate[0].doseQuantity.value", number=True),
            _col(
                "dose_unit",
                "$.dosageInstruction[0].doseAndRate[0].doseQuantity.code",
                "$.dosageInstruction[0].doseAndRate[0].doseQuantity.unit",
            ),
            _col("reason_code", "$.reasonCode[0].coding[0].code"),
        ),
    ),
    View(
        "fhir_medication_coding",
        "MedicationRequest",
        (_ID, _col("system", "@.system"), _col("code", "@.code"), _col("display", "@.display")),
        for_each=("$.medicationCodeableConcept.coding",),
    ),
    View(
        "fhir_procedure",
        "Procedure",
        (
            _ID,
            _SUBJECT,
            _col("status", "$.status"),
            _col("performed", "$.performedDateTime", "$.performedPeriod.start"),
            _col("code_text", "$.code.text"),
            _col("body_site_text", "$.bodySite[0].text"),
        ),
    ),
    View(
        "fhir_procedure_coding",
        "Procedure",
        (_ID, _col("system", "@.system"), _col("code", "@.code"), _col("display", "@.display")),
        for_each=("$.code.coding",),
    ),
    View(
        "fhir_imaging",
        "ImagingStudy",
        (
            _ID,
            _SUBJECT,
            _col("status", "$.status"),
            _col("started", "$.started"),
            _col("description", "$.description"),
            _col("modality_code", "$.modality[0].code", "$.series[0].modality.code"),
        ),
    ),
)

# The lesion view unnests every extension's sub-extensions; the outer url tells which are
# bonemet lesion details. It is carried as an extra column read from the outer element.
LESION_URL_COLUMN = "extension_url"


def _json_string(dialect: Dialect, source: str, path: str) -> str:
    if dialect is Dialect.duckdb:
        return f"json_extract_string({source}, '{path}')"
    return f"get_json_object({source}, '{path}')"


def _source_and_path(path: str, depth: int) -> tuple[str, str]:
    if path.startswith("@"):
        return f"item{depth}", "$" + path[1:]
    return "r.line", path


def _reads(view: View) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Per output column: its name and the (source, JSON path) reads tried in order."""
    depth = len(view.for_each)
    reads = [
        (column.name, tuple(_source_and_path(path, depth) for path in (column.path, *column.alternatives)))
        for column in view.columns
    ]
    if view.name == "fhir_lesion_part":
        reads.append((LESION_URL_COLUMN, (("item1", "$.url"),)))
    return reads


def _unnest_sql(dialect: Dialect, view: View) -> str:
    joins: list[str] = []
    for level, path in enumerate(view.for_each, start=1):
        source, json_path = _source_and_path(path, level - 1)
        if dialect is Dialect.duckdb:
            array = f"CAST(json_extract({source}, '{json_path}') AS JSON[])"
            joins.append(f", unnest({array}) AS u{level}(item{level})")
        else:
            array = f"from_json({_json_string(dialect, source, json_path)}, 'array<string>')"
            joins.append(f" LATERAL VIEW explode({array}) u{level} AS item{level}")
    return "".join(joins)


def _typed(value: str, column: Column | None) -> str:
    if column is not None and column.type is ColumnType.number:
        return f"TRY_CAST({value} AS DOUBLE)"
    return value


def _coalesce(values: list[str]) -> str:
    return values[0] if len(values) == 1 else f"COALESCE({', '.join(values)})"


def _spark_view(view: View) -> str:
    by_name = {column.name: column for column in view.columns}
    columns = [
        f"{_typed(_coalesce([_json_string(Dialect.spark, s, p) for s, p in reads]), by_name.get(name))} AS {name}"
        for name, reads in _reads(view)
    ]
    return (
        f"SELECT {', '.join(columns)} FROM raw_resource r{_unnest_sql(Dialect.spark, view)} "
        f"WHERE r.resource_type = '{view.resource}'"
    )


def _duckdb_view(view: View) -> str:
    """DuckDB parses a JSON text once per call: every path of one source is read in one call."""
    by_name = {column.name: column for column in view.columns}
    paths: dict[str, list[str]] = {}
    for _, reads in _reads(view):
        for source, path in reads:
            if path not in paths.setdefault(source, []):
                paths[source].append(path)
    aliases = {source: f"v{index}" for index, source in enumerate(paths)}
    inner = ", ".join(
        f"json_extract_string({source}, [{', '.join(repr(p) for p in source_paths)}]) AS {aliases[source]}"
        for source, source_paths in paths.items()
    )
    columns = [
        f"{_typed(_coalesce([f'{aliases[s]}[{paths[s].index(p) + 1}]' for s, p in reads]), by_name.get(name))} "
        f"AS {name}"
        for name, reads in _reads(view)
    ]
    return (
        f"SELECT {', '.join(columns)} FROM (SELECT {inner} FROM raw_resource r{_unnest_sql(Dialect.duckdb, view)} "
        f"WHERE r.resource_type = '{view.resource}') AS extracted"
    )


def compile_view(view: View, dialect: Dialect) -> str:
    """The SELECT statement that flattens `raw_resource` into this view, in one dialect."""
    return _duckdb_view(view) if dialect is Dialect.duckdb else _spark_view(view)
