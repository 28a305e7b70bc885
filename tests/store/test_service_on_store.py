"""The service records through the audit store on both databases: a hook call and an API call."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from bonemet.examples import example_paths
from bonemet.service import PATIENT_VIEW, IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore, Source
from tests.service.helpers import PUBLIC_URL, example_case, hook_request, prefetch_for


def test_hook_and_api_calls_are_recorded(store: AuditStore) -> None:
    ehr = SimulatedEhr(issuer="https://store-ehr.example.org", kid="s1")
    settings = Settings(public_url=PUBLIC_URL, trusted_issuers={ehr.issuer: IssuerTrust(jwks=ehr.jwks())})
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as client:
        body = hook_request(prefetch=prefetch_for(example_case("01_impending")), instance="store-hook-1")
        headers = ehr.authorization(f"{PUBLIC_URL}/cds-services/{PATIENT_VIEW}")
        assert client.post(f"/cds-services/{PATIENT_VIEW}", json=body, headers=headers).status_code == 200
        assert client.post(f"/cds-services/{PATIENT_VIEW}", json=body, headers=headers).status_code == 401
        api = client.post("/api/assess", json=json.loads(example_paths()[0].read_text()))
        assert api.status_code == 200
        assert client.get("/healthz").json()["audit_store"] == store.dialect
    assert store.count_assessments(hook_instance="store-hook-1") == 1
    stored = store.get_assessment(api.headers["X-Bonemet-Record"])
    assert stored is not None and stored.source is Source.api
