"""Fixtures: a simulated EHR that signs JWTs, the service on a throwaway SQLite audit store,
and an HTTP client that talks to it as an EHR would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bonemet.service import IssuerTrust, Settings, create_app
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from tests.service.helpers import FHIR_BASE, PUBLIC_URL


@pytest.fixture(scope="session")
def ehr() -> SimulatedEhr:
    return SimulatedEhr(issuer="https://ehr.example.org", kid="ehr-key-1", algorithm="ES384")


@pytest.fixture
def store(sqlite_store: AuditStore) -> AuditStore:
    return sqlite_store


@pytest.fixture
def settings(ehr: SimulatedEhr) -> Settings:
    return Settings(
        public_url=PUBLIC_URL, trusted_issuers={ehr.issuer: IssuerTrust(jwks=ehr.jwks(), fhir_servers=(FHIR_BASE,))}
    )


@pytest.fixture
def client(settings: Settings, store: AuditStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=store), base_url=PUBLIC_URL) as http:
        yield http


def service_url(service_id: str) -> str:
    return f"{PUBLIC_URL}/cds-services/{service_id}"


@pytest.fixture
def auth(ehr: SimulatedEhr):  # type: ignore[no-untyped-def]
    """auth(service_id) -> headers with a fresh, valid JWT for that endpoint."""

    def headers(service_id: str | None = None) -> dict[str, str]:
        audience = service_url(service_id) if service_id else f"{PUBLIC_URL}/cds-services"
        return ehr.authorization(audience)

    return headers
