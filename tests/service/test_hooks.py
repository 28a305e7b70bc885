"""The CDS services driven over HTTP the way an EHR drives them: discovery, each hook with
prefetch, without prefetch (fetching from a FHIR server on loopback), with neither (412),
the specification's own example request, and feedback."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.servicerequest import ServiceRequest

from bonemet.examples import example_paths
from bonemet.fhir import case_resources
from bonemet.model import parse_case
from bonemet.service import ORDER_SELECT, ORDER_SIGN, PATIENT_VIEW, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.service.prefetch import prefetch_templates
from bonemet.store import AuditStore, Source
from tests.service.conftest import service_url
from tests.service.helpers import (
    FHIR_PORT,
    FHIR_TOKEN,
    PATIENT_ID,
    PUBLIC_URL,
    FakeFhirServer,
    example_case,
    hook_request,
    prefetch_for,
    running,
)

Auth = Callable[..., dict[str, str]]

# CDS Hooks 2.0, "Calling a CDS Service", Example: the request body exactly as the spec gives it.
SPEC_EXAMPLE_REQUEST: dict[str, Any] = {
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "fhirServer": "http://hooks.smarthealthit.org:9080",
    "hook": "patient-view",
    "fhirAuthorization": {
        "access_token": "some-opaque-fhir-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/Patient.read patient/Observation.read",
        "subject": "cds-service4",
    },
    "context": {"userId": "Practitioner/example", "patientId": "1288992", "encounterId": "89284"},
    "prefetch": {
        "patientToGreet": {
            "resourceType": "Patient",
            "gender": "male",
            "birthDate": "1925-12-23",
            "id": "1288992",
            "active": True,
        }
    },
}


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def assert_spec_conformant(response: dict[str, Any]) -> None:
    """The CDS Hooks response rules a client relies on."""
    assert isinstance(response["cards"], list)
    for path, value in _walk(response):
        if path == ".cards":
            continue
        assert value is not None, f"{path} is null"
        if ".resource" not in path:
            assert value not in ("", [], {}), f"{path} is empty"
    for card in response["cards"]:
        assert len(card["summary"]) < 140
        assert card["indicator"] in ("info", "warning", "critical")
        assert card["source"]["label"]
        if "suggestions" in card:
            assert card["selectionBehavior"] in ("at-most-one", "any")
            assert sum(bool(s.get("isRecommended")) for s in card["suggestions"]) <= 1
            for suggestion in card["suggestions"]:
                for action in suggestion.get("actions", []):
                    assert action["description"]
                    if action["type"] in ("create", "update"):
                        kind = action["resource"]["resourceType"]
                        model = MedicationRequest if kind == "MedicationRequest" else ServiceRequest
                        model.model_validate(action["resource"])
                    else:
                        assert "resource" not in action and action["resourceId"]
        for reason in card.get("overrideReasons", []):
            assert reason["display"]


def _post(client: TestClient, service_id: str, body: dict[str, Any], auth: Auth) -> httpx.Response:
    response: httpx.Response = client.post(f"/cds-services/{service_id}", json=body, headers=auth(service_id))
    return response


def _offline_client() -> httpx.AsyncClient:
    """Outbound HTTP for the app: loopback only, like a test network with no internet."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network in tests", request=request)

    return httpx.AsyncClient(transport=httpx.MockTransport(refuse))


# --- discovery ---------------------------------------------------------------------------------


def test_discovery_lists_three_services_with_prefetch_templates(client: TestClient, auth: Auth) -> None:
    response = client.get("/cds-services", headers=auth())
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert {s["hook"] for s in services.values()} == {"patient-view", "order-select", "order-sign"}
    for service in services.values():
        assert service["description"] and service["title"]
        assert service["prefetch"] == prefetch_templates()
        for template in service["prefetch"].values():
            # CDS Hooks 2.0: only first-level primitive context fields may be prefetch tokens.
            assert "{{context.patientId}}" in template
            assert "draftOrders" not in template


# --- patient-view ------------------------------------------------------------------------------


