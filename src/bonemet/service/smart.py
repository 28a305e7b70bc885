"""SMART on FHIR app launch (EHR launch): the EHR opens bonemet for the patient in context.

The flow (SMART App Launch 2.x): the EHR calls `GET /launch?iss=<FHIR base>&launch=<token>`;
bonemet reads `<iss>/.well-known/smart-configuration`, sends the browser to the authorization
endpoint with a PKCE challenge (S256) and a one-time `state`; the authorization server sends the
browser back to `GET /launch/callback?code=..&state=..`; bonemet exchanges the code (with the
PKCE verifier) for an access token and the patient id, reads the patient's record from `iss`
with that token (the same queries as the CDS Hooks prefetch), assesses it, records it, and
redirects to the assessment page. `iss` must be on the FHIR server allow list (no SSRF through a
launch), the token is used only against `iss`, and nothing of the token is logged or stored.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bonemet.service.cds_models import FhirAuthorization, HookRequest
from bonemet.service.prefetch import normalise_base, server_allowed
from bonemet.service.settings import Settings

# A launch the user does not complete is forgotten after this long (the authorization code flow
# takes seconds; the state must not be replayable later).
PENDING_SECONDS = 600
_MAX_PENDING = 10_000


class SmartLaunchError(Exception):
    """A launch that cannot go on: shown to the user as a page naming what is wrong (4xx)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class _Pending:
    iss: str
    verifier: str
    token_endpoint: str
    created: float


@dataclass
class SmartLaunches:
    """Pending launches by `state`, each used once and for `PENDING_SECONDS` at most."""

    clock: Callable[[], float] = time.monotonic
    _pending: dict[str, _Pending] = field(default_factory=dict)

    def add(self, iss: str, verifier: str, token_endpoint: str) -> str:
        self._forget_old()
        if len(self._pending) >= _MAX_PENDING:
            raise SmartLaunchError(503, "Too many launches in progress; try again in a few minutes.")
        state = secrets.token_urlsafe(32)
        self._pending[state] = _Pending(iss, verifier, token_endpoint, self.clock())
        return state

    def take(self, state: str) -> _Pending | None:
        self._forget_old()
        return self._pending.pop(state, None)

    def _forget_old(self) -> None:
        now = self.clock()
        for key in [k for k, p in self._pending.items() if now - p.created > PENDING_SECONDS]:
            del self._pending[key]


def smart_servers(settings: Settings) -> tuple[str, ...]:
    """FHIR servers a launch may name: BONEMET_FHIR_SERVERS and every trusted issuer's fhir_servers."""
    servers = list(settings.fhir_servers)
    for trust in settings.trusted_issuers.values():
        servers += list(trust.fhir_servers)
    return tuple(dict.fromkeys(servers))


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _absolute(url: Any, what: str) -> str:
    text = str(url or "")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SmartLaunchError(502, f"The SMART configuration's {what} is not an absolute http(s) URL.")
    return text


async def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise SmartLaunchError(502, f"{what} answered HTTP {response.status_code}.")
    try:
        body = response.json()
    except ValueError:
        raise SmartLaunchError(502, f"{what} did not answer JSON.") from None
    if not isinstance(body, dict):
        raise SmartLaunchError(502, f"{what} did not answer a JSON object.")
    return body


Assessor = Callable[[HookRequest], Awaitable[str]]


