"""The synthetic export: deterministic, valid NDJSON apart from the planted malformed lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bonemet.population.synth import GROUND_TRUTH_FILE, MANIFEST_FILE, RESOURCE_TYPES, synthesize


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    synthesize(60, 3, tmp_path / "a")
    synthesize(60, 3, tmp_path / "b")
    synthesize(60, 4, tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["Patient.ndjson"] != _files(tmp_path / "c")["Patient.ndjson"]


def test_every_line_is_a_resource_except_the_listed_malformed_ones(export: Path, truth: dict[str, Any]) -> None:
    bad = {(m["file"], m["line"]) for m in truth["malformed_lines"]}
    for kind in RESOURCE_TYPES:
        lines = (export / f"{kind}.ndjson").read_text(encoding="utf-8").split("\n")[:-1]
        for number, line in enumerate(lines, start=1):
            if (f"{kind}.ndjson", number) in bad or not line.strip():
                continue
            assert json.loads(line)["resourceType"] == kind


def test_manifest_and_ground_truth_sit_beside_the_files(export: Path) -> None:
    manifest = json.loads((export / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert {o["type"] for o in manifest["output"]} == set(RESOURCE_TYPES)
    assert (export / GROUND_TRUTH_FILE).is_file()


def test_reports_carry_text_and_point_at_their_study(export: Path) -> None:
    reports = [json.loads(line) for line in (export / "DiagnosticReport.ndjson").read_text().splitlines() if line]
    assert reports
    studies = {json.loads(line)["id"] for line in (export / "ImagingStudy.ndjson").read_text().splitlines() if line}
    for report in reports:
        assert report["presentedForm"][0]["contentType"] == "text/plain"
        assert report["imagingStudy"][0]["reference"].removeprefix("ImagingStudy/") in studies
