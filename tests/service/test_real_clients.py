"""What real CDS clients showed (issue 13, part B): every card names its `source.topic` (the Da
Vinci CRD card checks require code and system), and FHIR DSTU2 draft orders (the CDS Hooks
sandbox's default server is DSTU2) are named on a card, not dropped in silence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonemet.examples import example_paths
from bonemet.model import parse_case
from bonemet.service import ORDER_SELECT, ORDER_SIGN, PATIENT_VIEW
from tests.service.helpers import example_case, hook_request, prefetch_for

Auth = Callable[..., dict[str, str]]


def _post(client: TestClient, service: str, body: dict[str, Any], auth: Auth) -> Any:
    response = client.post(f"/cds-services/{service}", json=body, headers=auth(service))
    assert response.status_code == 200, response.text
    return response.json()["cards"]


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_patient_view_card_has_a_topic_with_code_and_system(client: TestClient, auth: Auth, path: Path) -> None:
    cards = _post(client, PATIENT_VIEW, hook_request(prefetch=prefetch_for(parse_case(path.read_text()))), auth)
    for card in cards:
        topic = card["source"].get("topic")
        assert topic and topic["code"] and topic["system"].startswith("https://"), card["summary"]


def _drafts(kind: str) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": _zoledronic_draft(kind)}]}


def _zoledronic_draft(kind: str) -> dict[str, Any]:
    medication = {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1114085"}]}
    return {
        "resourceType": kind,
        "id": "draft-1",
        "status": "draft",
        "intent": "order",
        "patient" if kind == "MedicationOrder" else "subject": {"reference": "Patient/patient"},
        "medicationCodeableConcept": medication,
    }


@pytest.mark.parametrize("service", [ORDER_SIGN, ORDER_SELECT])
def test_a_dstu2_medication_order_draft_is_named_not_ignored(client: TestClient, auth: Auth, service: str) -> None:
    """Before: `{"cards": []}` for the sandbox's DSTU2 MedicationOrder draft."""
    drafts = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": _zoledronic_draft("MedicationOrder")}],
    }
    context: dict[str, Any] = {"draftOrders": drafts}
    if service == ORDER_SELECT:
        context["selections"] = ["MedicationOrder/draft-1"]
    hook = "order-sign" if service == ORDER_SIGN else "order-select"
    body = hook_request(hook, prefetch=prefetch_for(example_case("08_zoledronic")), context=context)
    cards = _post(client, service, body, auth)
    unread = [c for c in cards if "MedicationOrder" in c["summary"]]
    assert len(unread) == 1 and unread[0]["indicator"] == "info"
    assert unread[0]["source"]["topic"]["code"] == "unread-orders"


def test_an_r4_order_card_has_a_topic(client: TestClient, auth: Auth) -> None:
    drafts = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": _zoledronic_draft("MedicationRequest")}],
    }
    body = hook_request(
        "order-sign", prefetch=prefetch_for(example_case("08_zoledronic")), context={"draftOrders": drafts}
    )
    cards = _post(client, ORDER_SIGN, body, auth)
    assert cards and all(c["source"].get("topic", {}).get("system") for c in cards)
    assert not any("DSTU2" in c["summary"] for c in cards)
