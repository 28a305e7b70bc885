"""The JSON API: /api/assess, /api/assess/fhir, /api/read-report, stored assessments, health.
Bad input is 422 naming the field; nothing a client sends gives a 500."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet.examples import example_paths
from bonemet.fhir import from_case
from bonemet.fhir.report_reader import read_report_function
from bonemet.model import Assessment, parse_case
from bonemet.service import PATIENT_VIEW
from bonemet.store import AuditStore, Source, input_sha256
from tests.service.helpers import example_case, hook_request, prefetch_for

EXAMPLE = json.loads(example_paths()[0].read_text())


def test_assess_returns_the_assessment_and_records_it(client: TestClient, store: AuditStore) -> None:
    response = client.post("/api/assess", json=EXAMPLE, params={"today": "2026-11-25"})
    assert response.status_code == 200
    assessment = Assessment.model_validate(response.json())
    assert assessment.case_id == EXAMPLE["id"]
    stored = store.get_assessment(response.headers["X-Bonemet-Record"])
    assert stored is not None and stored.source is Source.api
    assert stored.input_sha256 == input_sha256(parse_case(EXAMPLE))
    assert stored.output == {**response.json(), "case_id": None}  # the audit row keeps no case id


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ({"patient": {"age_years": 150}}, "patient.age_years"),
        ({"patient": {"sexx": "male"}}, "patient.sexx"),
        ({"cancer": {"primary": "prostrate"}}, "cancer.primary"),
        ({"lesions": [{"bone": "femur", "level": "T10"}]}, "lesions[0]"),
        ({"lesions": [{"segment": "shaft"}]}, "lesions[0].bone"),
        ({"labs": {"creatinine_mg_dl": "high"}}, "labs.creatinine_mg_dl"),
        ({"labs": {"ionized_calcium_mmol_l": 9}}, "labs.ionized_calcium_mmol_l"),
        ({"patient": {"life_expectancy_months": -2}}, "patient.life_expectancy_months"),
        ({"treatment": {"prior_radiotherapy": [{"bone": "femur", "level": "T10"}]}}, "treatment.prior_radiotherapy"),
    ],
)
def test_bad_case_is_422_naming_the_field(client: TestClient, case: dict[str, Any], field: str) -> None:
    response = client.post("/api/assess", json=case)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(p.startswith(field) for p in problems), problems


@pytest.mark.parametrize(
    "raw", [b"{", b'{"labs": {"creatinine_mg_dl": Infinity}}', b'{"patient": {"weight_kg": NaN}}', b"[]", b'"x"']
)
def test_not_a_case_is_422(client: TestClient, raw: bytes) -> None:
    for path in ("/api/assess", "/api/assess/fhir"):
        response = client.post(path, content=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (path, raw, response.text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["patient", "cancer", "lesions", "labs", "bone", "age_years", "imaging", "modality", "x"]
                ),
                children,
                max_size=3,
            )
        ),
        max_leaves=12,
    )
)
def test_no_json_input_gives_a_500(client: TestClient, data: Any) -> None:
    assert client.post("/api/assess", json=data).status_code in (200, 422)
    assert client.post("/api/assess/fhir", json=data).status_code in (200, 422)


def test_assess_fhir_bundle(client: TestClient, store: AuditStore) -> None:
    case = example_case("08_zoledronic")
    bundle = from_case(case).model_dump(mode="json", exclude_none=True)
    response = client.post("/api/assess/fhir", json=bundle, params={"today": "2026-11-25"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["case"] == json.loads(case.model_dump_json())
    assert body["assessment"]["case_id"] == case.id
    assert store.get_assessment(body["record_id"]) is not None


def test_assess_fhir_can_answer_in_fhir(client: TestClient) -> None:
    bundle = from_case(example_case("01_impending")).model_dump(mode="json", exclude_none=True)
    response = client.post("/api/assess/fhir", json=bundle, params={"output": "fhir"})
    assert response.status_code == 200
    Bundle.model_validate(response.json())
    resources = [entry["resource"] for entry in response.json()["entry"]]
    assert {"RiskAssessment", "ServiceRequest", "MedicationRequest"} <= {r["resourceType"] for r in resources}
    assert {r["subject"]["reference"] for r in resources if r["resourceType"] != "Patient"} == {"Patient/patient"}
    # The Patient travels in the Bundle, so every subject resolves inside it.
    assert [r["id"] for r in resources if r["resourceType"] == "Patient"] == ["patient"]


@pytest.mark.parametrize(
    ("bundle", "field"),
    [
        ({"resourceType": "Patient"}, "resourceType"),
        ({"resourceType": "Bundle", "type": "collection", "entry": "x"}, "entry"),
        ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Nope"}}]}, "entry"),
    ],
)
def test_bad_bundle_is_422(client: TestClient, bundle: dict[str, Any], field: str) -> None:
    response = client.post("/api/assess/fhir", json=bundle)
    assert response.status_code == 422
    assert any(p.startswith(field) for p in response.json()["problems"]), response.json()


def test_read_report_degrades_clearly_without_the_reader(client: TestClient) -> None:
    response = client.post("/api/read-report", json={"text": "Lytic lesion in the T10 vertebral body."})
    if read_report_function() is None:
        assert response.status_code == 501
        assert "not installed" in response.json()["detail"]
    else:
        assert response.status_code == 200
        assert response.json()["status"] in ("affirmed", "possible", "negated", "not_mentioned")
    assert client.post("/api/read-report", json={"text": ""}).status_code == 422


def test_stored_assessment_and_page(client: TestClient) -> None:
    record = client.post("/api/assess", json=EXAMPLE).headers["X-Bonemet-Record"]
    stored = client.get(f"/api/assessments/{record}")
    assert stored.status_code == 200 and stored.json()["source"] == "api"
    page = client.get(f"/assessments/{record}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/assessments/not-a-uuid").status_code == 404
    assert client.get("/api/assessments/00000000-0000-0000-0000-000000000000").status_code == 404


def test_assessment_links_expire_after_the_configured_hours(client: TestClient, store: AuditStore) -> None:
    """The card's link is a capability URL: it opens for BONEMET_ASSESSMENT_LINK_HOURS (24), then 410."""
    import datetime as dt

    from bonemet.pathway import assess

    case = parse_case(json.dumps(EXAMPLE))
    now = dt.datetime.now(dt.UTC)
    recent = store.record_assessment(
        source=Source.api, case=case, assessment=assess(case), now=now - dt.timedelta(hours=23)
    )
    old = store.record_assessment(
        source=Source.api, case=case, assessment=assess(case), now=now - dt.timedelta(hours=25)
    )
    assert client.get(f"/assessments/{recent}").status_code == 200
    for path in (f"/assessments/{old}", f"/api/assessments/{old}"):
        expired = client.get(path)
        assert expired.status_code == 410, path
        assert "BONEMET_ASSESSMENT_LINK_HOURS" in expired.text and "24 hours" in expired.text
        assert expired.headers["cache-control"] == "no-store"


