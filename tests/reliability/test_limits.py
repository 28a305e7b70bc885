"""What one request may carry: body size (413), JSON nesting and Bundle entries (422), report
text (422 on the JSON API; on a hook the reports are left unread and the answer says so).
Each refusal names the limit and the setting that raises it; just under each limit is accepted."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonemet.service import PATIENT_VIEW
from bonemet.store import AuditStore
from tests.reliability.conftest import open_app
from tests.service.helpers import example_case, hook_request, prefetch_for

JSON_ROUTES = ("/api/assess", "/api/assess/fhir", "/api/read-report", f"/cds-services/{PATIENT_VIEW}")
SMALL = {"max_body_bytes": 64 * 1024, "max_json_depth": 20, "max_bundle_entries": 40, "max_report_chars": 2_000}


@pytest.fixture
def small(store: AuditStore) -> Iterator[TestClient]:
    """The service with small limits, so each is reached with a small request."""
    with TestClient(open_app(store, **SMALL), raise_server_exceptions=False) as http:
        yield http


def problems(response: Any) -> list[str]:
    body = response.json()
    assert isinstance(body.get("problems"), list) and body["problems"], body
    return [str(p) for p in body["problems"]]


def nested(depth: int) -> str:
    """A JSON object `depth` levels deep: {"a": {"a": ... {} ...}}."""
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


def bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def observations(count: int) -> list[dict[str, Any]]:
    return [
        {"resourceType": "Observation", "id": f"o{i}", "status": "final", "code": {"text": "note"}}
        for i in range(count)
    ]


def report(text: str, rid: str = "r1") -> dict[str, Any]:
    return {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": {"text": "MRI whole spine"},
        "presentedForm": [{"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}],
    }


# --- body size --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_a_body_over_the_size_limit_is_413_before_anything_reads_it(small: TestClient, path: str) -> None:
    response = small.post(
        path, content=b'{"text": "' + b"x" * (70 * 1024) + b'"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert any("BONEMET_MAX_BODY_BYTES" in p and str(64 * 1024) in p for p in problems(response))
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = small.post("/api/read-report", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "BONEMET_MAX_BODY_BYTES" in problems(response)[0]


def test_a_body_just_under_the_size_limit_is_read(small: TestClient) -> None:
    text = "Lytic lesion in the left femur. " * 60  # under the report limit too
    body = json.dumps({"text": text}).encode()
    padded = body + b" " * (64 * 1024 - len(body))
    assert len(padded) == 64 * 1024
    assert (
        small.post("/api/read-report", content=padded, headers={"content-type": "application/json"}).status_code == 200
    )


def test_an_oversized_form_gets_a_page_not_json(small: TestClient) -> None:
    response = small.post(
        "/assessment", content=b"a=" + b"x" * (70 * 1024), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "BONEMET_MAX_BODY_BYTES" in response.text


# --- nesting ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize("body", [nested(21), "[" * 30_000 + "]" * 30_000], ids=["21-objects", "30000-lists"])
def test_json_nested_past_the_limit_is_422_naming_it(small: TestClient, path: str, body: str) -> None:
    response = small.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert any("nested deeper than 20" in p and "BONEMET_MAX_JSON_DEPTH" in p for p in problems(response))


def test_deep_nesting_is_refused_with_the_default_limits_too(client: TestClient) -> None:
    for path in JSON_ROUTES:
        response = client.post(
            path, content="[" * 200_000 + "]" * 200_000, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, path
        assert "BONEMET_MAX_JSON_DEPTH" in problems(response)[0]


def test_a_body_without_a_content_type_is_checked_as_json(small: TestClient) -> None:
    response = small.post("/api/assess", content=nested(50).encode())
    assert response.status_code == 422
    assert "BONEMET_MAX_JSON_DEPTH" in problems(response)[0]


def test_nesting_at_the_limit_reaches_the_route(small: TestClient) -> None:
    response = small.post("/api/assess", content=nested(20), headers={"content-type": "application/json"})
    assert response.status_code == 422  # the Case model refuses the unknown field, not the depth limit
    assert all("BONEMET_MAX_JSON_DEPTH" not in p for p in problems(response))
    assert any(p.startswith("a:") for p in problems(response))


def test_bundles_nested_in_bundles_are_refused_by_depth(small: TestClient) -> None:
    inner: dict[str, Any] = bundle(observations(1))
    for _ in range(10):
        inner = bundle([inner])
    response = small.post("/api/assess/fhir", json=inner)
    assert response.status_code == 422
    assert "BONEMET_MAX_JSON_DEPTH" in problems(response)[0]


# --- Bundle entries -------------------------------------------------------------------------------------


def test_a_bundle_over_the_entry_limit_is_422_naming_it(small: TestClient) -> None:
    response = small.post("/api/assess/fhir", json=bundle(observations(41)))
    assert response.status_code == 422
    assert any("40 FHIR Bundle entries" in p and "BONEMET_MAX_BUNDLE_ENTRIES" in p for p in problems(response))


def test_a_bundle_at_the_entry_limit_is_assessed(small: TestClient) -> None:
    assert small.post("/api/assess/fhir", json=bundle(observations(40))).status_code == 200


def test_entries_are_counted_over_all_the_bundles_of_a_hook_call(small: TestClient) -> None:
    body = hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))
    body["prefetch"]["observations"] = bundle(observations(25))
    body["prefetch"]["conditions"] = bundle(observations(25))
    response = small.post(f"/cds-services/{PATIENT_VIEW}", json=body)
    assert response.status_code == 422
    assert "BONEMET_MAX_BUNDLE_ENTRIES" in problems(response)[0]


# --- report text -------------------------------------------------------------------------------------------


def test_a_report_over_the_length_limit_is_422_naming_it(small: TestClient) -> None:
    response = small.post("/api/read-report", json={"text": "a" * 2_001})
    assert response.status_code == 422
    assert problems(response) == [
        "text: 2001 characters of report text; the reader reads at most 2000 per request (BONEMET_MAX_REPORT_CHARS)"
    ]
    assert small.post("/api/read-report", json={"text": "a" * 2_000}).status_code == 200


def test_report_text_is_counted_over_all_the_studies_of_a_case(small: TestClient) -> None:
    case = {"imaging": [{"modality": "mri", "report_text": "Lytic lesion. " * 80} for _ in range(2)]}
    response = small.post("/api/assess", json=case)
    assert response.status_code == 422
    assert "imaging[].report_text: 2240 characters" in problems(response)[0]
    case["imaging"] = case["imaging"][:1]
    assert small.post("/api/assess", json=case).status_code == 200


def test_the_model_caps_each_report_at_100000_characters(client: TestClient) -> None:
    response = client.post("/api/assess", json={"imaging": [{"modality": "ct", "report_text": "a" * 100_001}]})
    assert response.status_code == 422
    assert problems(response)[0].startswith("imaging[0].report_text:")


def test_a_fhir_bundle_with_too_much_report_text_is_422(small: TestClient) -> None:
    response = small.post("/api/assess/fhir", json=bundle([report("Lytic lesion in the T7 vertebral body. " * 60)]))
    assert response.status_code == 422
    assert "DiagnosticReport: 2340 characters" in problems(response)[0]


def test_a_fhir_bundle_within_the_report_limit_is_read(small: TestClient) -> None:
    response = small.post("/api/assess/fhir", json=bundle([report("Lytic metastasis in the T7 vertebral body.")]))
    assert response.status_code == 200
    assert response.json()["assessment"]["facts_from_reports"]


def test_a_hook_with_too_much_report_text_answers_without_reading_it(small: TestClient, store: AuditStore) -> None:
    prefetch = prefetch_for(example_case("02_cord"))
    prefetch["diagnosticReports"] = bundle([report("Epidural tumour at T6 compressing the cord. " * 50)])
    response = small.post(f"/cds-services/{PATIENT_VIEW}", json=hook_request(prefetch=prefetch))
    assert response.status_code == 200
    cards = response.json()["cards"]
    assert any("compression" in card["summary"].lower() for card in cards), "structured data still gives cards"
    assert "1 note(s)" in json.dumps(cards)
    page = next(card["links"][0]["url"] for card in cards if card.get("links"))
    stored = store.get_assessment(page.rsplit("/", 1)[-1])
    assert stored is not None and not stored.output["facts_from_reports"]


# --- bad JSON ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/assess", "/api/assess/fhir", "/api/read-report"])
@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"text": "\xff\xfe"}', "utf-8"),
        (b"{not json", "Expecting property name"),
        (b'{"a": 1', "Expecting"),
        (b'{"patient": {"age_years": ' + b"9" * 5000 + b"}}", "digits"),
    ],
)
def test_a_body_that_is_not_json_is_422_saying_why(client: TestClient, path: str, body: bytes, named: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "not valid JSON" in problems(response)[0] and named in problems(response)[0]
