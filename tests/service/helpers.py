"""Test doubles that stand where the EHR stands: a FHIR server and a JWKS endpoint on loopback,
served by a real uvicorn in a thread, and hook requests built from example cases."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bonemet.examples import example_paths
from bonemet.fhir import case_resources
from bonemet.model import Case, parse_case
from bonemet.service.prefetch import prefetch_templates

PUBLIC_URL = "http://bonemet.test"
PATIENT_ID = "patient"
FHIR_TOKEN = "opaque-fhir-access-token"

# Which prefetch key holds which resource types (mirrors the discovery templates).
KEY_TYPES: dict[str, tuple[str, ...]] = {
    "patient": ("Patient",),
    "observations": ("Observation",),
    "conditions": ("Condition",),
    "medicationRequests": ("MedicationRequest",),
    "medicationStatements": ("MedicationStatement",),
    "procedures": ("Procedure",),
    "imagingStudies": ("ImagingStudy",),
    "diagnosticReports": ("DiagnosticReport",),
}


def offline_client() -> httpx.AsyncClient:
    """Outbound HTTP for the app under test: every request answered 404 in-process, so a hook's
    fhirServer or a JWK Set URL (caller-supplied) is never fetched from the network."""
    return httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(404)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The one loopback port the test FHIR server listens on: the service's allow list names it.
FHIR_PORT = free_port()
FHIR_BASE = f"http://127.0.0.1:{FHIR_PORT}/fhir"


@contextmanager
def running(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """Serve `app` with uvicorn on a loopback port (a free one unless given) for the duration of the block."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def example_case(name_part: str) -> Case:
    """A bundled example as a current record: dated today, as the service assesses it (values older than their
    recency window would be history)."""
    path = next(p for p in example_paths() if name_part in p.name)
    return parse_case(path.read_text()).model_copy(update={"as_of": dt.date.today()})


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A searchset Bundle, or None when empty (CDS Hooks: a query with no data is null)."""
    if not resources:
        return None
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def prefetch_for(case: Case, patient_id: str = PATIENT_ID) -> dict[str, Any]:
    # Observations are dated on the case's as_of; the service assesses on today's date, and values
    # older than their recency window are history. Date the record today, as an EHR's current record is.
    case = case.model_copy(update={"as_of": dt.date.today()})
    resources = case_resources(case, patient_id)
    prefetch: dict[str, Any] = {}
    for key, kinds in KEY_TYPES.items():
        chosen = [r for r in resources if r["resourceType"] in kinds]
        prefetch[key] = chosen[0] if key == "patient" else searchset(chosen)
    assert set(prefetch) == set(prefetch_templates())
    return prefetch


def hook_request(
    hook: str = "patient-view",
    *,
    prefetch: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    fhir_server: str | None = None,
    token: str | None = FHIR_TOKEN,
    instance: str = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": instance,
        "context": {"userId": "Practitioner/example", "patientId": PATIENT_ID, **(context or {})},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    if fhir_server is not None:
        body["fhirServer"] = fhir_server
        if token is not None:
            body["fhirAuthorization"] = {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "user/*.read",
                "subject": "bonemet",
            }
    return body


@dataclass
class FakeFhirServer:
    """A FHIR server holding one patient's resources; checks the bearer token; pages searchsets."""

    resources: list[dict[str, Any]]
    token: str = FHIR_TOKEN
    page_size: int = 3
    page_sizes: dict[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/fhir/{kind}/{rid}")
        async def read(kind: str, rid: str, request: Request) -> JSONResponse:
            if not self._authorized(request):
                return JSONResponse({"resourceType": "OperationOutcome"}, status_code=401)
            for resource in self.resources:
                if resource["resourceType"] == kind and resource.get("id") == rid:
                    return JSONResponse(resource)
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=404)

        @app.get("/fhir/{kind}")
        async def search(kind: str, request: Request) -> JSONResponse:
            if not self._authorized(request):
                return JSONResponse({"resourceType": "OperationOutcome"}, status_code=401)
            matching = [r for r in self.resources if r["resourceType"] == kind]
            page = int(request.query_params.get("_page", "0"))
            size = self.page_sizes.get(kind, self.page_size)
            chunk = matching[page * size : (page + 1) * size]
            bundle: dict[str, Any] = {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(matching),
                "entry": [{"resource": r} for r in chunk],
            }
            if (page + 1) * size < len(matching):
                query = dict(request.query_params) | {"_page": str(page + 1)}
                next_url = str(request.url.replace_query_params(**query))
                bundle["link"] = [{"relation": "next", "url": next_url}]
            return JSONResponse(bundle)

        return app

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("Authorization")
        self.requests.append(request.url.path)
        self.authorizations.append(header)
        return header == f"Bearer {self.token}"


def jwks_app(jwks: dict[str, Any]) -> FastAPI:
    app = FastAPI()

    @app.get("/jwks.json")
    async def keys() -> JSONResponse:
        return JSONResponse(json.loads(json.dumps(jwks)))

    return app
