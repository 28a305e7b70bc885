"""Fast forms of the load and crash runs (the long forms: `make stress`, scripts/stress.py).

Load: concurrent clients on loopback against a real uvicorn (patient-view with a signed JWT and
prefetch, and POST /api/assess): zero errors, and the store holds exactly one row per assessment
answered 200. Crash: the server is SIGKILLed in the middle of the load and restarted on the same
store: every assessment answered 200 before the kill is there, and the store passes its
integrity check (SQLite PRAGMA integrity_check; PostgreSQL amcheck), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from bonemet.service.ehr_simulator import SimulatedEhr
from tests.reliability.loadgen import Server, count_rows, integrity_problems, run_load, stored_ids

CLIENTS = int(os.environ.get("BONEMET_LOAD_CLIENTS", "10"))
SECONDS = float(os.environ.get("BONEMET_LOAD_SECONDS", "5"))

T = TypeVar("T")


def _run(coroutine: Coroutine[object, object, T]) -> T:
    """asyncio.run on a thread of its own: a test run earlier in the session (Playwright's sync
    API) may have left an event loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def ehr() -> SimulatedEhr:
    return SimulatedEhr(issuer="https://ehr.example.org", kid="load-key-1", algorithm="ES384")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


def test_under_load_no_call_fails_and_every_assessment_is_stored(tmp_path: Path, ehr: SimulatedEhr) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with Server(url, tmp_path / "server.log", ehr) as server:
        result = _run(run_load(server, clients=CLIENTS, seconds=SECONDS))
    assert result.errors == [], result.errors[:5]
    assert result.answered_200 > 0 and result.by_kind["patient-view"] and result.by_kind["api-assess"]
    assert count_rows(url) == result.answered_200
    assert result.acknowledged <= stored_ids(url)
    assert integrity_problems(url) == []


def test_a_killed_server_loses_no_acknowledged_assessment(database_url: str, tmp_path: Path, ehr: SimulatedEhr) -> None:
    server = Server(database_url, tmp_path / "server.log", ehr)
    server.start()
    try:
        result = _run(run_load(server, clients=CLIENTS, seconds=SECONDS * 3, kill_after=SECONDS))
    finally:
        server.kill()
    assert server.process is not None and server.process.returncode == -9, "the server was SIGKILLed"
    assert result.errors == [], result.errors[:5]
    assert result.answered_200 > 0, "the kill came after some answers"
    lost = result.acknowledged - stored_ids(database_url)
    assert lost == set(), f"{len(lost)} acknowledged assessments lost"
    assert integrity_problems(database_url) == []
    restarted = Server(database_url, tmp_path / "server.log", ehr)
    with restarted:
        after = httpx.post(f"{restarted.base_url}/api/assess", json={"id": "after-restart"}, timeout=60)
        assert after.status_code == 200
        assert after.headers["X-Bonemet-Record"] in stored_ids(database_url)
