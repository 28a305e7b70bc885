"""schemathesis against the service's own OpenAPI document: every route (the JSON API, the CDS
Hooks endpoints, the pages), with generated and schema-breaking inputs. Zero server errors; every
refusal says what was wrong; every answer carries the security headers and no stack trace.

Fast form: BONEMET_FUZZ_EXAMPLES (default 25) examples per operation; `make stress` runs more.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from bonemet.service import SERVICES
from bonemet.service.prefetch import prefetch_templates
from bonemet.store import AuditStore
from tests.reliability.conftest import open_app

EXAMPLES = int(os.environ.get("BONEMET_FUZZ_EXAMPLES", "25"))


# schemathesis parametrizes at collection time, so the app exists at import (its store in a temp dir).
_STORE_DIR = Path(tempfile.mkdtemp(prefix="bonemet-fuzz-"))
atexit.register(shutil.rmtree, _STORE_DIR, ignore_errors=True)
_STORE = AuditStore(f"sqlite:///{_STORE_DIR / 'audit.sqlite3'}")
atexit.register(_STORE.close)
schema = schemathesis.openapi.from_asgi("/openapi.json", open_app(_STORE))


def header(response: Any, name: str) -> str:
    """One header's value (schemathesis keeps each header as a list of values)."""
    value = response.headers.get(name, "")
    return ", ".join(value) if isinstance(value, list) else str(value)


def assert_answer_is_safe(response: Any) -> None:
    text = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, f"{response.status_code}: {text[:500]}"
    assert "Traceback" not in text and 'File "' not in text
    assert header(response, "x-content-type-options") == "nosniff"
    policy = header(response, "content-security-policy")
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    if response.status_code >= 400 and header(response, "content-type").startswith("application/json"):
        body = response.json()
        # The JSON API says {"detail": ..., "problems": [...]}; the pages' preview API {"error": ...}.
        assert isinstance(body, dict) and (body.get("detail") or body.get("error")), body
        if response.status_code == 422:
            problems = body.get("problems")
            assert isinstance(problems, list) and problems, body
            assert all(isinstance(p, str) and ": " in p for p in problems), problems


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case: Any) -> None:
    assert_answer_is_safe(case.call())


# The hook endpoints' path parameter is free text in the OpenAPI document, so the generated
# calls above mostly meet 404. These send generated hook bodies to each real service.
hook_call = schema["/cds-services/{service_id}"]["POST"]
REQUIRED_CONTEXT: dict[str, Any] = {
    "userId": "Practitioner/fuzz",
    "patientId": "fuzz",
    "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": []},
    "selections": ["MedicationRequest/fuzz"],
}


@pytest.mark.parametrize("service_id", sorted(SERVICES))
def test_no_hook_body_makes_a_server_error(service_id: str) -> None:
    @given(case=hook_call.as_strategy())
    @settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        case.path_parameters = {"service_id": service_id}
        if isinstance(case.body, dict):
            # Past the hook-name and context checks, into the reading of the generated prefetch.
            case.body["hook"] = SERVICES[service_id].hook
            context = case.body.get("context")
            generated = context if isinstance(context, dict) else {}
            case.body["context"] = {**REQUIRED_CONTEXT, **generated}
            prefetch = case.body.get("prefetch")
            # Every prefetch key present (null: no data), so the generated values reach the FHIR reader.
            case.body["prefetch"] = {key: None for key in prefetch_templates()} | (
                prefetch if isinstance(prefetch, dict) else {}
            )
        response = case.call()
        assert_answer_is_safe(response)
        seen.add(response.status_code)

    seen: set[int] = set()
    call()
    assert 200 in seen, f"the fuzzer never got past validation: {seen}"