def test_patient_view_with_prefetch_gives_cards_and_records_the_assessment(
    client: TestClient, auth: Auth, store: AuditStore
) -> None:
    body = hook_request(prefetch=prefetch_for(example_case("01_impending")), instance="hook-instance-01")
    response = _post(client, PATIENT_VIEW, body, auth)
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert_spec_conformant(response.json())
    summaries = " | ".join(c["summary"] for c in cards)
    assert "impending pathologic fracture" in summaries
    assert "Mirels" in summaries
    assert store.count_assessments(hook_instance="hook-instance-01") == 1
    summary_card = next(c for c in cards if c["summary"].startswith("bonemet:"))
    link = summary_card["links"][0]
    assert link["type"] == "absolute" and link["url"].startswith(f"{PUBLIC_URL}/assessments/")
    record_id = link["url"].rsplit("/", 1)[1]
    stored = store.get_assessment(record_id)
    assert stored is not None and stored.source is Source.hook and stored.service_id == PATIENT_VIEW
    page = client.get(f"/assessments/{record_id}")
    assert page.status_code == 200 and "<html" in page.text


def test_patient_view_with_cord_compression_is_critical(client: TestClient, auth: Auth) -> None:
    body = hook_request(prefetch=prefetch_for(example_case("02_cord")))
    cards = _post(client, PATIENT_VIEW, body, auth).json()["cards"]
    assert cards[0]["indicator"] == "critical"
    assert "spinal cord compression" in cards[0]["summary"]


def test_patient_without_bone_disease_gets_no_cards(client: TestClient, auth: Auth) -> None:
    prefetch: dict[str, Any] = {key: None for key in prefetch_templates()}
    prefetch["patient"] = {"resourceType": "Patient", "id": PATIENT_ID, "gender": "female", "birthDate": "1970-01-01"}
    response = _post(client, PATIENT_VIEW, hook_request(prefetch=prefetch), auth)
    assert response.status_code == 200
    assert response.json() == {"cards": []}


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_example_gives_spec_conformant_cards(client: TestClient, auth: Auth, path: Any) -> None:
    body = hook_request(prefetch=prefetch_for(parse_case(path.read_text())))
    response = _post(client, PATIENT_VIEW, body, auth)
    assert response.status_code == 200, response.text
    assert_spec_conformant(response.json())


def test_patient_view_without_prefetch_fetches_from_the_fhir_server(client: TestClient, auth: Auth) -> None:
    case = example_case("01_impending").model_copy(update={"as_of": dt.date.today()})  # a current record
    server = FakeFhirServer(case_resources(case, PATIENT_ID), page_size=4)
    with running(server.app(), port=FHIR_PORT) as base:
        fetched = _post(client, PATIENT_VIEW, hook_request(fhir_server=f"{base}/fhir"), auth)
    prefetched = _post(client, PATIENT_VIEW, hook_request(prefetch=prefetch_for(case)), auth)
    assert fetched.status_code == 200, fetched.text
    assert [c["summary"] for c in fetched.json()["cards"]] == [c["summary"] for c in prefetched.json()["cards"]]
    assert set(server.authorizations) == {f"Bearer {FHIR_TOKEN}"}
    assert f"/fhir/Patient/{PATIENT_ID}" in server.requests
    assert server.requests.count("/fhir/Observation") > 1  # followed the searchset's next links


