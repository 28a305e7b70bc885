"""Every hook call carries the EHR's JWT; only a valid one gets through (CDS Hooks 2.0, security)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey

from bonemet.service import PATIENT_VIEW, IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.service.security import AuthError, MemoryReplayCache, TokenVerifier
from bonemet.store import AuditStore
from tests.service.conftest import service_url
from tests.service.helpers import PUBLIC_URL, example_case, hook_request, jwks_app, prefetch_for, running

# The CDS Hooks 2.0 specification's own example ("Trusting CDS Clients", Example): the JWT as
# passed in the Authorization header, and the public JWK Set that verifies it.
SPEC_JWT = (
    "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxl"
    "LmNvbS9qd2tfdXJpIn0.eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsInN1YiI6ImNsaWVudF9pZCIsImF1ZCI6"
    "Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMx"
    "MTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00"
    "NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0.CUFPkplnWd6YGIvzoHolWCQBDsCL8QtTWKGg_QFpS169WrqDGzktRi-_we6-6rVzbjerU27ZK"
    "ww_SW0-b9RTz-dPJNcqsueMio8r6EqXUXhbLm_ch3XFSbDlGHDl_tqo"
)
SPEC_JWKS = {
    "keys": [
        {
            "kty": "EC",
            "use": "sig",
            "crv": "P-384",
            "kid": "example-kid",
            "x": "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
            "y": "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI",
            "alg": "ES384",
        }
    ]
}
SPEC_ISSUER = "https://fhir-ehr.example.com/"
SPEC_AUDIENCE = "https://cds.example.org/cds-services/some-service"
SPEC_IAT = 1311280970
SPEC_EXP = 1422568860


def _spec_verifier(now: float) -> TokenVerifier:
    settings = Settings(
        trusted_issuers={SPEC_ISSUER: IssuerTrust(jwks=SPEC_JWKS, jku=("https://fhir-ehr.example.com/jwk_uri",))},
        # The spec's example token is valid for 3.5 years; allow it so its signature can be checked.
        jwt_max_lifetime_seconds=10**9,
    )

    def clock() -> float:
        return now

    return TokenVerifier(settings, MemoryReplayCache(clock), jwks=None, clock=clock)  # type: ignore[arg-type]


def test_spec_example_jwt_verifies_with_the_spec_key_while_it_was_valid() -> None:
    import asyncio

    verified = asyncio.run(_spec_verifier(SPEC_IAT + 60).verify(f"Bearer {SPEC_JWT}", [SPEC_AUDIENCE]))
    assert verified.issuer == SPEC_ISSUER
    assert verified.jti == "ee22b021-e1b7-4611-ba5b-8eec6a33ac1e"
    assert verified.tenant == "2ddd6c3a-8e9a-44c6-a305-52111ad302a2"


def test_spec_example_jwt_is_expired_today() -> None:
    import asyncio

    with pytest.raises(AuthError, match="expired"):
        asyncio.run(_spec_verifier(time.time()).verify(f"Bearer {SPEC_JWT}", [SPEC_AUDIENCE]))


def test_spec_example_jwt_is_not_for_another_audience() -> None:
    import asyncio

    with pytest.raises(AuthError, match="aud"):
        asyncio.run(
            _spec_verifier(SPEC_IAT + 60).verify(f"Bearer {SPEC_JWT}", ["https://cds.example.org/cds-services/other"])
        )


def test_spec_example_jwt_with_a_tampered_payload_fails() -> None:
    import asyncio

    header, payload, signature = SPEC_JWT.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["tenant"] = "another-organisation"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(AuthError, match="signature"):
        asyncio.run(
            _spec_verifier(SPEC_IAT + 60).verify(f"Bearer {header}.{forged_payload}.{signature}", [SPEC_AUDIENCE])
        )


# --- over HTTP, as an EHR calls -----------------------------------------------------------------


@pytest.fixture
def body() -> dict[str, Any]:
    return hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))


def _call(client: TestClient, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/cds-services/{PATIENT_VIEW}", json=body, headers=headers)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_valid_token_is_accepted(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    response = _call(client, body, ehr.authorization(service_url(PATIENT_VIEW)))
    assert response.status_code == 200, response.text
    assert "cards" in response.json()


def test_missing_authorization_is_401(client: TestClient, body: dict[str, Any]) -> None:
    response = _call(client, body, {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_non_bearer_scheme_is_401(client: TestClient, body: dict[str, Any]) -> None:
    assert _call(client, body, {"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


def test_token_signed_by_another_key_with_the_same_kid_is_401(
    client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    impostor = SimulatedEhr(issuer=ehr.issuer, kid=ehr.kid)
    response = _call(client, body, impostor.authorization(service_url(PATIENT_VIEW)))
    assert response.status_code == 401
    assert "signature" in response.json()["detail"]


def test_expired_token_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    headers = ehr.authorization(service_url(PATIENT_VIEW), now=time.time() - 3600, lifetime=300)
    response = _call(client, body, headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_token_for_another_endpoint_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    for audience in (f"{PUBLIC_URL}/cds-services/bonemet-order-sign", f"{PUBLIC_URL}/cds-services", "https://x"):
        assert _call(client, body, ehr.authorization(audience)).status_code == 401


def test_audience_as_an_array_is_accepted(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    assert _call(client, body, ehr.authorization([service_url(PATIENT_VIEW)])).status_code == 200


def test_untrusted_issuer_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    headers = ehr.authorization(service_url(PATIENT_VIEW), claims={"iss": "https://evil.example"})
    response = _call(client, body, headers)
    assert response.status_code == 401
    assert "issuer" in response.json()["detail"]


def test_alg_none_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    now = int(time.time())
    header = {"alg": "none", "typ": "JWT", "kid": ehr.kid}
    claims = {"iss": ehr.issuer, "aud": service_url(PATIENT_VIEW), "iat": now, "exp": now + 300, "jti": "none-1"}
    unsigned = f"{_b64(header)}.{_b64(claims)}."
    response = _call(client, body, {"Authorization": f"Bearer {unsigned}"})
    assert response.status_code == 401
    assert "algorithm" in response.json()["detail"]


def test_hmac_token_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    now = int(time.time())
    claims = {"iss": ehr.issuer, "aud": service_url(PATIENT_VIEW), "iat": now, "exp": now + 300, "jti": "hs-1"}
    token = jwt.encode(
        {"alg": "HS384", "typ": "JWT", "kid": ehr.kid}, claims, OctKey.import_key("s" * 48), algorithms=["HS384"]
    )
    assert _call(client, body, {"Authorization": f"Bearer {token}"}).status_code == 401


def test_replayed_jti_is_401(client: TestClient, ehr: SimulatedEhr, body: dict[str, Any]) -> None:
    headers = ehr.authorization(service_url(PATIENT_VIEW))
    assert _call(client, body, headers).status_code == 200
    replay = _call(client, body, headers)
    assert replay.status_code == 401
    assert "replay" in replay.json()["detail"]


def test_replay_is_caught_across_app_instances_sharing_the_store(
    settings: Settings, store: AuditStore, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    headers = ehr.authorization(service_url(PATIENT_VIEW))
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as first:
        assert _call(first, body, headers).status_code == 200
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as second:
        assert _call(second, body, headers).status_code == 401


@pytest.mark.parametrize(
    ("header", "claims", "reason"),
    [
        ({"kid": ""}, {}, "kid"),
        ({"typ": "at+jwt"}, {}, "typ"),
        ({}, {"jti": None}, "jti"),
        ({}, {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 3900}, "future"),
        ({}, {"exp": int(time.time()) + 7 * 24 * 3600}, "lifetime"),
        ({"jku": "https://evil.example/jwks.json"}, {}, "jku"),
    ],
)
def test_malformed_tokens_are_401(
    client: TestClient,
    ehr: SimulatedEhr,
    body: dict[str, Any],
    header: dict[str, Any],
    claims: dict[str, Any],
    reason: str,
) -> None:
    token_claims = {k: v for k, v in claims.items() if v is not None}
    token = ehr.token(service_url(PATIENT_VIEW), header=header, claims=token_claims)
    if "jti" in claims:  # drop the claim entirely
        parts = token.split(".")
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=="))
        payload.pop("jti")
        token = jwt.encode(
            {"alg": ehr.algorithm, "typ": "JWT", "kid": ehr.kid}, payload, ehr.key, algorithms=[ehr.algorithm]
        )
    response = _call(client, body, {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert reason in response.json()["detail"]


def test_rs384_client_is_accepted(store: AuditStore, body: dict[str, Any]) -> None:
    rsa_ehr = SimulatedEhr(issuer="https://rsa-ehr.example.org", kid="rsa-1", algorithm="RS384")
    settings = Settings(public_url=PUBLIC_URL, trusted_issuers={rsa_ehr.issuer: IssuerTrust(jwks=rsa_ehr.jwks())})
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as http:
        assert _call(http, body, rsa_ehr.authorization(service_url(PATIENT_VIEW))).status_code == 200


def test_keys_are_fetched_from_an_allowed_jku(store: AuditStore, body: dict[str, Any]) -> None:
    """The JWK Set is fetched with httpx from the token's jku, served by a real server on loopback."""
    placeholder = SimulatedEhr(issuer="https://jku-ehr.example.org", kid="jku-1")
    with running(jwks_app(placeholder.jwks())) as jwks_base:
        jku = f"{jwks_base}/jwks.json"
        placeholder.jku = jku
        settings = Settings(public_url=PUBLIC_URL, trusted_issuers={placeholder.issuer: IssuerTrust(jku=(jku,))})
        with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as http:
            assert _call(http, body, placeholder.authorization(service_url(PATIENT_VIEW))).status_code == 200
            impostor = SimulatedEhr(issuer=placeholder.issuer, kid="jku-1", jku=jku)
            assert _call(http, body, impostor.authorization(service_url(PATIENT_VIEW))).status_code == 401


