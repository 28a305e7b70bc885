"""The service with authentication on (a simulated EHR signs the tokens), on a throwaway SQLite
audit store, and never able to reach the network (a fetched JWK Set or FHIR page is answered 404
in-process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bonemet.service import IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from tests.service.helpers import FHIR_BASE, PUBLIC_URL, offline_client


@pytest.fixture(scope="session")
def ehr() -> SimulatedEhr:
    return SimulatedEhr(issuer="https://ehr.example.org", kid="ehr-key-1", algorithm="ES384")


@pytest.fixture(scope="session")
def other_ehr() -> SimulatedEhr:
    """A second trusted EHR, with its own key."""
    return SimulatedEhr(issuer="https://other-ehr.example.org", kid="other-key-1", algorithm="ES384")


@pytest.fixture
def store(sqlite_store: AuditStore) -> AuditStore:
    return sqlite_store


@pytest.fixture
def settings(ehr: SimulatedEhr, other_ehr: SimulatedEhr) -> Settings:
    trusted = {
        ehr.issuer: IssuerTrust(jwks=ehr.jwks(), fhir_servers=(FHIR_BASE,)),
        other_ehr.issuer: IssuerTrust(jwks=other_ehr.jwks()),
    }
    return Settings(public_url=PUBLIC_URL, trusted_issuers=trusted)


@pytest.fixture
def client(settings: Settings, store: AuditStore) -> Iterator[TestClient]:
    app = create_app(settings, store=store, http_client=offline_client)
    with TestClient(app, base_url=PUBLIC_URL, raise_server_exceptions=False) as http:
        yield http
