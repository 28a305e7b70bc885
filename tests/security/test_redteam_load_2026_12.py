"""Red team B2, B3 and B8 (issue 13): CPU-bound work runs off the event loop, and the web pages
obey the same report, depth and Bundle-entry limits as the JSON API. Each test failed before."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bonemet.fhir import case_resources
from bonemet.service import Settings, create_app
from bonemet.store import AuditStore
from tests.service.helpers import PUBLIC_URL, example_case, running

SENTENCE = "Lytic lesion in the T11 vertebral body measuring 2.4 cm, cannot exclude metastasis. "


def _report_form(reports: int, characters: int) -> dict[str, str]:
    form = {"patient.age_years": "64", "cancer.primary": "breast"}
    text = (SENTENCE * (characters // len(SENTENCE) + 1))[:characters]
    for i in range(reports):
        form |= {f"imaging[{i}].modality": "mri", f"imaging[{i}].report_text": text}
    return form


def _bundle_with_reports(reports: int, characters: int) -> dict[str, Any]:
    case = example_case("19_report_text")
    text = (SENTENCE * (characters // len(SENTENCE) + 1))[:characters]
    study = case.imaging[0].model_copy(update={"report_text": text})
    case = case.model_copy(update={"imaging": [study] * reports})
    resources = case_resources(case, "p1")
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


@pytest.fixture
def limited(settings: Settings, store: AuditStore) -> Any:
    small = settings.model_copy(update={"max_report_chars": 2000, "max_bundle_entries": 50})
    with TestClient(create_app(small, store=store), base_url=PUBLIC_URL) as http:
        yield http


# --- B3: the web pages obey BONEMET_MAX_REPORT_CHARS ------------------------------------------------


def test_the_case_form_refuses_report_text_over_the_limit(limited: TestClient) -> None:
    """Before: 4 x 100k characters on the case form were read (28 s, /healthz frozen)."""
    response = limited.post("/assessment", data=_report_form(reports=3, characters=1000))
    assert response.status_code == 422
    assert "BONEMET_MAX_REPORT_CHARS" in response.text and "3000 characters" in response.text
    within = limited.post("/assessment", data=_report_form(reports=1, characters=1000))
    assert within.status_code == 200


@pytest.mark.parametrize("path", ["/handout", "/handout.pdf"])
def test_the_handout_refuses_report_text_over_the_limit(limited: TestClient, path: str) -> None:
    assert limited.post(path, data=_report_form(reports=3, characters=1000)).status_code == 422


def test_the_fhir_upload_refuses_report_text_over_the_limit(limited: TestClient) -> None:
    """Before: 2 x 100k characters in DiagnosticReports were read (14.6 s)."""
    upload = json.dumps(_bundle_with_reports(reports=3, characters=1000)).encode()
    response = limited.post("/assessment/fhir", files={"bundle": ("bundle.json", upload, "application/json")})
    assert response.status_code == 422
    assert "BONEMET_MAX_REPORT_CHARS" in response.text
    within = json.dumps(_bundle_with_reports(reports=1, characters=1000)).encode()
    ok = limited.post("/assessment/fhir", files={"bundle": ("bundle.json", within, "application/json")})
    assert ok.status_code == 200


# --- B8: the web FHIR upload obeys the depth and entry limits ----------------------------------------


def test_a_deeply_nested_upload_is_422_not_500(limited: TestClient) -> None:
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    response = limited.post("/assessment/fhir", files={"bundle": ("bundle.json", deep, "application/json")})
    assert response.status_code == 422
    assert "BONEMET_MAX_JSON_DEPTH" in response.text
    nested: Any = {"resourceType": "Bundle", "type": "collection"}
    for _ in range(100):
        nested = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": nested}]}
    upload = json.dumps(nested).encode()
    response = limited.post("/assessment/fhir", files={"bundle": ("bundle.json", upload, "application/json")})
    assert response.status_code == 422 and "BONEMET_MAX_JSON_DEPTH" in response.text


def test_an_upload_over_the_bundle_entry_limit_is_422(limited: TestClient) -> None:
    patient = {"resourceType": "Patient", "id": "p1"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}] * 60}
    upload = json.dumps(bundle).encode()
    response = limited.post("/assessment/fhir", files={"bundle": ("bundle.json", upload, "application/json")})
    assert response.status_code == 422
    assert "BONEMET_MAX_BUNDLE_ENTRIES" in response.text


# --- B2: a long report does not freeze the other calls --------------------------------------------------


def test_healthz_answers_while_a_long_report_is_read(settings: Settings, store: AuditStore) -> None:
    """Before: /healthz sent during a 100,000-character /api/assess waited until it had finished
    (7.5 s). Checked by order: /healthz must come back while reports are still being read. The
    reader now reads 100,000 characters in a fraction of a second, so six such requests are sent at
    once to keep the CPU pool busy for seconds; before the fix /healthz left with the last of them."""
    case = example_case("19_report_text").model_dump(mode="json", exclude_none=True)
    case["imaging"][0]["report_text"] = (SENTENCE * 2000)[:100_000]
    finished: list[float] = []
    with running(create_app(settings.model_copy(update={"auth_disabled": True}), store=store)) as base:
        httpx.get(f"{base}/healthz", timeout=30)

        def assess() -> None:
            response = httpx.post(f"{base}/api/assess", json=case, timeout=120)
            assert response.status_code == 200
            finished.append(time.monotonic())

        workers = [threading.Thread(target=assess) for _ in range(6)]
        for worker in workers:
            worker.start()
        time.sleep(0.3)
        health = httpx.get(f"{base}/healthz", timeout=120)
        answered = time.monotonic()
        for worker in workers:
            worker.join(timeout=120)
    assert health.status_code == 200 and len(finished) == 6
    assert max(finished) - answered > 0.5, "/healthz waited for the reports to be read"