def test_page_escapes_what_the_case_contains(client: TestClient) -> None:
    case = {**EXAMPLE, "cancer": {**EXAMPLE["cancer"], "histology": "<script>alert(1)</script>"}}
    record = client.post("/api/assess", json=case).headers["X-Bonemet-Record"]
    assert "<script>" not in client.get(f"/assessments/{record}").text


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["audit_store"] == "sqlite" and body["authentication"] == "enabled"


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/assess", "/api/assess/fhir", "/api/read-report", "/cds-services"} <= set(paths)
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_load_nothing_from_outside_the_app(client: TestClient, page: str) -> None:
    """A hospital network may have no internet: the docs pages' scripts and styles are served here."""
    response = client.get(page)
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets and all(a.startswith("/static-docs/") for a in assets), assets
    assert all(client.get(a).status_code == 200 for a in assets)
    policy = response.headers["content-security-policy"]
    assert "http" not in policy and "'unsafe-inline'" not in policy


def test_no_patient_data_in_the_logs(client: TestClient, auth: Any, caplog: pytest.LogCaptureFixture) -> None:
    case = example_case("01_impending").model_copy(update={"id": "MRN-0042-SECRET"})
    with caplog.at_level(logging.DEBUG):
        client.post("/api/assess", json=json.loads(case.model_dump_json()))
        client.post(
            f"/cds-services/{PATIENT_VIEW}",
            json=hook_request(prefetch=prefetch_for(case, patient_id="PATIENT-SECRET-77")),
            headers=auth(PATIENT_VIEW),
        )
    text = caplog.text
    for secret in ("MRN-0042-SECRET", "PATIENT-SECRET-77", "invasive ductal", "peritrochanteric", "breast"):
        assert secret not in text


def test_reirradiation_example_over_http_gives_reirradiation_not_a_first_course(client: TestClient) -> None:
    case = next(json.loads(p.read_text()) for p in example_paths() if p.stem == "25_reirradiation_spine")
    response = client.post("/api/assess", json=case)
    assert response.status_code == 200
    codes = {r["code"] for r in response.json()["recommendations"]}
    assert "rt.reirradiation" in codes and "rt.palliative" not in codes
