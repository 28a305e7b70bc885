"""A deceased patient is not assessed: the CDS service, the JSON API and the web page say so (issue 12.1)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from bonemet.service import PATIENT_VIEW
from tests.fhir.synthea_shaped import breast_and_lung_history, bundle
from tests.service.helpers import example_case, hook_request, prefetch_for


def test_patient_view_for_a_deceased_patient_gives_one_info_card_and_no_plan(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    prefetch = prefetch_for(example_case("03_hypercalcaemia"))
    prefetch["patient"] = {**prefetch["patient"], "deceasedDateTime": "2024-02-01T08:00:00Z"}
    response = client.post(
        f"/cds-services/{PATIENT_VIEW}", json=hook_request(prefetch=prefetch), headers=auth(PATIENT_VIEW)
    )
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 1
    assert cards[0]["indicator"] == "info"
    assert "died on 2024-02-01" in cards[0]["summary"]


def test_the_json_api_refuses_a_deceased_patient_with_422_naming_the_death(client: TestClient) -> None:
    response = client.post("/api/assess/fhir", json=bundle(*breast_and_lung_history(died="1989-05-09")))
    assert response.status_code == 422
    assert "died on 1989-05-09" in json.dumps(response.json())