@pytest.mark.parametrize(("medication_page_size", "expected"), [(1, "not known whether"), (20, "none is on record")])
def test_a_medication_list_cut_by_the_page_limit_is_not_read_as_complete(
    settings: Settings, store: AuditStore, ehr: SimulatedEhr, medication_page_size: int, expected: str
) -> None:
    """Twelve medicines, ten pages read: 'no bone-modifying agent' must not be concluded from part of a list."""
    case = example_case("01_impending")
    case = case.model_copy(update={"treatment": case.treatment.model_copy(update={"bone_modifying_agent": None})})
    others = [
        {
            "resourceType": "MedicationStatement",
            "id": f"other-{i}",
            "status": "active",
            "medicationCodeableConcept": {"text": f"unrelated medicine {i}"},
            "subject": {"reference": f"Patient/{PATIENT_ID}"},
        }
        for i in range(12)
    ]
    server = FakeFhirServer(
        case_resources(case, PATIENT_ID) + others,
        page_size=100,
        page_sizes={"MedicationStatement": medication_page_size},
    )
    limited = settings.model_copy(update={"fhir_max_pages": 10})
    with (
        running(server.app(), port=FHIR_PORT) as base,
        TestClient(create_app(limited, store=store), base_url=PUBLIC_URL) as http,
    ):
        response = http.post(
            f"/cds-services/{PATIENT_VIEW}",
            json=hook_request(fhir_server=f"{base}/fhir"),
            headers=ehr.authorization(service_url(PATIENT_VIEW)),
        )
    assert response.status_code == 200
    agent_card = next(c for c in response.json()["cards"] if "bone-modifying agent" in c["summary"])
    assert expected in agent_card["detail"]


def test_partial_prefetch_is_completed_from_the_fhir_server(client: TestClient, auth: Auth) -> None:
    case = example_case("08_zoledronic")
    prefetch = prefetch_for(case)
    partial = {"patient": prefetch["patient"], "observations": prefetch["observations"]}
    server = FakeFhirServer(case_resources(case, PATIENT_ID))
    with running(server.app(), port=FHIR_PORT) as base:
        response = _post(client, PATIENT_VIEW, hook_request(prefetch=partial, fhir_server=f"{base}/fhir"), auth)
    assert response.status_code == 200
    assert "/fhir/Patient/patient" not in server.requests
    assert "/fhir/Condition" in server.requests


def test_wrong_fhir_token_gives_412(client: TestClient, auth: Auth) -> None:
    server = FakeFhirServer(case_resources(example_case("01_impending"), PATIENT_ID))
    with running(server.app(), port=FHIR_PORT) as base:
        response = _post(client, PATIENT_VIEW, hook_request(fhir_server=f"{base}/fhir", token="stale"), auth)
    assert response.status_code == 412
    assert "patient" in response.json()["missing_prefetch"]


def test_neither_prefetch_nor_fhir_server_gives_412(client: TestClient, auth: Auth) -> None:
    response = _post(client, PATIENT_VIEW, hook_request(), auth)
    assert response.status_code == 412
    assert sorted(response.json()["missing_prefetch"]) == sorted(prefetch_templates())


def test_prefetch_error_outcome_without_server_answers_from_the_rest(client: TestClient, auth: Auth) -> None:
    """Issue 13 B10: one failed query no longer costs the whole answer (was 412); the cards say what is missing."""
    prefetch = prefetch_for(example_case("08_zoledronic"))
    prefetch["conditions"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    response = _post(client, PATIENT_VIEW, hook_request(prefetch=prefetch), auth)
    assert response.status_code == 200
    summary = next(c for c in response.json()["cards"] if c["summary"].startswith("bonemet:"))
    assert "conditions: the client's query failed" in summary["detail"]


def test_spec_example_request_with_its_unreachable_server_gives_412(
    settings: Settings, store: AuditStore, ehr: SimulatedEhr
) -> None:
    app = create_app(settings, store=store, http_client=_offline_client)
    with TestClient(app, base_url=PUBLIC_URL) as http:
        response = http.post(
            f"/cds-services/{PATIENT_VIEW}",
            json=SPEC_EXAMPLE_REQUEST,
            headers=ehr.authorization(service_url(PATIENT_VIEW)),
        )
    assert response.status_code == 412


def test_spec_example_request_against_a_reachable_server(client: TestClient, auth: Auth) -> None:
    patient = SPEC_EXAMPLE_REQUEST["prefetch"]["patientToGreet"]
    server = FakeFhirServer([patient], token="some-opaque-fhir-access-token")
    body = copy.deepcopy(SPEC_EXAMPLE_REQUEST)
    with running(server.app(), port=FHIR_PORT) as base:
        body["fhirServer"] = f"{base}/fhir"
        response = _post(client, PATIENT_VIEW, body, auth)
    assert response.status_code == 200, response.text
    assert response.json() == {"cards": []}  # a 100-year-old man with no bone findings: nothing to say
    assert "/fhir/Patient/1288992" in server.requests


# --- bad requests ---------------------------------------------------------------------------------


def test_unknown_service_is_404(client: TestClient, auth: Auth) -> None:
    assert _post(client, "no-such-service", hook_request(), auth).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("hookInstance"), "hookInstance"),
        (lambda b: b["context"].pop("patientId"), "context.patientId"),
        (lambda b: b.update(hook="order-sign"), "hook"),
        (lambda b: b.update(fhirAuthorization={"access_token": "x"}), "fhirAuthorization"),
    ],
)
def test_bad_hook_request_is_422_naming_the_field(
    client: TestClient, auth: Auth, change: Callable[[dict[str, Any]], Any], field: str
) -> None:
    body = hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))
    change(body)
    response = _post(client, PATIENT_VIEW, body, auth)
    assert response.status_code == 422
    assert any(p.startswith(field) for p in response.json()["problems"]), response.json()


