"""`bonemet synth` and `bonemet screen` as commands (registered by bonemet.cli.population)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import bonemet.cli.population  # noqa: F401  (registers the commands)
from bonemet.cli.app import app
from bonemet.population.screen import GAPS_CSV, GAPS_PARQUET, SUMMARY_HTML, SUMMARY_JSON

runner = CliRunner()


def test_synth_then_screen_on_duckdb(tmp_path: Path) -> None:
    export, out = tmp_path / "export", tmp_path / "out"
    made = runner.invoke(app, ["synth", "--patients", "120", "--seed", "5", "--out", str(export)])
    assert made.exit_code == 0, made.output
    screened = runner.invoke(app, ["screen", str(export), "--out", str(out)])
    assert screened.exit_code == 0, screened.output
    assert "malformed line skipped" in screened.output
    for name in (GAPS_PARQUET, GAPS_CSV, SUMMARY_HTML, SUMMARY_JSON):
        assert (out / name).is_file()
    summary = json.loads((out / SUMMARY_JSON).read_text(encoding="utf-8"))
    truth = json.loads((export / "ground-truth.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == truth["as_of"]  # from the export manifest
    assert sum(summary["gaps"].values()) == len(truth["planted_gaps"])


def test_spark_master_needs_the_spark_engine(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", str(tmp_path), "--out", str(tmp_path / "o"), "--spark-master", "local[1]"])
    assert result.exit_code == 2
    assert "--spark-master needs --engine spark" in result.output


def test_a_missing_export_is_reported(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
