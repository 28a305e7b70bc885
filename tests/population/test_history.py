"""The screen reads a record as a history, as the FHIR reader does (issue 12.1): patients who died are
not screened but counted; calcium older than its window does not make a care gap; chemotherapy orders
count as prior chemotherapy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bonemet.population.engines import DuckDbEngine
from bonemet.population.screen import SUMMARY_JSON, run_screen

AS_OF = dt.date(2026, 12, 5)
SNOMED = "http://snomed.info/sct"


def _bone_metastasis(pid: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"bm-{pid}",
        "subject": {"reference": f"Patient/{pid}"},
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": SNOMED, "code": "94222008", "display": "Secondary malignant neoplasm of bone"}]},
        "bodySite": [{"coding": [{"system": SNOMED, "code": "71341001", "display": "Bone structure of femur"}]}],
        "onsetDateTime": "2026-10-01",
    }


def _breast(pid: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"br-{pid}",
        "subject": {"reference": f"Patient/{pid}"},
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": SNOMED, "code": "254837009", "display": "Malignant neoplasm of breast"}]},
        "onsetDateTime": "2025-01-01",
    }


def _calcium(pid: str, day: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"ca-{pid}",
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": "http://loinc.org", "code": "17861-6"}]},
        "effectiveDateTime": day,
        "valueQuantity": {"value": 13.2, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"},
    }


def _write(folder: Path, resources: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True)
    by_type: dict[str, list[str]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(json.dumps(resource))
    for kind, lines in by_type.items():
        (folder / f"{kind}.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _screen(tmp_path: Path, resources: list[dict[str, Any]]) -> dict[str, Any]:
    export, out = tmp_path / "export", tmp_path / "out"
    _write(export, resources)
    out.mkdir()
    engine = DuckDbEngine()
    try:
        run_screen([export], out, engine, as_of=AS_OF)
    finally:
        engine.close()
    summary: dict[str, Any] = json.loads((out / SUMMARY_JSON).read_text(encoding="utf-8"))
    return summary


def test_a_patient_who_died_is_counted_not_screened(tmp_path: Path) -> None:
    alive = {"resourceType": "Patient", "id": "a", "gender": "female", "birthDate": "1950-01-01"}
    dead = {**alive, "id": "d", "deceasedDateTime": "2026-11-01T10:00:00Z"}
    summary = _screen(tmp_path, [alive, dead, _bone_metastasis("a"), _bone_metastasis("d")])
    assert summary["cohort_patients"] == 1
    assert summary["deceased_not_screened"] == 1


def test_a_calcium_from_1989_does_not_make_a_hypercalcaemia_gap(tmp_path: Path) -> None:
    woman = {"resourceType": "Patient", "id": "w", "gender": "female", "birthDate": "1950-01-01"}
    old = _screen(tmp_path / "old", [woman, _breast("w"), _bone_metastasis("w"), _calcium("w", "1989-04-20")])
    new = _screen(tmp_path / "new", [woman, _breast("w"), _bone_metastasis("w"), _calcium("w", "2026-12-03")])
    assert "hypercalcaemia_untreated" not in old["gaps"]
    assert new["gaps"].get("hypercalcaemia_untreated") == 1


def test_the_exports_own_log_and_error_files_are_not_read_as_data(tmp_path: Path) -> None:
    woman = {"resourceType": "Patient", "id": "w", "gender": "female", "birthDate": "1950-01-01"}
    export = tmp_path / "export"
    _write(export, [woman, _bone_metastasis("w")])
    (export / "log.ndjson").write_text('{"eventType": "export-started"}\n{"eventType": "export-complete"}\n')
    (export / "OperationOutcome.ndjson").write_text("not json at all\n")
    manifest = {
        "transactionTime": "2024-08-06T10:00:00Z",
        "output": [{"type": "Patient", "url": "https://fhir.example/Patient.ndjson"}],
        "error": [{"type": "OperationOutcome", "url": "https://fhir.example/OperationOutcome.ndjson"}],
    }
    (export / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "out"
    out.mkdir()
    engine = DuckDbEngine()
    try:
        result = run_screen([export], out, engine)
    finally:
        engine.close()
    assert result.malformed == []
    assert result.as_of == dt.date(2024, 8, 6)  # the export's transactionTime, not today
    assert result.cohort_patients == 1
