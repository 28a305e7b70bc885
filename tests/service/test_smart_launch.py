"""SMART on FHIR EHR launch, end to end on loopback (issue 12.4): the EHR's launch URL, SMART
discovery, the authorization code with PKCE (S256), the token, the record read with that token,
and the assessment page; the CDS summary card offers the app as a 'smart' link."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from bonemet.fhir import case_resources
from bonemet.service import Settings, create_app
from bonemet.store import AuditStore
from tests.service.helpers import FHIR_TOKEN, PATIENT_ID, FakeFhirServer, example_case, free_port, running

CLIENT_ID = "bonemet-test-client"
LAUNCH = "launch-context-123"


class SmartEhr:
    """A SMART authorization server in front of a FHIR server holding one patient's record."""

    def __init__(self, fhir: FakeFhirServer) -> None:
        self.fhir = fhir
        self.codes: dict[str, dict[str, str]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []

    def app(self, base: str) -> FastAPI:
        app = FastAPI()

        @app.get("/fhir/.well-known/smart-configuration")
        async def configuration() -> JSONResponse:
            return JSONResponse(
                {
                    "authorization_endpoint": f"{base}/auth/authorize",
                    "token_endpoint": f"{base}/auth/token",
                    "code_challenge_methods_supported": ["S256"],
                    "capabilities": ["launch-ehr", "client-public", "context-ehr-patient"],
                }
            )

        @app.get("/auth/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            query = dict(request.query_params)
            self.authorize_requests.append(query)
            code = f"code-{len(self.codes)}"
            self.codes[code] = query
            back = urlencode({"code": code, "state": query["state"]})
            return RedirectResponse(f"{query['redirect_uri']}?{back}", status_code=302)

        @app.post("/auth/token")
        async def token(request: Request) -> JSONResponse:
            form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
            grant_type, code, redirect_uri = form.get("grant_type"), form.get("code", ""), form.get("redirect_uri")
            client_id, code_verifier = form.get("client_id", ""), form.get("code_verifier", "")
            self.token_requests.append({"code": code, "client_id": client_id})
            asked = self.codes.pop(code, None)
            digest = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
            valid = (
                asked is not None
                and grant_type == "authorization_code"
                and asked["code_challenge"] == digest
                and asked["redirect_uri"] == redirect_uri
                and asked["client_id"] == client_id
            )
            if not valid:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            return JSONResponse(
                {
                    "access_token": FHIR_TOKEN,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "scope": "launch patient/*.rs",
                    "patient": PATIENT_ID,
                }
            )

        app.router.routes.extend(self.fhir.app().router.routes)
        return app


@pytest.fixture
def launched(store: AuditStore) -> Any:
    case = example_case("03_hypercalcaemia")
    fhir = FakeFhirServer(case_resources(case, PATIENT_ID))
    ehr = SmartEhr(fhir)
    ehr_port, bonemet_port = free_port(), free_port()
    ehr_base, bonemet_base = f"http://127.0.0.1:{ehr_port}", f"http://127.0.0.1:{bonemet_port}"
    settings = Settings(
        public_url=bonemet_base,
        auth_disabled=True,
        fhir_servers=(f"{ehr_base}/fhir",),
        smart_client_id=CLIENT_ID,
    )
    with running(ehr.app(ehr_base), port=ehr_port), running(create_app(settings, store=store), port=bonemet_port):
        yield ehr, fhir, ehr_base, bonemet_base


def test_an_ehr_launch_opens_the_assessment_for_the_patient_in_context(launched: Any) -> None:
    ehr, fhir, ehr_base, bonemet_base = launched
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        page = browser.get(f"{bonemet_base}/launch", params={"iss": f"{ehr_base}/fhir", "launch": LAUNCH})
    assert page.status_code == 200, page.text[:500]
    assert urlsplit(str(page.url)).path.startswith("/assessments/")
    assert "hypercalc" in page.text.lower()
    (asked,) = ehr.authorize_requests
    assert asked["launch"] == LAUNCH and asked["client_id"] == CLIENT_ID and asked["aud"] == f"{ehr_base}/fhir"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert asked["response_type"] == "code" and "launch" in asked["scope"].split()
    assert set(fhir.authorizations) == {f"Bearer {FHIR_TOKEN}"}  # the record was read with the granted token
    assert f"/fhir/Patient/{PATIENT_ID}" in fhir.requests


def test_a_launch_from_a_server_off_the_allow_list_is_refused_before_any_request(launched: Any) -> None:
    ehr, _, _, bonemet_base = launched
    response = httpx.get(f"{bonemet_base}/launch", params={"iss": "http://127.0.0.1:9/fhir", "launch": LAUNCH})
    assert response.status_code == 403 and "allow list" in response.text
    assert ehr.authorize_requests == []


def test_a_replayed_or_unknown_state_is_refused(launched: Any) -> None:
    _, _, ehr_base, bonemet_base = launched
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        first = browser.get(f"{bonemet_base}/launch", params={"iss": f"{ehr_base}/fhir", "launch": LAUNCH})
        assert first.status_code == 302
        state = parse_qs(urlsplit(first.headers["location"]).query)["state"][0]
        forged = browser.get(f"{bonemet_base}/launch/callback", params={"code": "code-9", "state": "forged"})
    assert forged.status_code == 400 and "launch state" in forged.text
    assert state  # the real state is one-time and never leaves the redirect


def test_without_a_client_id_there_is_no_launch(store: AuditStore) -> None:
    with running(create_app(Settings(auth_disabled=True), store=store)) as base:
        response = httpx.get(f"{base}/launch", params={"iss": "http://x/fhir", "launch": "l"})
    assert response.status_code == 404 and "BONEMET_SMART_CLIENT_ID" in response.text


def test_the_summary_card_offers_the_smart_app_beside_the_capability_link(store: AuditStore) -> None:
    from fastapi.testclient import TestClient

    from tests.service.helpers import hook_request, prefetch_for

    settings = Settings(public_url="http://bonemet.test", auth_disabled=True, smart_client_id=CLIENT_ID)
    with TestClient(create_app(settings, store=store)) as client:
        body = hook_request(prefetch=prefetch_for(example_case("01_impending")))
        cards = client.post("/cds-services/bonemet-patient-view", json=body).json()["cards"]
    links = [link for card in cards for link in card.get("links", [])]
    assert {"label": "Open bonemet (SMART app)", "url": "http://bonemet.test/launch", "type": "smart"} in links
    assert any(link["type"] == "absolute" for link in links)
