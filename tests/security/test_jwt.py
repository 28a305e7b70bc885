"""Tokens an attacker would try, beyond tests/service/test_auth.py (which covers the plain cases:
alg none, an HMAC token, another key with the same kid, expired, wrong audience, untrusted issuer,
replay, a missing kid/jti, a future iat, an over-long lifetime, a jku off the allow list).

Every one of these is answered 401 with a WWW-Authenticate header; none reaches the engine, none
is recorded, and none answers 500."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from bonemet.service import ORDER_SIGN, PATIENT_VIEW
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from tests.service.helpers import PUBLIC_URL, example_case, hook_request, prefetch_for

SERVICE_URL = f"{PUBLIC_URL}/cds-services/{PATIENT_VIEW}"


@pytest.fixture
def body() -> dict[str, Any]:
    return hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: str = "") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}.{signature}"


def claims_for(ehr: SimulatedEhr, audience: Any = SERVICE_URL, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": ehr.issuer, "aud": audience, "iat": now, "exp": now + 300, "jti": f"jti-{time.time_ns()}"}
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def call(client: TestClient, body: dict[str, Any], token: str, path: str = f"/cds-services/{PATIENT_VIEW}") -> Any:
    return client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


def assert_refused(response: Any, store: AuditStore | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Unauthorized: ")
    assert "Traceback" not in response.text
    if store is not None:
        assert store.count_assessments() == 0


# --- unsigned and algorithm confusion ---------------------------------------------------------------


@pytest.mark.parametrize("alg", ["None", "NONE", "nOnE", "", None, ["ES384"], 384])
def test_every_spelling_of_no_algorithm_is_refused(
    client: TestClient, store: AuditStore, ehr: SimulatedEhr, body: dict[str, Any], alg: Any
) -> None:
    header = {"alg": alg, "typ": "JWT", "kid": ehr.kid}
    assert_refused(call(client, body, unsigned(header, claims_for(ehr))), store)


def test_a_token_without_alg_is_refused(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    assert_refused(call(client, body, unsigned({"typ": "JWT", "kid": ehr.kid}, claims_for(ehr))))


def test_alg_none_carrying_a_real_signature_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    signed = ehr.token(SERVICE_URL)
    signature = signed.rsplit(".", 1)[1]
    token = unsigned({"alg": "none", "typ": "JWT", "kid": ehr.kid}, claims_for(ehr), signature)
    assert_refused(call(client, body, token))


@pytest.mark.parametrize("form", ["jwk-json", "x-coordinate"])
def test_hmac_keyed_with_the_issuers_public_key_is_refused(
    client: TestClient, store: AuditStore, ehr: SimulatedEhr, body: dict[str, Any], form: str
) -> None:
    """The classic confusion: the public key, known to all, used as an HMAC secret."""
    public = ehr.jwks()["keys"][0]
    secret = json.dumps(public).encode() if form == "jwk-json" else str(public["x"]).encode()
    token = jwt.encode(
        {"alg": "HS384", "typ": "JWT", "kid": ehr.kid}, claims_for(ehr), OctKey.import_key(secret), ["HS384"]
    )
    assert_refused(call(client, body, token), store)


@pytest.mark.parametrize("algorithm", ["ES256", "ES512", "RS256", "PS384"])
def test_an_algorithm_that_is_not_configured_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any], algorithm: str
) -> None:
    """Even when the signature would verify: ES384/RS384 only, as configured."""
    key = (
        ECKey.generate_key({"ES256": "P-256", "ES512": "P-521"}[algorithm], parameters={"kid": ehr.kid})
        if algorithm.startswith("ES")
        else RSAKey.generate_key(2048, parameters={"kid": ehr.kid})
    )
    token = jwt.encode({"alg": algorithm, "typ": "JWT", "kid": ehr.kid}, claims_for(ehr), key, [algorithm])
    response = call(client, body, token)
    assert_refused(response)
    assert "algorithm" in response.json()["detail"]


# --- wrong key, wrong iss ---------------------------------------------------------------------------


def test_a_token_signed_by_another_trusted_ehr_claiming_to_be_the_first_is_refused(
    client: TestClient, store: AuditStore, ehr: SimulatedEhr, other_ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    for kid in (other_ehr.kid, ehr.kid):
        token = jwt.encode(
            {"alg": "ES384", "typ": "JWT", "kid": kid}, claims_for(ehr), other_ehr.key, algorithms=["ES384"]
        )
        assert_refused(call(client, body, token), store)


def test_the_other_trusted_ehr_with_its_own_key_is_accepted(
    client: TestClient, other_ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    """The control for the test above: the second issuer is genuinely trusted."""
    assert call(client, body, other_ehr.token(SERVICE_URL)).status_code == 200


@pytest.mark.parametrize(
    "issuer", ["https://ehr.example.org/", "https://EHR.example.org", "http://ehr.example.org", "ehr.example.org"]
)
def test_an_issuer_that_only_resembles_a_trusted_one_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any], issuer: str
) -> None:
    assert_refused(call(client, body, ehr.token(SERVICE_URL, claims={"iss": issuer})))


@pytest.mark.parametrize("issuer", [None, 42, ["https://ehr.example.org"], {"iss": "https://ehr.example.org"}])
def test_an_issuer_that_is_missing_or_not_a_string_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any], issuer: Any
) -> None:
    claims = claims_for(ehr)
    claims.pop("iss")
    if issuer is not None:
        claims["iss"] = issuer
    token = jwt.encode({"alg": "ES384", "typ": "JWT", "kid": ehr.kid}, claims, ehr.key, algorithms=["ES384"])
    assert_refused(call(client, body, token))


# --- wrong aud ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "audience",
    [
        f"{SERVICE_URL}/",
        SERVICE_URL.upper(),
        f"{SERVICE_URL}?x=1",
        SERVICE_URL.replace("http://", "https://"),
        [],
        [f"{PUBLIC_URL}/cds-services/{ORDER_SIGN}"],
        None,
    ],
)
def test_an_audience_that_is_not_exactly_this_endpoint_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any], audience: Any
) -> None:
    claims = claims_for(ehr, audience=audience)
    token = jwt.encode({"alg": "ES384", "typ": "JWT", "kid": ehr.kid}, claims, ehr.key, algorithms=["ES384"])
    assert_refused(call(client, body, token))


# --- expired -------------------------------------------------------------------------------------------------


def test_expiry_is_exact_to_the_configured_leeway(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    """Leeway 30 s (the default): 40 s past exp is refused, 10 s past is still accepted."""
    now = int(time.time())
    late = claims_for(ehr, iat=now - 340, exp=now - 40)
    header = {"alg": "ES384", "typ": "JWT", "kid": ehr.kid}
    assert_refused(call(client, body, jwt.encode(header, late, ehr.key, algorithms=["ES384"])))
    grace = claims_for(ehr, iat=now - 310, exp=now - 10)
    assert call(client, body, jwt.encode(header, grace, ehr.key, algorithms=["ES384"])).status_code == 200


@pytest.mark.parametrize("exp", ["tomorrow", None, [1], 1e30, -1, True])
def test_an_expiry_that_is_missing_or_not_a_time_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any], exp: Any
) -> None:
    claims = claims_for(ehr)
    claims.pop("exp")
    if exp is not None:
        claims["exp"] = exp
    token = jwt.encode({"alg": "ES384", "typ": "JWT", "kid": ehr.kid}, claims, ehr.key, algorithms=["ES384"])
    assert_refused(call(client, body, token))


# --- replay ----------------------------------------------------------------------------------------------------


def test_a_jti_reused_in_a_freshly_signed_token_is_refused(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    first = ehr.token(SERVICE_URL, jti="reused-1")
    assert call(client, body, first).status_code == 200
    second = ehr.token(SERVICE_URL, jti="reused-1", now=time.time() + 1)
    assert second != first
    assert_refused(call(client, body, second))


def test_a_jti_used_at_one_service_is_refused_at_another(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    assert call(client, body, ehr.token(SERVICE_URL, jti="cross-1")).status_code == 200
    feedback = f"{SERVICE_URL}/feedback"
    report = {"feedback": [{"card": "c1", "outcome": "accepted", "outcomeTimestamp": "2026-11-25T10:00:00Z"}]}
    response = call(client, report, ehr.token(feedback, jti="cross-1"), f"/cds-services/{PATIENT_VIEW}/feedback")
    assert_refused(response)


def test_the_same_jti_from_two_issuers_is_two_tokens(
    client: TestClient, ehr: SimulatedEhr, other_ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    """Replay protection is per issuer: another EHR's jti does not lock this one out."""
    assert call(client, body, ehr.token(SERVICE_URL, jti="shared-1")).status_code == 200
    assert call(client, body, other_ehr.token(SERVICE_URL, jti="shared-1")).status_code == 200


# --- where the token travels, and what is not a token -------------------------------------------------------


def test_a_token_outside_the_authorization_header_is_not_read(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    token = ehr.token(SERVICE_URL)
    assert_refused(client.post(f"/cds-services/{PATIENT_VIEW}?access_token={token}", json=body))
    client.cookies.set("access_token", token)
    assert_refused(client.post(f"/cds-services/{PATIENT_VIEW}", json=body))


def test_feedback_needs_a_token(client: TestClient) -> None:
    report = {"feedback": [{"card": "c1", "outcome": "accepted", "outcomeTimestamp": "2026-11-25T10:00:00Z"}]}
    assert_refused(client.post(f"/cds-services/{PATIENT_VIEW}/feedback", json=report))


@given(
    token=st.text(max_size=300)
    | st.binary(max_size=300).map(b64)
    | st.lists(st.binary(max_size=60).map(b64), max_size=4).map(".".join)
)
@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_garbage_token_gets_past_401(client: TestClient, body: dict[str, Any], token: str) -> None:
    header = f"Bearer {token}".encode("ascii", "replace").decode("ascii")
    response = client.post(f"/cds-services/{PATIENT_VIEW}", json=body, headers={"Authorization": header})
    assert response.status_code == 401, response.text
