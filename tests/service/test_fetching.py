"""Fetching what a hook call did not prefetch (issue 13): an allow list of FHIR servers (red team
B4), percent-encoded ids (B9), one overall deadline and a pool per FHIR server (B1), and an answer
from the data that did arrive when some did not (real clients: the CDS Hooks sandbox leaves out
the keys its own query failed on). Each test failed before the fix."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.testclient import TestClient

from bonemet.fhir import case_resources
from bonemet.service import PATIENT_VIEW, IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from tests.service.conftest import service_url
from tests.service.helpers import (
    FHIR_BASE,
    FHIR_PORT,
    FHIR_TOKEN,
    PATIENT_ID,
    PUBLIC_URL,
    FakeFhirServer,
    example_case,
    free_port,
    hook_request,
    jwks_app,
    prefetch_for,
    running,
)

Auth = Callable[..., dict[str, str]]


def capture_app(seen: list[tuple[str, str | None]]) -> FastAPI:
    """A server that records every request (raw path and query, and the Authorization header)."""
    app = FastAPI()

    @app.get("/{path:path}")
    async def anything(request: Request, path: str) -> JSONResponse:
        raw = request.scope["raw_path"].decode() + ("?" + request.scope["query_string"].decode()).rstrip("?")
        seen.append((raw, request.headers.get("Authorization")))
        return JSONResponse({"resourceType": "Bundle", "type": "searchset", "entry": []})

    return app


def trickle_app() -> FastAPI:
    """A FHIR server that answers 200 and then sends one byte every 0.3 s, for a minute."""
    app = FastAPI()

    @app.get("/{path:path}")
    async def slow(path: str) -> StreamingResponse:
        async def drip() -> AsyncIterator[bytes]:
            for _ in range(200):
                yield b" "
                await asyncio.sleep(0.3)

        return StreamingResponse(drip(), media_type="application/fhir+json")

    return app


def _post(client: TestClient, body: dict[str, Any], auth: Auth) -> Any:
    return client.post(f"/cds-services/{PATIENT_VIEW}", json=body, headers=auth(PATIENT_VIEW))


# --- B4: SSRF ---------------------------------------------------------------------------------------


def test_a_fhir_server_off_the_allow_list_is_never_contacted(client: TestClient, auth: Auth) -> None:
    seen: list[tuple[str, str | None]] = []
    with running(capture_app(seen)) as other:
        response = _post(client, hook_request(fhir_server=f"{other}/fhir"), auth)
    assert response.status_code == 412
    assert "allow list" in response.json()["detail"]
    assert seen == []  # nothing fetched, so the fhirAuthorization bearer went nowhere


def test_allow_list_matching_is_exact(client: TestClient, auth: Auth) -> None:
    """Same host and port but another path, or userinfo, is not the allowed server."""
    seen: list[tuple[str, str | None]] = []
    with running(capture_app(seen), port=FHIR_PORT):
        for server in (f"{FHIR_BASE}-other", f"http://user:pw@127.0.0.1:{FHIR_PORT}/fhir", f"{FHIR_BASE}?x=1"):
            assert _post(client, hook_request(fhir_server=server), auth).status_code == 412
        assert seen == []
        assert _post(client, hook_request(fhir_server=f"{FHIR_BASE}/"), auth).status_code == 200
    assert seen and all(path.startswith("/fhir/") for path, _ in seen)


# --- B9: ids are percent-encoded ----------------------------------------------------------------------


def test_a_patient_id_cannot_leave_the_base_path_or_add_parameters(client: TestClient, auth: Auth) -> None:
    seen: list[tuple[str, str | None]] = []
    with running(capture_app(seen), port=FHIR_PORT):
        for patient_id in ("../../jwks.json?x=", "p1&_count=1000&_include=*"):
            body = hook_request(fhir_server=FHIR_BASE, context={"patientId": patient_id})
            _post(client, body, auth)
    assert seen
    for raw, authorization in seen:
        assert raw.startswith("/fhir/"), raw
        path, _, query = raw.partition("?")
        assert not {"_count", "_include"} & set(parse_qs(query)), raw
        assert "/" not in path.removeprefix("/fhir/").partition("/")[2].replace("%2F", ""), raw
        assert authorization == f"Bearer {FHIR_TOKEN}"
    assert any("%2F..%2F" in raw or "..%2F" in raw for raw, _ in seen)
    assert any("p1%26_count%3D1000" in raw for raw, _ in seen)


# --- B10 (real clients): partial prefetch ---------------------------------------------------------------


def test_keys_the_client_left_out_do_not_cost_the_critical_card(client: TestClient, auth: Auth) -> None:
    """The sandbox leaves out keys whose query failed; the FHIR server can't be reached (nothing
    listens on the allowed port). Before: 412 and the hypercalcaemia card was lost."""
    prefetch = prefetch_for(example_case("03_hypercalcaemia"))
    del prefetch["diagnosticReports"], prefetch["imagingStudies"]
    response = _post(client, hook_request(prefetch=prefetch, fhir_server=FHIR_BASE), auth)
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert cards[0]["indicator"] == "critical" and "ypercalcaemia" in cards[0]["summary"]
    summary = next(c for c in cards if c["summary"].startswith("bonemet:"))
    assert "diagnosticReports: FHIR server: ConnectError" in summary["detail"]
    assert "imagingStudies" in summary["detail"]


def test_nothing_obtained_is_still_412(client: TestClient, auth: Auth) -> None:
    response = _post(client, hook_request(fhir_server=FHIR_BASE), auth)
    assert response.status_code == 412
    assert "patient" in response.json()["missing_prefetch"]


# --- B1: one slow FHIR server -------------------------------------------------------------------------


def test_a_trickling_fhir_server_cannot_hold_a_call_or_starve_other_tenants(store: AuditStore) -> None:
    """Red team B1: a server sending a byte every 3 s held a hook call > 75 s, and 13 such calls used
    up the one shared pool, so other tenants' FHIR fetches and JWK Set loading failed."""
    slow_port, jwks_port = free_port(), free_port()
    slow_base = f"http://127.0.0.1:{slow_port}/fhir"
    ehr = SimulatedEhr(issuer="https://ehr.example.org", kid="b1-key", algorithm="ES384")
    other = SimulatedEhr(issuer="https://other.example.org", kid="b1-other", algorithm="ES384")
    settings = Settings(
        public_url=PUBLIC_URL,
        trusted_issuers={
            ehr.issuer: IssuerTrust(jwks=ehr.jwks(), fhir_servers=(slow_base, FHIR_BASE)),
            other.issuer: IssuerTrust(jwks_url=f"http://127.0.0.1:{jwks_port}/jwks.json"),
        },
        fhir_timeout_seconds=1.0,  # per read: a byte every 0.3 s never trips it
        fhir_deadline_seconds=1.0,
        fhir_max_connections=4,
    )
    case = example_case("03_hypercalcaemia")
    good = FakeFhirServer(case_resources(case, PATIENT_ID))
    url = service_url(PATIENT_VIEW)
    with (
        running(trickle_app(), port=slow_port),
        running(good.app(), port=FHIR_PORT),
        running(jwks_app(other.jwks()), port=jwks_port),
        running(create_app(settings, store=store)) as service,
    ):

        def slow_call(_: int) -> tuple[int, float]:
            started = time.monotonic()
            response = httpx.post(
                f"{service}/cds-services/{PATIENT_VIEW}",
                json=hook_request(fhir_server=slow_base),
                headers=ehr.authorization(url),
                timeout=30,
            )
            return response.status_code, time.monotonic() - started

        with ThreadPoolExecutor(13) as pool:
            slow = list(pool.map(slow_call, range(13)))
        assert {status for status, _ in slow} == {412}
        assert max(seconds for _, seconds in slow) < 15  # was > 75 s: bounded by the 1 s deadline
        ok = httpx.post(
            f"{service}/cds-services/{PATIENT_VIEW}",
            json=hook_request(fhir_server=FHIR_BASE),
            headers=ehr.authorization(url),
            timeout=30,
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["cards"][0]["indicator"] == "critical"
        prefetched = hook_request(prefetch=prefetch_for(case))
        keys = httpx.post(
            f"{service}/cds-services/{PATIENT_VIEW}", json=prefetched, headers=other.authorization(url), timeout=30
        )
        assert keys.status_code == 200, keys.text  # the JWK Set was fetched on its own client
