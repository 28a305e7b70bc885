"""The service as the fuzzers and limit tests see it: authentication off (so hostile bodies reach
the code behind it), a throwaway SQLite audit store, and an HTTP client that cannot leave the
process (a hook's fhirServer is caller-supplied; a fuzzer must never make the service fetch it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bonemet.service import Settings, create_app
from bonemet.store import AuditStore
from tests.service.helpers import offline_client


def open_app(store: AuditStore, **settings: Any) -> FastAPI:
    return create_app(Settings(auth_disabled=True, **settings), store=store, http_client=offline_client)


@pytest.fixture
def store(sqlite_store: AuditStore) -> AuditStore:
    return sqlite_store


@pytest.fixture
def client(store: AuditStore) -> Iterator[TestClient]:
    with TestClient(open_app(store), raise_server_exceptions=False) as http:
        yield http


# PostgreSQL for the crash test: the audit-store suite's throwaway server (scripts/postgres-test.sh),
# a fresh database per test.
from tests.store.conftest import postgres_server, postgres_url  # noqa: E402, F401
