"""Report-reader test helpers: every rule family is checked through the Python API and
through `bonemet read --format json`, as users call it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bonemet.cli.read  # noqa: F401  (registers the read command)
from bonemet.cli.app import app
from bonemet.nlp import Finding, FindingKind, FindingStatus, ReportReading, read_report

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

Reader = Callable[[str], ReportReading]


def read_with_cli(text: str, tmp_path: Path) -> ReportReading:
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["read", "--format", "json", str(report)])
    assert result.exit_code == 0, result.output
    return ReportReading.model_validate(json.loads(result.stdout))


@pytest.fixture(params=["api", "cli"])
def reader(request: pytest.FixtureRequest, tmp_path: Path) -> Reader:
    """read_report, or the same report through `bonemet read --format json`."""
    if request.param == "api":
        return read_report
    return lambda text: read_with_cli(text, tmp_path)


def present(reading: ReportReading, kind: FindingKind = FindingKind.lesion) -> list[Finding]:
    """Findings of a kind that the report affirms or calls possible."""
    return [
        f for f in reading.findings if f.kind is kind and f.status in (FindingStatus.affirmed, FindingStatus.possible)
    ]


def levels(reading: ReportReading, kind: FindingKind = FindingKind.lesion) -> set[str]:
    return {f.level.value for f in present(reading, kind) if f.level is not None}


def bones(reading: ReportReading, kind: FindingKind = FindingKind.lesion) -> set[str]:
    return {f.bone.value for f in present(reading, kind) if f.bone is not None}