def smart_routes(
    app: FastAPI,
    settings: Settings,
    client: Callable[[str], httpx.AsyncClient],
    base_url: Callable[[Request], str],
    assess_launch: Assessor,
) -> SmartLaunches:
    """`/launch` and `/launch/callback`. `assess_launch` reads, assesses and records the patient and
    returns the assessment page's path."""
    launches = SmartLaunches()

    def redirect_uri(request: Request) -> str:
        return f"{base_url(request)}/launch/callback"

    @app.get("/launch", tags=["SMART"], response_model=None)
    async def launch(request: Request, iss: str | None = None, launch: str | None = None) -> RedirectResponse:
        """EHR launch: discover the authorization server and send the browser there (PKCE, S256)."""
        if not settings.smart_client_id:
            raise SmartLaunchError(404, "SMART launch is not configured here (BONEMET_SMART_CLIENT_ID).")
        if not iss or not launch:
            raise SmartLaunchError(400, "A SMART EHR launch needs both 'iss' and 'launch' in the query.")
        if not server_allowed(iss, smart_servers(settings)):
            raise SmartLaunchError(
                403,
                "This FHIR server (iss) is not on the allow list (BONEMET_FHIR_SERVERS, or fhir_servers in "
                "BONEMET_TRUSTED_ISSUERS).",
            )
        base = normalise_base(iss)
        http = client(urlsplit(base).netloc)
        try:
            response = await http.get(f"{base}/.well-known/smart-configuration", headers={"Accept": "application/json"})
        except httpx.HTTPError:
            raise SmartLaunchError(502, "The FHIR server's SMART configuration could not be read.") from None
        config = await _json(response, "The SMART configuration")
        authorize = _absolute(config.get("authorization_endpoint"), "authorization_endpoint")
        token = _absolute(config.get("token_endpoint"), "token_endpoint")
        verifier, challenge = pkce_pair()
        state = launches.add(base, verifier, token)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": settings.smart_client_id,
                "redirect_uri": redirect_uri(request),
                "launch": launch,
                "scope": settings.smart_scope,
                "state": state,
                "aud": base,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        separator = "&" if "?" in authorize else "?"
        return RedirectResponse(f"{authorize}{separator}{query}", status_code=302)

    @app.get("/launch/callback", tags=["SMART"], response_model=None)
    async def callback(
        request: Request, code: str | None = None, state: str | None = None, error: str | None = None
    ) -> RedirectResponse:
        """Exchange the code for a token, read and assess the patient in context, open the assessment page."""
        if error:
            raise SmartLaunchError(400, f"The authorization server refused the launch ({error[:100]}).")
        pending = launches.take(state or "")
        if pending is None or not code:
            raise SmartLaunchError(400, "Unknown, used or expired launch state; launch bonemet again from the EHR.")
        http = client(urlsplit(pending.token_endpoint).netloc)
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri(request),
            "client_id": settings.smart_client_id or "",
            "code_verifier": pending.verifier,
        }
        try:
            response = await http.post(pending.token_endpoint, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError:
            raise SmartLaunchError(502, "The token endpoint could not be reached.") from None
        token = await _json(response, "The token endpoint")
        access_token, patient = token.get("access_token"), token.get("patient")
        if not isinstance(access_token, str) or not access_token:
            raise SmartLaunchError(502, "The token response has no access_token.")
        if not isinstance(patient, str) or not patient:
            raise SmartLaunchError(400, "The launch has no patient in context (the token response names none).")
        hook = HookRequest(
            hook="patient-view",
            hook_instance=str(uuid.uuid4()),
            fhir_server=pending.iss,
            fhir_authorization=FhirAuthorization(
                access_token=access_token,
                token_type=str(token.get("token_type", "Bearer")),
                expires_in=int(token.get("expires_in", 300)),
                scope=str(token.get("scope", "")),
                subject=settings.smart_client_id or "bonemet",
                patient=patient,
            ),
            context={"userId": "SMART launch", "patientId": patient},
        )
        page = await assess_launch(hook)
        return RedirectResponse(f"{base_url(request)}{page}", status_code=303)

    @app.exception_handler(SmartLaunchError)
    async def _launch_error(_: Request, problem: SmartLaunchError) -> HTMLResponse:
        from html import escape

        body = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>bonemet: launch</title></head>"
            f"<body><h1>bonemet could not open</h1><p>{escape(problem.message)}</p></body></html>"
        )
        return HTMLResponse(body, status_code=problem.status)

    return launches
