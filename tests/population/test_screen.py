"""The screen finds every planted care gap, and nothing else, on DuckDB and on Spark, with identical tables."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from bonemet.population.gaps import GapKind
from bonemet.population.screen import GAPS_CSV, GAPS_PARQUET, MALFORMED_CSV, SUMMARY_HTML
from tests.population.conftest import Screen


def planted(truth: dict[str, Any]) -> set[tuple[str, str]]:
    return {(g["patient_id"], g["gap"]) for g in truth["planted_gaps"]}


def found(screen: Screen) -> set[tuple[str, str]]:
    return {(g["patient_id"], g["gap"]) for g in screen.result.gaps}


def malformed(screen: Screen) -> list[tuple[str, int]]:
    return sorted((Path(m.file).name, m.line) for m in screen.result.malformed)


def test_every_kind_of_gap_is_planted_more_than_once(truth: dict[str, Any]) -> None:
    kinds = [g["gap"] for g in truth["planted_gaps"]]
    assert {kind.value for kind in GapKind} == set(kinds)
    assert all(kinds.count(kind.value) >= 2 for kind in GapKind)


def test_duckdb_finds_every_planted_gap(duckdb_screen: Screen, truth: dict[str, Any]) -> None:
    assert planted(truth) - found(duckdb_screen) == set()


def test_duckdb_finds_no_gap_in_patients_whose_care_is_complete(duckdb_screen: Screen, truth: dict[str, Any]) -> None:
    assert found(duckdb_screen) - planted(truth) == set()


def test_spark_finds_every_planted_gap(spark_screen: Screen, truth: dict[str, Any]) -> None:
    assert planted(truth) - found(spark_screen) == set()


def test_spark_finds_no_gap_in_patients_whose_care_is_complete(spark_screen: Screen, truth: dict[str, Any]) -> None:
    assert found(spark_screen) - planted(truth) == set()


def test_both_engines_write_identical_gap_tables(duckdb_screen: Screen, spark_screen: Screen) -> None:
    duck = pq.read_table(duckdb_screen.out / GAPS_PARQUET)
    spark = pq.read_table(spark_screen.out / GAPS_PARQUET)
    assert duck.num_rows == len(duckdb_screen.result.gaps) > 0
    assert duck.equals(spark)
    assert (duckdb_screen.out / GAPS_CSV).read_bytes() == (spark_screen.out / GAPS_CSV).read_bytes()


def test_both_engines_assess_the_same_cohort(duckdb_screen: Screen, spark_screen: Screen) -> None:
    assert duckdb_screen.result.cohort_patients == spark_screen.result.cohort_patients
    assert duckdb_screen.result.patients_by_band == spark_screen.result.patients_by_band
    assert duckdb_screen.result.patients_by_primary == spark_screen.result.patients_by_primary


@pytest.mark.parametrize("engine", ["duckdb_screen", "spark_screen"])
def test_malformed_lines_are_reported_with_file_and_line_and_skipped(
    engine: str, request: pytest.FixtureRequest, truth: dict[str, Any]
) -> None:
    screen: Screen = request.getfixturevalue(engine)
    expected = sorted((m["file"], m["line"]) for m in truth["malformed_lines"])
    assert len(expected) >= 4
    assert malformed(screen) == expected
    with (screen.out / MALFORMED_CSV).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((Path(r["file"]).name, int(r["line"])) for r in rows) == expected


def test_gap_rows_carry_primary_band_and_evidence(duckdb_screen: Screen) -> None:
    for gap in duckdb_screen.result.gaps:
        assert gap["primary"] and gap["katagiri_band"] and gap["evidence"]
    dose_gaps = [g for g in duckdb_screen.result.gaps if g["gap"] == GapKind.zoledronic_dose_above_renal_table.value]
    assert dose_gaps and all(
        "4 mg ordered" in g["evidence"] and "label dose 3.3 mg" in g["evidence"] for g in dose_gaps
    )


def test_summary_is_self_contained_html_with_charts(duckdb_screen: Screen) -> None:
    html = (duckdb_screen.out / SUMMARY_HTML).read_text(encoding="utf-8")
    assert html.count("<svg") == 4
    assert "Katagiri" in html and "Care gaps by type" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