def test_hook_body_that_is_not_json_is_422(client: TestClient, auth: Auth) -> None:
    response = client.post(
        f"/cds-services/{PATIENT_VIEW}",
        content=b"{not json",
        headers={**auth(PATIENT_VIEW), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


# --- order-select / order-sign -------------------------------------------------------------------


def _draft_zoledronic_acid(dose_mg: float, rid: str = "draft-za") -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "medicationCodeableConcept": {
            "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "77655"}],
            "text": "zoledronic acid",
        },
        "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": dose_mg, "unit": "mg", "code": "mg"}}]}],
    }


def _draft_service(text: str, rid: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "code": {"text": text},
    }


def _orders(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def test_order_sign_updates_a_zoledronic_acid_dose_above_the_renal_dose(client: TestClient, auth: Auth) -> None:
    case = example_case("08_zoledronic")
    body = hook_request(
        "order-sign",
        prefetch=prefetch_for(case),
        context={"draftOrders": _orders(_draft_zoledronic_acid(4.0))},
    )
    response = _post(client, ORDER_SIGN, body, auth)
    assert response.status_code == 200, response.text
    assert_spec_conformant(response.json())
    card = next(c for c in response.json()["cards"] if "Zoledronic acid 4 mg" in c["summary"])
    assert card["indicator"] == "warning"
    action = card["suggestions"][0]["actions"][0]
    assert action["type"] == "update"
    new_dose = action["resource"]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]
    assert new_dose["value"] < 4.0 and new_dose["code"] == "mg"
    assert action["resource"]["id"] == "draft-za"


def test_order_select_checks_only_the_selected_orders(client: TestClient, auth: Auth) -> None:
    # The example's bone scan, dated a week before the service's today: recent enough to count as done.
    case = example_case("08_zoledronic")
    scan = case.imaging[0].model_copy(update={"date": dt.date.today() - dt.timedelta(days=7)})
    case = case.model_copy(update={"imaging": [scan]})
    drafts = _orders(_draft_zoledronic_acid(4.0, "za"), _draft_service("Bone scan, whole body", "scan"))
    selected_scan = hook_request(
        "order-select",
        prefetch=prefetch_for(case),
        context={"draftOrders": drafts, "selections": ["ServiceRequest/scan"]},
    )
    cards = _post(client, ORDER_SELECT, selected_scan, auth).json()["cards"]
    assert cards and all("oledronic" not in c["summary"] for c in cards)
    assert any("already done" in c["summary"] for c in cards)  # the scan a week ago


def test_order_select_requires_selections(client: TestClient, auth: Auth) -> None:
    body = hook_request(
        "order-select",
        prefetch=prefetch_for(example_case("08_zoledronic")),
        context={"draftOrders": _orders(_draft_zoledronic_acid(4.0))},
    )
    response = _post(client, ORDER_SELECT, body, auth)
    assert response.status_code == 422
    assert any(p.startswith("context.selections") for p in response.json()["problems"])


