"""Set-based case building agrees with the single-patient FHIR reader on the same resources."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from bonemet.fhir import to_case
from bonemet.population.cases import patient_records
from bonemet.population.engines import DuckDbEngine
from bonemet.population.queries import COHORT_TABLES, Parameters, chunk_query
from bonemet.population.screen import build_cohort, ndjson_files


def _resources_by_patient(export: Path) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in ndjson_files([export]):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                resource = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(resource, dict) or "resourceType" not in resource:
                continue
            owner = resource["id"] if resource["resourceType"] == "Patient" else resource["subject"]["reference"]
            grouped[owner.removeprefix("Patient/")].append(resource)
    return grouped


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "patient": data["patient"],
        "labs": data["labs"],
        # prior_chemotherapy: the screen also reads chemotherapy procedures, the reader does not.
        "cancer": {k: v for k, v in data["cancer"].items() if k != "prior_chemotherapy"},
        # As a set: the reader adds a coded bone metastasis once per recognised coding, so a
        # Condition coded in both SNOMED CT and ICD-10-CM becomes two identical lesions there.
        "lesions": sorted({json.dumps(lesion, sort_keys=True) for lesion in data["lesions"]}),
        "agent": data["treatment"].get("bone_modifying_agent"),
        "dental": data["treatment"].get("dental_evaluation_done"),
        "modalities": sorted(study["modality"] for study in data["imaging"]),
    }


def test_cohort_cases_match_the_fhir_reader(export: Path, truth: dict[str, Any]) -> None:
    as_of = dt.date.fromisoformat(truth["as_of"])
    engine = DuckDbEngine()
    try:
        _, chunks = build_cohort(engine, ndjson_files([export]), Parameters(as_of=as_of, chunk_size=50))
        records = []
        for chunk in range(chunks):
            tables = {table: engine.rows(chunk_query(table, chunk)) for table in COHORT_TABLES}
            records += patient_records(tables, as_of)
    finally:
        engine.close()
    resources = _resources_by_patient(export)
    assert len(records) >= 20
    for record in records:
        read = to_case(resources[record.case.id or ""], as_of=as_of, read_reports=False).case
        ours = record.case.model_dump(mode="json", exclude={"id"})
        theirs = read.model_dump(mode="json", exclude={"id"})
        assert _comparable(ours) == _comparable(theirs), record.case.id
