"""The breaks of the December 2026 red team (issue 13), each reproduced through the public
HTTP interface: these tests failed before the fixes."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from joserfc import jwt

from bonemet.service import PATIENT_VIEW, IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.service.http_protocol import HeaderTimeoutProtocol
from bonemet.store import AuditStore
from tests.reliability.loadgen import Server
from tests.security.test_jwt import assert_refused, call, claims_for
from tests.service.helpers import PUBLIC_URL, example_case, free_port, hook_request, prefetch_for


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


# --- B6: a token in the query string is not written to the access log ---------------------------------


def test_a_token_in_the_query_string_does_not_reach_the_access_log(tmp_path: Path) -> None:
    """Red team B6: the token was refused, but the access log kept it whole, and it still worked."""
    ehr = SimulatedEhr(issuer="https://ehr.example.org", kid="b6-key", algorithm="ES384")
    log = tmp_path / "server.log"
    with Server(f"sqlite:///{tmp_path / 'audit.sqlite3'}", log, ehr, log_level="debug") as server:
        url = f"{server.base_url}/cds-services/{PATIENT_VIEW}"
        token = ehr.token(url)
        body = hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))
        refused = httpx.post(f"{url}?access_token={token}", json=body, timeout=30)
        searched = httpx.get(f"{server.base_url}/reference?q=QUERYMARK", timeout=30)
    assert refused.status_code == 401 and searched.status_code == 200
    text = log.read_text(errors="replace")
    assert f"POST /cds-services/{PATIENT_VIEW}?(query removed)" in text, "the access line was written"
    assert token not in text and token.split(".")[1] not in text
    assert "QUERYMARK" not in text


# --- B5: replay protection across workers and restarts, with the audit store off -----------------------


def test_a_token_is_used_once_across_workers_and_restarts_with_the_audit_off(
    tmp_path: Path, ehr: SimulatedEhr, body: dict[str, Any]
) -> None:
    """Red team B5: with BONEMET_AUDIT=0 each worker kept its own in-memory jti cache: 2 of 20 uses
    of one token were accepted on 2 workers, and a restart accepted it again."""
    settings = Settings(
        public_url=PUBLIC_URL,
        trusted_issuers={ehr.issuer: IssuerTrust(jwks=ehr.jwks())},
        audit_enabled=False,
        database_url=f"sqlite:///{tmp_path / 'bonemet.sqlite3'}",
    )
    token = ehr.token(f"{PUBLIC_URL}/cds-services/{PATIENT_VIEW}")
    with (
        TestClient(create_app(settings), base_url=PUBLIC_URL) as first,
        TestClient(create_app(settings), base_url=PUBLIC_URL) as second,
    ):
        assert call(first, body, token).status_code == 200
        assert_refused(call(second, body, token))
        assert first.get("/healthz").json()["audit_store"] is None  # no assessment is recorded
    with TestClient(create_app(settings), base_url=PUBLIC_URL) as restarted:
        assert_refused(call(restarted, body, token))


# --- slowloris: a connection that never finishes its headers is closed -----------------------------------


class _QuickHeaderTimeout(HeaderTimeoutProtocol):
    header_timeout = 0.5


def test_a_connection_that_never_finishes_its_headers_is_closed(settings: Settings, store: AuditStore) -> None:
    """Red team: 500 connections sending an incomplete header line every 5 s were all still open
    after 60 s (no header read timeout). A finished request's keep-alive is not cut short."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store=store),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        http=_QuickHeaderTimeout,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.3)
            slow.sendall(b"X-Slow: 1\r\n")  # still trickling, never the blank line
            assert slow.recv(1024) == b""  # closed by the server, well before the 10 s socket timeout
        with socket.create_connection(("127.0.0.1", port), timeout=10) as kept:
            for _ in range(2):
                kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                assert kept.recv(65536).startswith(b"HTTP/1.1 200")
                time.sleep(1.0)  # idle longer than the header timeout: keep-alive governs this
    finally:
        server.should_exit = True
        thread.join(timeout=10)
