"""Prefetch templates, and getting the data a hook call did not bring.

CDS Hooks 2.0: the client sends what it could prefetch; a key that is absent was not
satisfied, a key set to null means "no data". For every absent key the service fetches
the query from `fhirServer` with the `fhirAuthorization` bearer token, but only from a FHIR
server on the caller's allow list (`fhir_servers`), never elsewhere (the bearer token must not
leave for another origin). Every value placed in a URL is percent-encoded, and all the fetches of
one call share one overall deadline: what came back in time is used, and what did not is named.
A call is answered 412 Precondition Failed only when nothing usable could be obtained; otherwise
the cards say which queries are missing (a CDS client leaves out the keys its own query failed on).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

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
    missing: dict[str, str] = field(default_factory=dict)  # key -> why it could not be obtained

    @property
    def medications_complete(self) -> bool:
        """Only a whole medication list can say 'no bone-modifying agent'."""
        return all(key in self.satisfied and key not in self.truncated for key in MEDICATION_KEYS)

    @property
    def notes(self) -> list[str]:
        cut = [
            f"Only the first pages of the '{key}' query were read (page limit); older entries may be missing."
            for key in sorted(self.truncated)
        ]
        absent = [
            f"The '{key}' data could not be obtained ({why}): these cards were made without it."
            for key, why in sorted(self.missing.items())
        ]
        return absent + cut


def fill_tokens(template: str, context: Mapping[str, Any]) -> str:
    """Replace {{context.x}} and {{userPractitionerId}}-style tokens; an unknown token fails."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.startswith("context."):
            value = context.get(token.removeprefix("context."))
            if isinstance(value, str | int) and not isinstance(value, bool):
                # Percent-encoded: '../' or '&' in an id must not reach another path or parameter.
                return quote(str(value), safe="")
        elif token in _USER_TOKENS:
            kind, _, rid = str(context.get("userId", "")).partition("/")
            if kind == _USER_TOKENS[token] and rid:
                return quote(rid, safe="")
        raise PreconditionFailedError(f"prefetch token {{{{{token}}}}} cannot be filled from the context", [])

    return _TOKEN.sub(replace, template)


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def normalise_base(url: str) -> str:
    """A FHIR base URL compared by scheme, host, port and path (no trailing slash, lower-case host)."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def server_allowed(fhir_server: str, allowed: Sequence[str]) -> bool:
    """Exactly one of the allowed base URLs (no userinfo, query or fragment)."""
    parts = urlsplit(fhir_server.strip())
    if parts.scheme not in ("http", "https") or parts.username or parts.password or parts.query or parts.fragment:
        return False
    return normalise_base(fhir_server) in {normalise_base(a) for a in allowed}


@dataclass(frozen=True)
class FetchLimits:
    """How far one hook call may go to fetch what the client did not prefetch."""

    max_pages: int
    deadline_seconds: float
    max_response_bytes: int


async def gather(
    request: HookRequest,
    templates: Mapping[str, str],
    client: Callable[[str], httpx.AsyncClient],
    limits: FetchLimits,
    allowed_servers: Sequence[str] = (),
) -> Gathered:
    """The prefetched data, completed from the FHIR server where keys are absent.

    `client(origin)` gives the HTTP client for one FHIR server (each server has its own bounded
    pool, so one slow server cannot take the connections another needs). Raises 412 only when
    nothing usable was obtained."""
    prefetch = request.prefetch or {}
    gathered = Gathered()
    missing: list[str] = []
    for key, value in prefetch.items():
        if key in templates and _is_error(value):
            missing.append(key)
            gathered.missing[key] = "the client's query failed"
        elif value is not None:
            gathered.resources.append(value)
            gathered.satisfied.add(key)
        else:
            gathered.satisfied.add(key)  # null: the client has no data for this query
    missing += [key for key in templates if key not in prefetch]
    if not missing:
        return gathered
    if not request.fhir_server:
        return _what_is_left(
            gathered, templates, missing, "prefetch is incomplete and no fhirServer was given to fetch the rest"
        )
    if not server_allowed(request.fhir_server, allowed_servers):
        return _what_is_left(
            gathered,
            templates,
            missing,
            "fhirServer is not on this client's allow list of FHIR servers (fhir_servers in "
            "BONEMET_TRUSTED_ISSUERS, or BONEMET_FHIR_SERVERS); nothing was fetched",
        )
    queries = {key: fill_tokens(templates[key], request.context) for key in missing}
    token = request.fhir_authorization.access_token if request.fhir_authorization else None
    base = request.fhir_server
    http = client(normalise_base(base))
    tasks = {key: asyncio.ensure_future(_fetch_all(http, base, query, token, limits)) for key, query in queries.items()}
    done, pending = await asyncio.wait(tasks.values(), timeout=limits.deadline_seconds)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    reasons: set[str] = set()
    for key, task in tasks.items():
        if task not in done:
            gathered.missing[key] = f"no answer within {limits.deadline_seconds:g} s"
            reasons.add("deadline")
            continue
        error = task.exception()
        if error is not None:
            gathered.missing[key] = f"FHIR server: {type(error).__name__}"
            reasons.add(type(error).__name__)
            continue
        pages, complete = task.result()
        gathered.resources.append(pages)
        gathered.satisfied.add(key)
        gathered.fetched.append(key)
        if not complete:
            gathered.truncated.add(key)
    if not gathered.satisfied & set(templates):
        raise PreconditionFailedError(
            f"could not fetch from the FHIR server ({', '.join(sorted(reasons))})", sorted(gathered.missing)
        )
    return gathered


def _what_is_left(gathered: Gathered, templates: Mapping[str, str], missing: list[str], why: str) -> Gathered:
    """Answer from what the client sent, naming what is missing; 412 when none of our keys came."""
    for key in missing:
        gathered.missing.setdefault(key, why)
    if not gathered.satisfied & set(templates):
        raise PreconditionFailedError(why, sorted(missing))
    return gathered


class FhirFetchError(Exception):
    pass


async def _fetch_all(
    client: httpx.AsyncClient, base: str, query: str, token: str | None, limits: FetchLimits
) -> tuple[list[Any], bool]:
    """GET base/query and follow the searchset's next links (same server, under its base) up to
    max_pages, each answer at most max_response_bytes.

    Returns the pages and whether they are the whole result (False when the page limit cut it)."""
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    root = base.rstrip("/") + "/"
    url = urljoin(root, query)
    if not _under(url, root):
        raise FhirFetchError("query leaves the FHIR server's base URL")
    found: list[Any] = []
    for _ in range(limits.max_pages):
        body = await _get_json(client, url, headers, limits.max_response_bytes)
        if not isinstance(body, dict) or _is_error(body):
            raise FhirFetchError("not a FHIR resource")
        found.append(body)
        next_url = _next_link(body)
        if next_url is None:
            return found, True
        if not _under(next_url, root):
            raise FhirFetchError("next link leaves the FHIR server")
        url = next_url
    return found, False


def _under(url: str, root: str) -> bool:
    target, base = urlsplit(url), urlsplit(root)
    return target[:2] == base[:2] and target.path.startswith(base.path) and "/../" not in f"{target.path}/"


async def _get_json(client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int) -> Any:
    async with client.stream("GET", url, headers=headers) as response:
        if response.status_code != 200:
            raise FhirFetchError(f"HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FhirFetchError("answer larger than BONEMET_FHIR_MAX_RESPONSE_BYTES")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FhirFetchError("answer larger than BONEMET_FHIR_MAX_RESPONSE_BYTES")
            chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, RecursionError):
        raise FhirFetchError("not JSON") from None


def _next_link(body: dict[str, Any]) -> str | None:
    if body.get("resourceType") != "Bundle":
        return None
    for link in body.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None
