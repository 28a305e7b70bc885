"""The JSON API's authentication and rate limit (red team B7, issue 13). Before: no
authentication and no limit, so anyone reaching the port could fill the disk with audit rows."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonemet.service import Settings, create_app
from bonemet.service.api_access import api_auth_required, api_rate_per_minute
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from tests.service.helpers import PUBLIC_URL, example_case

KEY = "k-3f1c0a9e-test-api-key"


@pytest.fixture
def case() -> dict[str, Any]:
    return example_case("08_zoledronic").model_dump(mode="json", exclude_none=True)


def _app(settings: Settings, store: AuditStore, **changes: Any) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes), store=store), base_url=PUBLIC_URL)


@pytest.mark.parametrize(
    ("host", "expected"), [(None, False), ("127.0.0.1", False), ("::1", False), ("0.0.0.0", True), ("10.1.2.3", True)]
)
def test_authentication_is_on_by_default_beyond_loopback(settings: Settings, host: str | None, expected: bool) -> None:
    listening = settings.model_copy(update={"listen_host": host})
    assert api_auth_required(listening) is expected
    assert (api_rate_per_minute(listening) > 0) is expected


def test_a_server_on_the_network_refuses_the_api_without_credentials(
    settings: Settings, store: AuditStore, case: dict[str, Any]
) -> None:
    with _app(settings, store, listen_host="0.0.0.0", api_keys=(KEY,)) as http:
        for path, body in (("/api/assess", case), ("/api/read-report", {"text": "Lytic lesion in T5."})):
            refused = http.post(path, json=body)
            assert refused.status_code == 401, refused.text
            assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert http.get("/api/assessments/00000000-0000-4000-8000-000000000000").status_code == 401
        assert http.post("/api/assess", json=case, headers={"X-API-Key": "wrong"}).status_code == 401
        assert store.count_assessments() == 0
        assert http.post("/api/assess", json=case, headers={"X-API-Key": KEY}).status_code == 200
        assert http.post("/api/assess", json=case, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert http.get("/healthz").status_code == 200  # health stays open


def test_a_trusted_issuers_jwt_for_the_api_is_accepted_once(
    settings: Settings, store: AuditStore, ehr: SimulatedEhr, case: dict[str, Any]
) -> None:
    with _app(settings, store, api_auth="on") as http:
        headers = ehr.authorization(f"{PUBLIC_URL}/api")
        assert http.post("/api/assess", json=case, headers=headers).status_code == 200
        assert http.post("/api/assess", json=case, headers=headers).status_code == 401  # jti replay
        wrong_audience = ehr.authorization(f"{PUBLIC_URL}/cds-services")
        assert http.post("/api/assess", json=case, headers=wrong_audience).status_code == 401


def test_loopback_needs_no_configuration(settings: Settings, store: AuditStore, case: dict[str, Any]) -> None:
    with _app(settings, store, listen_host="127.0.0.1") as http:
        assert http.post("/api/assess", json=case).status_code == 200


def test_the_rate_limit_answers_429_with_retry_after(
    settings: Settings, store: AuditStore, case: dict[str, Any]
) -> None:
    """6 a minute: a burst of one (ten seconds' worth), then 429 until the bucket refills."""
    with _app(settings, store, listen_host="0.0.0.0", api_keys=(KEY, "other-key"), api_rate_per_minute=6) as http:
        assert http.post("/api/assess", json=case, headers={"X-API-Key": KEY}).status_code == 200
        limited = http.post("/api/assess", json=case, headers={"X-API-Key": KEY})
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 10
        # Per client: another key still has its own allowance.
        assert http.post("/api/assess", json=case, headers={"X-API-Key": "other-key"}).status_code == 200
