"""Prefetch templates, and getting the data a hook call did not bring.

CDS Hooks 2.0: the client sends what it could prefetch; a key that is absent was not
satisfied, a key set to null means "no data". For every absent key the service fetches
the query from `fhirServer` with the `fhirAuthorization` bearer token. When it cannot
(no server, or the server fails) it answers 412 Precondition Failed.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from bonemet.fhir.codes import observation_codes, system
from bonemet.service.cds_models import HookRequest

_TOKEN = re.compile(r"\{\{\s*([A-Za-z.]+)\s*\}\}")
_USER_TOKENS = {
    "userPractitionerId": "Practitioner",
    "userPractitionerRoleId": "PractitionerRole",
    "userPatientId": "Patient",
    "userRelatedPersonId": "RelatedPerson",
}


def prefetch_templates() -> dict[str, str]:
    """What every bonemet service asks the EHR to prefetch (restricted to the spec's query subset)."""
    patient = "{{context.patientId}}"
    loinc = ",".join(f"{system('loinc')}|{c.loinc}" for c in observation_codes())
    return {
        "patient": f"Patient/{patient}",
        "observations": f"Observation?patient={patient}&code={loinc}",
        "conditions": f"Condition?patient={patient}",
        "medicationRequests": f"MedicationRequest?patient={patient}",
        "medicationStatements": f"MedicationStatement?patient={patient}",
        "procedures": f"Procedure?patient={patient}",
        "imagingStudies": f"ImagingStudy?patient={patient}",
        "diagnosticReports": f"DiagnosticReport?patient={patient}&category=RAD,LP29684-5",
    }


MEDICATION_KEYS = ("medicationRequests", "medicationStatements")


class PreconditionFailedError(Exception):
    """The data the service needs could not be obtained (HTTP 412)."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass
class Gathered:
    resources: list[Any] = field(default_factory=list)
    satisfied: set[str] = field(default_factory=set)
    fetched: list[str] = field(default_factory=list)
    truncated: set[str] = field(default_factory=set)

    @property
    def medications_complete(self) -> bool:
        """Only a whole medication list can say 'no bone-modifying agent'."""
        return all(key in self.satisfied and key not in self.truncated for key in MEDICATION_KEYS)

    @property
    def notes(self) -> list[str]:
        return [
            f"Only the first pages of the '{key}' query were read (page limit); older entries may be missing."
            for key in sorted(self.truncated)
        ]


def fill_tokens(template: str, context: Mapping[str, Any]) -> str:
    """Replace {{context.x}} and {{userPractitionerId}}-style tokens; an unknown token fails."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.startswith("context."):
            value = context.get(token.removeprefix("context."))
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
        elif token in _USER_TOKENS:
            kind, _, rid = str(context.get("userId", "")).partition("/")
            if kind == _USER_TOKENS[token] and rid:
                return rid
        raise PreconditionFailedError(f"prefetch token {{{{{token}}}}} cannot be filled from the context", [])

    return _TOKEN.sub(replace, template)


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


async def gather(
    request: HookRequest,
    templates: Mapping[str, str],
    client: Callable[[], httpx.AsyncClient],
    max_pages: int,
) -> Gathered:
    """The prefetched data, completed from the FHIR server where keys are absent."""
    prefetch = request.prefetch or {}
    gathered = Gathered()
    missing: list[str] = []
    for key, value in prefetch.items():
        if key in templates and _is_error(value):
            missing.append(key)
        elif value is not None:
            gathered.resources.append(value)
            gathered.satisfied.add(key)
        else:
            gathered.satisfied.add(key)  # null: the client has no data for this query
    missing += [key for key in templates if key not in prefetch]
    if not missing:
        return gathered
    if not request.fhir_server:
        raise PreconditionFailedError(
            "prefetch is incomplete and no fhirServer was given to fetch the rest", sorted(missing)
        )
    queries = {key: fill_tokens(templates[key], request.context) for key in missing}
    token = request.fhir_authorization.access_token if request.fhir_authorization else None
    results = await asyncio.gather(
        *(_fetch_all(client(), request.fhir_server, query, token, max_pages) for query in queries.values()),
        return_exceptions=True,
    )
    failed = [key for key, result in zip(queries, results, strict=True) if isinstance(result, BaseException)]
    if failed:
        reasons = {type(r).__name__ for r in results if isinstance(r, BaseException)}
        raise PreconditionFailedError(
            f"could not fetch from the FHIR server ({', '.join(sorted(reasons))})", sorted(failed)
        )
    for key, result in zip(queries, results, strict=True):
        assert not isinstance(result, BaseException)
        pages, complete = result
        gathered.resources.append(pages)
        gathered.satisfied.add(key)
        gathered.fetched.append(key)
        if not complete:
            gathered.truncated.add(key)
    return gathered


class FhirFetchError(Exception):
    pass


async def _fetch_all(
    client: httpx.AsyncClient, base: str, query: str, token: str | None, max_pages: int
) -> tuple[list[Any], bool]:
    """GET base/query and follow the searchset's next links (same server only) up to max_pages.

    Returns the pages and whether they are the whole result (False when the page limit cut it)."""
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = urljoin(base.rstrip("/") + "/", query)
    origin = urlsplit(url)[:2]
    found: list[Any] = []
    for _ in range(max_pages):
        response = await client.get(url, headers=headers)
        if response.status_code != 200:
            raise FhirFetchError(f"HTTP {response.status_code}")
        body = response.json()
        if not isinstance(body, dict) or _is_error(body):
            raise FhirFetchError("not a FHIR resource")
        found.append(body)
        next_url = _next_link(body)
        if next_url is None:
            return found, True
        if urlsplit(next_url)[:2] != origin:
            raise FhirFetchError("next link leaves the FHIR server")
        url = next_url
    return found, False


def _next_link(body: dict[str, Any]) -> str | None:
    if body.get("resourceType") != "Bundle":
        return None
    for link in body.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None
