"""`bonemet read` as users run it: text with highlighted evidence, JSON, JSON Lines, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import bonemet.cli.read  # noqa: F401  (registers the read command)
from bonemet.cli.app import app
from bonemet.nlp import ReportReading

POSITIVE = "FINDINGS: Lytic lesion in the T10 vertebral body.\nIMPRESSION: T10 metastasis."
NEGATIVE = "IMPRESSION: No evidence of osseous metastatic disease."


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_for_one_file_is_the_contract_object(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["read", "--format", "json", str(_write(tmp_path, "a.txt", POSITIVE))])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data)[:3] == ["status", "lesion_count", "findings"]
    assert data["status"] == "affirmed"
    finding = data["findings"][0]
    for name in ("kind", "status", "bone", "level", "segment", "side", "pattern", "size_cm", "collapse_pct",
                 "escc_grade", "mimic", "section", "span", "text"):  # fmt: skip
        assert name in finding
    start, end = finding["span"]
    assert POSITIVE[start:end] == finding["text"]
    ReportReading.model_validate(data)


def test_several_files_give_json_lines_in_order_with_the_file_name(tmp_path: Path) -> None:
    files = [_write(tmp_path, "a.txt", POSITIVE), _write(tmp_path, "b.txt", NEGATIVE)]
    result = CliRunner().invoke(app, ["read", "-f", "json", *map(str, files)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["file"], line["status"]) for line in lines] == [
        (str(files[0]), "affirmed"),
        (str(files[1]), "negated"),
    ]


def test_a_missing_file_is_reported_and_the_others_are_read(tmp_path: Path) -> None:
    good = _write(tmp_path, "a.txt", POSITIVE)
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(app, ["read", "-f", "json", str(missing), str(good)])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good)]
    assert "missing.txt: no such file" in result.stderr


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81 not text")
    result = CliRunner().invoke(app, ["read", str(binary)])
    assert result.exit_code == 2
    assert "cannot read the file" in result.stderr


def test_text_output_shows_the_answer_the_report_and_each_finding(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["read", str(_write(tmp_path, "a.txt", POSITIVE))], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "bone metastasis: affirmed" in result.stdout
    assert "Lytic lesion in the T10 vertebral body." in result.stdout  # the report itself
    assert "spine T10" in result.stdout and "impression" in result.stdout


def test_text_output_highlights_the_evidence_spans() -> None:
    from rich.console import Console

    from bonemet.cli.read import render_reading
    from bonemet.nlp import read_report

    reading = read_report(POSITIVE)
    console = Console(record=True, width=160, color_system="truecolor", force_terminal=True)
    console.print(render_reading("a.txt", POSITIVE, reading))
    html = console.export_html(inline_styles=True)
    assert "text-decoration: underline" in html
    for finding in reading.findings:
        assert finding.text.split()[0] in html
