"""The web FHIR upload says when the record is of a patient who has died (issue 12.1)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.fhir.synthea_shaped import breast_and_lung_history, bundle
from tests.web.conftest import make_app


def test_uploading_a_deceased_patient_shows_why_there_is_no_plan() -> None:
    client = TestClient(make_app())
    body = json.dumps(bundle(*breast_and_lung_history(died="1989-05-09"))).encode()
    response = client.post("/assessment/fhir", files={"bundle": ("record.json", body, "application/json")})
    assert response.status_code == 422
    assert "died on 1989-05-09" in response.text
    assert "does not assess a deceased patient" in response.text
