"""Security headers on every kind of answer (pages, JSON API, hooks, errors of every status,
static files, the API docs), a Content-Security-Policy that never allows inline script, and no
stack trace in any answer: an exception deep inside is a 500 with a reference number."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonemet.service import PATIENT_VIEW, Settings, create_app
from bonemet.store import AuditStore
from tests.service.helpers import PUBLIC_URL, example_case

CASE = example_case("01_impending").model_dump(mode="json", exclude_none=True)


@pytest.fixture
def open_client(store: AuditStore) -> Iterator[TestClient]:
    """Authentication off, so the JSON API and hook answers past the 401 are reached too."""
    app = create_app(Settings(auth_disabled=True, max_body_bytes=4096), store=store)
    with TestClient(app, base_url=PUBLIC_URL, raise_server_exceptions=False) as http:
        yield http


JSON = {"content-type": "application/json"}
HOOK_WITHOUT_PREFETCH = {"hook": "patient-view", "hookInstance": "x", "context": {"userId": "u", "patientId": "p"}}
PREFLIGHT = {"Origin": "https://ehr.example.org", "Access-Control-Request-Method": "POST"}
BROKEN_MULTIPART = {"content-type": "multipart/form-data; boundary=x"}


def requests(client: TestClient) -> list[tuple[str, Any]]:
    record = client.post("/api/assess", json=CASE).headers["X-Bonemet-Record"]
    return [
        ("page: case entry", client.get("/")),
        ("page: assessment of an example", client.get("/assessment?example=01_impending_femoral_fracture")),
        ("page: stored assessment", client.get(f"/assessments/{record}")),
        ("page: reference", client.get("/reference?q=denosumab")),
        ("page: handout pdf", client.get("/handout.pdf?example=01_impending_femoral_fracture")),
        ("api: assess", client.post("/api/assess", json=CASE)),
        ("api: stored", client.get(f"/api/assessments/{record}")),
        ("api: health", client.get("/healthz")),
        ("api: openapi", client.get("/openapi.json")),
        ("docs: swagger", client.get("/docs")),
        ("docs: redoc", client.get("/redoc")),
        ("hooks: discovery", client.get("/cds-services")),
        ("static", client.get("/static/web.css")),
        ("404 route", client.get("/no/such/page")),
        ("404 record", client.get("/api/assessments/00000000-0000-0000-0000-000000000000")),
        ("404 service", client.post("/cds-services/nope", json={})),
        ("405", client.put("/api/assess", json=CASE)),
        ("412 hook", client.post(f"/cds-services/{PATIENT_VIEW}", json=HOOK_WITHOUT_PREFETCH)),
        ("413", client.post("/api/assess", content=b"{" + b" " * 5000 + b"}", headers=JSON)),
        ("422 api", client.post("/api/assess", json={"patient": {"age_years": -1}})),
        ("422 depth", client.post("/api/assess", content="[" * 1000 + "]" * 1000, headers=JSON)),
        ("422 page form", client.post("/assessment", data={"patient.age_years": "abc"})),
        ("400 preview", client.post("/web/api/scores", content=b"\xff", headers=BROKEN_MULTIPART)),
        ("OPTIONS preflight", client.options("/api/assess", headers=PREFLIGHT)),
    ]


def assert_headers(label: str, response: Any) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, (label, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (label, policy)
    assert re.search(r"(default-src|script-src) ", policy), (label, policy)
    assert headers.get("x-content-type-options") == "nosniff", label
    assert headers.get("x-frame-options") == "DENY", label
    assert headers.get("referrer-policy") == "no-referrer", label


def test_every_kind_of_answer_carries_the_security_headers(open_client: TestClient) -> None:
    answers = requests(open_client)
    statuses = {label: response.status_code for label, response in answers}
    assert statuses["404 route"] == 404 and statuses["405"] == 405 and statuses["413"] == 413
    assert statuses["412 hook"] == 412 and statuses["422 depth"] == 422 and statuses["400 preview"] == 400
    for label, response in answers:
        assert_headers(label, response)
        assert "Traceback" not in response.text and 'File "/' not in response.text, label


def test_answers_with_patient_data_are_not_cached(open_client: TestClient) -> None:
    for label, response in requests(open_client):
        if label.startswith(("api", "page", "422", "hooks")):
            assert response.headers.get("cache-control") == "no-store", label


def test_the_401_carries_them_too(client: TestClient) -> None:
    assert_headers("401", client.post(f"/cds-services/{PATIENT_VIEW}", json={}))


def test_pages_allow_scripts_and_styles_only_from_the_server_or_by_hash(open_client: TestClient) -> None:
    for path in ("/", "/reference", "/docs", "/redoc"):
        policy = open_client.get(path).headers["content-security-policy"]
        script_sources = re.search(r"script-src ([^;]*)", policy)
        assert script_sources, (path, policy)
        for source in script_sources.group(1).split():
            assert source in ("'self'",) or source.startswith(("'sha256-", "https://")), (path, source)


def test_the_stored_assessment_page_style_is_allowed_by_its_hash_only(open_client: TestClient) -> None:
    record = open_client.post("/api/assess", json=CASE).headers["X-Bonemet-Record"]
    page = open_client.get(f"/assessments/{record}")
    assert "<style>" in page.text
    assert re.search(r"style-src 'self' 'sha256-[A-Za-z0-9+/=]+'", page.headers["content-security-policy"])


class ExplodingStore(AuditStore):
    """A store whose writes fail with a message that quotes patient data."""

    def record_assessment(self, **_: Any) -> str:
        raise RuntimeError("disk full while writing MRN-SECRET-9911 Jane Roe")


def test_an_unexpected_error_is_a_500_without_a_trace(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = ExplodingStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    app = create_app(Settings(auth_disabled=True), store=store)
    with caplog.at_level(logging.DEBUG), TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/assess", json=CASE)
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "Internal error" and re.fullmatch(r"[0-9a-f]{12}", body["reference"])
    assert "MRN-SECRET" not in response.text and "Traceback" not in response.text
    assert_headers("500", response)
    logged = "\n".join(record.getMessage() + str(record.exc_info or "") for record in caplog.records)
    assert body["reference"] in logged and "RuntimeError" in logged
    assert "MRN-SECRET" not in logged and "Jane Roe" not in logged
    store.close()
