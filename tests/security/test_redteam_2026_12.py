"""The breaks of the December 2026 red team (issue 13), each reproduced through the public
HTTP interface: these tests failed before the fixes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt

from bonemet.service.ehr_simulator import SimulatedEhr
from tests.security.test_jwt import assert_refused, call, claims_for
from tests.service.helpers import example_case, hook_request, prefetch_for


@pytest.fixture
def body() -> dict[str, Any]:
    return hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))


# --- B10: the lifetime is exp - iat, not exp - now --------------------------------------------------


def test_a_token_issued_long_ago_with_a_fresh_expiry_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    """Red team B10: iat 30 days ago, exp now + 3,500 s was accepted (lifetime limit 3,600 s)."""
    now = int(time.time())
    old = claims_for(ehr, iat=now - 30 * 86400, exp=now + 3500)
    header = {"alg": "ES384", "typ": "JWT", "kid": ehr.kid}
    response = call(client, body, jwt.encode(header, old, ehr.key, algorithms=["ES384"]))
    assert_refused(response)
    assert "lifetime" in response.json()["detail"]


def test_a_token_at_the_lifetime_limit_is_accepted(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    now = int(time.time())
    limit = claims_for(ehr, iat=now - 100, exp=now - 100 + 3600)
    header = {"alg": "ES384", "typ": "JWT", "kid": ehr.kid}
    assert call(client, body, jwt.encode(header, limit, ehr.key, algorithms=["ES384"])).status_code == 200