def test_unreachable_jwks_is_401_not_500(store: AuditStore, body: dict[str, Any]) -> None:
    ehr = SimulatedEhr(issuer="https://down.example.org", kid="k")
    settings = Settings(
        public_url=PUBLIC_URL,
        trusted_issuers={ehr.issuer: IssuerTrust(jwks_url="http://127.0.0.1:9/jwks.json")},
    )
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as http:
        response = _call(http, body, ehr.authorization(service_url(PATIENT_VIEW)))
        assert response.status_code == 401
        assert "JWK Set" in response.json()["detail"]


def test_auth_can_be_disabled_for_demos(store: AuditStore, body: dict[str, Any], caplog: Any) -> None:
    with caplog.at_level("WARNING"):
        app = create_app(Settings(public_url=PUBLIC_URL, auth_disabled=True), store=store)
    assert "AUTHENTICATION IS DISABLED" in caplog.text
    with TestClient(app, base_url=PUBLIC_URL) as http:
        assert _call(http, body, {}).status_code == 200
        assert http.get("/healthz").json()["authentication"] == "DISABLED"


def test_discovery_needs_a_token_for_the_discovery_url(client: TestClient, ehr: SimulatedEhr) -> None:
    assert client.get("/cds-services").status_code == 401
    assert client.get("/cds-services", headers=ehr.authorization(service_url(PATIENT_VIEW))).status_code == 401
    assert client.get("/cds-services", headers=ehr.authorization(f"{PUBLIC_URL}/cds-services")).status_code == 200


def test_discovery_can_be_opened(store: AuditStore, ehr: SimulatedEhr) -> None:
    settings = Settings(
        public_url=PUBLIC_URL,
        trusted_issuers={ehr.issuer: IssuerTrust(jwks=ehr.jwks())},
        discovery_requires_auth=False,
    )
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as http:
        assert http.get("/cds-services").status_code == 200


def test_expired_token_ids_are_purged_from_the_store(store: AuditStore) -> None:
    import asyncio
    import datetime as dt

    from bonemet.service.security import StoreReplayCache

    cache = StoreReplayCache(store.remember_token, store.forget_expired_tokens, purge_every=3)
    past = int(time.time()) - 60
    assert asyncio.run(cache.remember("iss", "old-1", past))
    assert asyncio.run(cache.remember("iss", "old-2", past))
    assert asyncio.run(cache.remember("iss", "new-1", int(time.time()) + 300))  # third call purges first
    assert store.forget_expired_tokens(dt.datetime.now(dt.UTC)) == 0
    assert not asyncio.run(cache.remember("iss", "new-1", int(time.time()) + 300))
