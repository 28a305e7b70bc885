"""The two engines that run the shared queries: DuckDB (one machine) and Apache Spark.

An engine does four things, each the same in meaning on both: load NDJSON files into
`raw_resource(resource_type, line)` and report every malformed line with its file and
line number; register the small reference tables; materialise a query under a name; and
return the rows of a query. Everything between loading and fetching is the shared SQL.

Memory stays bounded on both: DuckDB runs with a memory limit and spills to a temporary
directory; Spark spills by design. Results come back to Python one chunk of patients at a
time (queries.chunk_query).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bonemet.population.codes import Table

# A line is malformed when it is not blank and is not a JSON object with a string
# resourceType. Both engines read JSON with their own parser; the test population's
# malformed lines (truncated objects, plain text, objects without resourceType, arrays)
# are judged the same by both.
MALFORMED_SNIPPET_CHARS = 120


@dataclass(frozen=True)
class MalformedLine:
    file: str
    line: int
    snippet: str


class Engine(Protocol):
    name: str

    def load(self, files: list[Path]) -> list[MalformedLine]: ...

    def register(self, table: Table) -> None: ...

    def materialise(self, name: str, sql: str, keep: bool = True) -> None: ...

    def rows(self, sql: str) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class DuckDbEngine:
    """DuckDB in-process, on a temporary database file so that big exports spill to disk."""

    name = "duckdb"

    def __init__(self, memory_limit: str = "1GB", threads: int | None = None, workdir: Path | None = None) -> None:
        import duckdb

        self._tmp = tempfile.TemporaryDirectory(prefix="bonemet-screen-", dir=workdir)
        self._con = duckdb.connect(str(Path(self._tmp.name) / "screen.duckdb"))
        self._con.execute(f"SET memory_limit = {_sql_text(memory_limit)}")
        self._con.execute(f"SET temp_directory = {_sql_text(str(Path(self._tmp.name) / 'spill'))}")
        self._con.execute("SET preserve_insertion_order = true")
        if threads is not None:
            self._con.execute(f"SET threads = {int(threads)}")
        self._con.execute(
            "CREATE TABLE raw_line (file_id INTEGER, line_no BIGINT, resource_type VARCHAR, line VARCHAR)"
        )

    def load(self, files: list[Path]) -> list[MalformedLine]:
        for file_id, path in enumerate(files):
            # One VARCHAR column per line: the delimiter, quote and escape are set to
            # characters valid JSON never holds unescaped, so a line is never split.
            self._con.execute(
                "INSERT INTO raw_line SELECT ?, line_no, resource_type, "
                f"CASE WHEN resource_type IS NULL THEN substr(line, 1, {MALFORMED_SNIPPET_CHARS}) ELSE line END "
                "FROM (SELECT row_number() OVER () AS line_no, line, CASE WHEN json_valid(line) "
                "THEN json_extract_string(line, '$.resourceType') END AS resource_type "
                f"FROM read_csv({_sql_text(str(path))}, "
                "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', header = false, "
                "auto_detect = false, strict_mode = false)) lines WHERE line IS NOT NULL AND trim(line) <> ''",
                [file_id],
            )
        self._con.execute(
            "CREATE VIEW raw_resource AS SELECT resource_type, line FROM raw_line WHERE resource_type IS NOT NULL"
        )
        found = self._con.execute(
            "SELECT file_id, line_no, line FROM raw_line WHERE resource_type IS NULL ORDER BY file_id, line_no"
        ).fetchall()
        return [MalformedLine(str(files[f]), int(n), str(text)) for f, n, text in found]

    def register(self, table: Table) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]

        columns = list(zip(*table.rows, strict=True)) if table.rows else [() for _ in table.columns]
        arrow = pa.table({name: list(values) for name, values in zip(table.columns, columns, strict=True)})
        self._con.register(f"{table.name}_arrow", arrow)
        self._con.execute(f"CREATE TABLE {table.name} AS SELECT * FROM {table.name}_arrow")
        self._con.unregister(f"{table.name}_arrow")

    def materialise(self, name: str, sql: str, keep: bool = True) -> None:
        kind = "TABLE" if keep else "VIEW"
        self._con.execute(f"CREATE {kind} {name} AS {sql}")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self._con.execute(sql)
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self._con.close()
        self._tmp.cleanup()


class SparkEngine:
    """Apache Spark SQL: local mode by default, or any cluster given by its master URL."""

    name = "spark"

    def __init__(
        self, master: str = "local[2]", app_name: str = "bonemet-screen", config: dict[str, str] | None = None
    ) -> None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master).appName(app_name)
        settings = {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "8",
            "spark.sql.ansi.enabled": "false",
            "spark.sql.session.timeZone": "UTC",
            "spark.driver.memory": os.environ.get("BONEMET_SPARK_DRIVER_MEMORY", "1g"),
            **(config or {}),
        }
        for key, value in settings.items():
            builder = builder.config(key, value)
        self._spark = builder.getOrCreate()
        self._spark.sparkContext.setLogLevel("ERROR")
        self._cached: list[str] = []

    def load(self, files: list[Path]) -> list[MalformedLine]:
        from pyspark.sql import functions as f

        frames = []
        for file_id, path in enumerate(files):
            frame = self._spark.read.text(str(path)).select(
                f.lit(file_id).alias("file_id"),
                f.monotonically_increasing_id().alias("row_id"),
                f.col("value").alias("line"),
            )
            frames.append(frame)
        if not frames:
            self._spark.sql(
                "CREATE OR REPLACE TEMPORARY VIEW raw_resource AS SELECT '' AS resource_type, '' AS line WHERE 1 = 0"
            )
            return []
        raw = frames[0]
        for frame in frames[1:]:
            raw = raw.unionByName(frame)
        raw.createOrReplaceTempView("raw_text")
        self.materialise(
            "raw_line",
            "SELECT file_id, row_id, line, get_json_object(line, '$.resourceType') AS resource_type FROM raw_text",
        )
        self.materialise(
            "raw_resource", "SELECT resource_type, line FROM raw_line WHERE resource_type IS NOT NULL", keep=False
        )
        return self._malformed(files)

    def _malformed(self, files: list[Path]) -> list[MalformedLine]:
        # Spark numbers rows (partition << 33) + row within the partition, and a file's
        # partitions follow its byte order: a line's number is the rows of the file's
        # earlier partitions plus its place in its own partition.
        found = self.rows(
            "WITH parts AS (SELECT file_id, shiftright(row_id, 33) AS part, COUNT(*) AS n, MIN(row_id) AS first_id "
            "FROM raw_line GROUP BY file_id, shiftright(row_id, 33)), "
            "offsets AS (SELECT file_id, part, first_id, COALESCE(SUM(n) OVER (PARTITION BY file_id ORDER BY part "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before FROM parts) "
            "SELECT l.file_id, o.before + (l.row_id - o.first_id) + 1 AS line_no, "
            f"substr(l.line, 1, {MALFORMED_SNIPPET_CHARS}) AS snippet FROM raw_line l JOIN offsets o "
            "ON o.file_id = l.file_id AND o.part = shiftright(l.row_id, 33) "
            "WHERE l.resource_type IS NULL AND trim(l.line) <> '' ORDER BY l.file_id, line_no"
        )
        return [MalformedLine(str(files[int(r["file_id"])]), int(r["line_no"]), str(r["snippet"])) for r in found]

    def register(self, table: Table) -> None:
        from pyspark.sql.types import DoubleType, StringType, StructField, StructType

        def field_type(index: int) -> Any:
            sample = next((row[index] for row in table.rows), "")
            return DoubleType() if isinstance(sample, float) else StringType()

        schema = StructType([StructField(name, field_type(i), True) for i, name in enumerate(table.columns)])
        frame = self._spark.createDataFrame([tuple(row) for row in table.rows], schema)
        frame.createOrReplaceTempView(table.name)

    def materialise(self, name: str, sql: str, keep: bool = True) -> None:
        frame = self._spark.sql(sql)
        if keep:
            # A local checkpoint stores the rows and cuts the plan's lineage: later queries
            # read the stored rows instead of carrying (and printing) every plan before them.
            frame = frame.localCheckpoint(eager=True)
            self._cached.append(name)
        frame.createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self._spark.sql(sql).collect()]

    def close(self) -> None:
        for name in reversed(self._cached):
            self._spark.catalog.dropTempView(name)
        self._cached.clear()
        self._spark.catalog.clearCache()
