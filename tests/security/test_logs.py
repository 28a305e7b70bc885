"""The server's log carries no names, identifiers or report text.

A real server (uvicorn, `bonemet.service:app_from_env`, log level debug) writes its whole output
to a file while it is sent planted identifiers everywhere a caller legitimately puts patient data:
JSON API bodies, FHIR Bundles, hook prefetch and context, JWT claims, report text, web forms, and
requests refused for bad input or a bad token. Then the log is searched for every planted value.
(Patient data never travels in URLs by design, so none is planted there: an access log line holds
the path.)"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import httpx

from bonemet.fhir import case_resources
from bonemet.service import ORDER_SIGN, PATIENT_VIEW
from bonemet.service.ehr_simulator import SimulatedEhr
from tests.reliability.loadgen import Server
from tests.service.helpers import FHIR_PORT, FakeFhirServer, example_case, hook_request, prefetch_for, running

NAME = "Zebediah Quixworth"
MRN = "MRN-7734-QXW"
PATIENT_ID = "pat-QXW-55821"
REPORT_MARK = "QXWREPORTMARK"
BIRTH_DATE = "1911-11-11"
PLANTED = (NAME, "Quixworth", MRN, PATIENT_ID, REPORT_MARK, BIRTH_DATE)
REPORT = f"Lytic metastasis in the T7 vertebral body {REPORT_MARK} with epidural extension. Patient {NAME}."


def planted_case() -> dict[str, Any]:
    case = example_case("01_impending").model_dump(mode="json", exclude_none=True)
    case["id"] = MRN
    case["cancer"]["histology"] = NAME
    case["imaging"][0]["report_text"] = REPORT
    return case


def planted_bundle() -> dict[str, Any]:
    prefetch = prefetch_for(example_case("02_cord"), patient_id=PATIENT_ID)
    patient = copy.deepcopy(prefetch["patient"])
    patient.update(
        name=[{"text": NAME, "family": "Quixworth", "given": ["Zebediah"]}],
        identifier=[{"system": "urn:mrn", "value": MRN}],
        birthDate=BIRTH_DATE,
    )
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r-planted",
        "status": "final",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "code": {"text": "MRI whole spine"},
        "presentedForm": [{"contentType": "text/plain", "data": base64.b64encode(REPORT.encode()).decode()}],
    }
    prefetch["patient"] = patient
    prefetch["diagnosticReports"] = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": report}]}
    return prefetch


def send_everything(server: Server, ehr: SimulatedEhr) -> list[int]:
    statuses = []
    prefetch = planted_bundle()
    searchsets = [value for key, value in prefetch.items() if key != "patient" and value]
    entries = [{"resource": prefetch["patient"]}] + [entry for found in searchsets for entry in found["entry"]]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    hook_url = f"{server.base_url}/cds-services/{PATIENT_VIEW}"
    hook = hook_request(prefetch=prefetch, context={"patientId": PATIENT_ID, "userId": f"Practitioner/{NAME}"})
    with httpx.Client(base_url=server.base_url, timeout=60) as client:

        def post(path: str, **options: Any) -> None:
            statuses.append(client.post(path, **options).status_code)

        post("/api/assess", json=planted_case())
        post("/api/assess", json={**planted_case(), "patient": {"age_years": MRN}})  # 422 quoting the value
        post("/api/assess/fhir", json=bundle)
        post("/api/assess/fhir", json={**bundle, "resourceType": NAME})  # 422
        post("/api/read-report", json={"text": REPORT})
        post(f"/cds-services/{PATIENT_VIEW}", json=hook, headers=ehr.authorization(hook_url))
        claims = {"sub": MRN, "patient": PATIENT_ID, "name": NAME}
        post(f"/cds-services/{PATIENT_VIEW}", json=hook, headers=ehr.authorization(hook_url, claims=claims))
        post(f"/cds-services/{PATIENT_VIEW}", json=hook, headers={"Authorization": f"Bearer {MRN}.{NAME}.x"})  # 401
        order_sign = f"{server.base_url}/cds-services/{ORDER_SIGN}"
        drafts = {"resourceType": "Bundle", "type": "collection", "entry": []}
        sign = {**hook, "hook": "order-sign", "context": {**hook["context"], "draftOrders": drafts}}
        post(f"/cds-services/{ORDER_SIGN}", json=sign, headers=ehr.authorization(order_sign))
        feedback = {"feedback": [{"card": MRN, "outcome": "overridden", "outcomeTimestamp": "2026-11-25T10:00:00Z",
                                  "overrideReason": {"userComment": NAME}}]}  # fmt: skip
        post(f"/cds-services/{PATIENT_VIEW}/feedback", json=feedback, headers=ehr.authorization(f"{hook_url}/feedback"))
        # No prefetch: the service fetches the record from the EHR's FHIR server, by the patient id.
        fhir = FakeFhirServer(case_resources(example_case("02_cord"), PATIENT_ID))
        with running(fhir.app(), port=FHIR_PORT) as fhir_base:
            fetch_hook = hook_request(fhir_server=f"{fhir_base}/fhir", context={"patientId": PATIENT_ID})
            post(f"/cds-services/{PATIENT_VIEW}", json=fetch_hook, headers=ehr.authorization(hook_url))
        assert any(PATIENT_ID in request for request in fhir.requests), "the service fetched the record"
        form = {"id": MRN, "cancer.histology": NAME, "imaging[0].modality": "mri", "imaging[0].report_text": REPORT}
        post("/assessment", data=form)
        post("/assessment", data={**form, "patient.age_years": NAME})  # 422 page
        post("/handout", data=form)
        post("/web/api/scores", data=form)
        upload = json.dumps(bundle).encode()
        post("/assessment/fhir", files={"bundle": ("bundle.json", upload, "application/json")})
    return statuses


def test_no_planted_identifier_reaches_the_log(tmp_path: Path) -> None:
    ehr = SimulatedEhr(issuer="https://ehr.example.org", kid="log-key-1", algorithm="ES384")
    log = tmp_path / "server.log"
    with Server(f"sqlite:///{tmp_path / 'audit.sqlite3'}", log, ehr, log_level="debug") as server:
        statuses = send_everything(server, ehr)
    assert 200 in statuses and 401 in statuses and 422 in statuses, statuses
    assert statuses.count(200) >= 10, statuses
    text = log.read_text(errors="replace")
    assert "POST /api/assess" in text, "the log was written (access lines)"
    leaked = [value for value in PLANTED if value in text]
    assert leaked == [], f"planted values in the log: {leaked}"