def test_order_sign_without_prefetch_fetches_from_the_fhir_server(client: TestClient, auth: Auth) -> None:
    case = example_case("11_vertebral")
    server = FakeFhirServer(case_resources(case, PATIENT_ID))
    drafts = _orders(_draft_service("Balloon kyphoplasty L2", "kypho"))
    with running(server.app(), port=FHIR_PORT) as base:
        body = hook_request("order-sign", fhir_server=f"{base}/fhir", context={"draftOrders": drafts})
        response = _post(client, ORDER_SIGN, body, auth)
    assert response.status_code == 200, response.text
    card = next(c for c in response.json()["cards"] if "augmentation" in c["summary"])
    assert "L2" in card["detail"] and "1b" in card["detail"]
    assert card["suggestions"][0]["actions"][0] == {
        "type": "delete",
        "description": "Remove the vertebral augmentation order",
        "resourceId": "ServiceRequest/kypho",
    }


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_is_stored_once(client: TestClient, ehr: SimulatedEhr, store: AuditStore) -> None:
    url = f"/cds-services/{PATIENT_VIEW}/feedback"
    feedback = {
        "feedback": [
            {
                "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
                "outcomeTimestamp": "2026-11-25T14:12:34Z",
            },
            {
                "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {"code": "patient-declined", "system": "https://bonemet.dev/fhir/CodeSystem/x"},
                    "userComment": "wants to discuss with family",
                },
                "outcomeTimestamp": "2026-11-25T14:13:00Z",
            },
        ]
    }
    audience = f"{service_url(PATIENT_VIEW)}/feedback"
    first = client.post(url, json=feedback, headers=ehr.authorization(audience))
    assert first.status_code == 200 and first.json() == {"stored": 2, "duplicates": 0}
    again = client.post(url, json=feedback, headers=ehr.authorization(audience))
    assert again.json() == {"stored": 0, "duplicates": 2}
    stored = store.feedback_for("9368d37b-283f-44a0-93ea-547cebab93ed")
    assert [f.outcome for f in stored] == ["accepted", "overridden"]
    assert stored[0].accepted_suggestions == [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}]
    assert stored[1].override_reason is not None and stored[1].override_reason["userComment"]


def test_feedback_needs_a_token_and_valid_items(client: TestClient, ehr: SimulatedEhr) -> None:
    url = f"/cds-services/{PATIENT_VIEW}/feedback"
    item = {"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-11-25T14:12:34Z"}
    assert client.post(url, json={"feedback": [item]}).status_code == 401
    response = client.post(
        url, json={"feedback": [item]}, headers=ehr.authorization(f"{service_url(PATIENT_VIEW)}/feedback")
    )
    assert response.status_code == 422
    assert any("acceptedSuggestions" in p for p in response.json()["problems"])


def test_a_later_feedback_with_an_override_reason_keeps_the_reason(
    client: TestClient, ehr: SimulatedEhr, store: AuditStore
) -> None:
    """Real clients (the CDS Hooks sandbox): 'overridden' first without a reason, then the same
    outcome with overrideReason. Before: stored as a duplicate, the reason lost."""
    url = f"/cds-services/{PATIENT_VIEW}/feedback"
    audience = f"{service_url(PATIENT_VIEW)}/feedback"
    item: dict[str, Any] = {
        "card": "0f7c1d2e-5a4b-4c3d-9e8f-7a6b5c4d3e2f",
        "outcome": "overridden",
        "outcomeTimestamp": "2026-12-05T09:00:00Z",
    }
    assert client.post(url, json={"feedback": [item]}, headers=ehr.authorization(audience)).json()["stored"] == 1
    reason = {"reason": {"code": "patient-declined", "system": "https://bonemet.dev/fhir/CodeSystem/override-reason"}}
    with_reason = {**item, "overrideReason": reason}
    second = client.post(url, json={"feedback": [with_reason]}, headers=ehr.authorization(audience))
    assert second.json() == {"stored": 1, "duplicates": 0}
    stored = store.feedback_for(item["card"])
    assert len(stored) == 1 and stored[0].override_reason == reason
    again = client.post(url, json={"feedback": [with_reason]}, headers=ehr.authorization(audience))
    assert again.json() == {"stored": 0, "duplicates": 1}  # the same report again is still a duplicate
