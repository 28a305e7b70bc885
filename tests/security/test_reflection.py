"""Script payloads in every field of every page's form (and in query strings, paths, FHIR uploads
and stored assessments) never come back unescaped: no page carries a live <script>, event
handler or javascript: link the user did not get from the server itself."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonemet.service import Settings, create_app
from bonemet.store import AuditStore
from bonemet.web.fields import all_specs
from bonemet.web.forms import case_to_values
from tests.service.helpers import example_case

PAYLOADS = [
    '<script>alert("x1")</script>',
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</textarea><script>alert(4)</script>",
    "javascript:alert(5)",
    '" autofocus onfocus="alert(6)',
]
# What a payload would look like had it escaped into markup: an unescaped '<' opening a tag, a
# quote closing an attribute, a link to javascript:. Escaped text ('&lt;img src=x ...') is harmless.
LIVE = re.compile(r"<script>alert|<img src=x|<svg onload|href=[\"']?javascript:|onfocus=\"alert", re.IGNORECASE)


@pytest.fixture
def pages(store: AuditStore) -> Iterator[TestClient]:
    app = create_app(Settings(auth_disabled=True), store=store)
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http


def assert_not_reflected(response: Any, where: str) -> None:
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("text/html"):
        found = LIVE.search(response.text)
        assert found is None, f"{where}: live markup {found.group(0)!r} in the page"
    else:  # JSON or a PDF: never sniffed as HTML
        assert not content_type.startswith(("text/", "image/svg")), (where, content_type)
        assert response.headers["x-content-type-options"] == "nosniff", where


def every_field(payload: str) -> dict[str, str]:
    """Every control on the case form, its unit selector, and the buttons, set to the payload."""
    values = {}
    for spec in all_specs():
        name = spec.at(0)
        values[name] = payload
        values[f"{name}__unit"] = payload
    return values | {"action": payload, "source": payload, "bundle_text": payload}


def valid_case_with(payload: str) -> dict[str, str]:
    """A case the form accepts, with the payload in every free-text field: it reaches the
    assessment page and the handout, where the text is shown back."""
    values = dict(case_to_values(example_case("01_impending")))
    for spec in all_specs():
        if spec.path == "treatment.prior_radiotherapy":
            values[spec.at(0)] = f"site: {payload}"  # structured lines: the payload goes in the free-text site
        elif spec.kind in ("text", "textarea", "lines"):
            values[spec.at(0)] = payload
    values["imaging[0].modality"] = values.get("imaging[0].modality") or "ct"
    return values


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("path", ["/", "/assessment", "/handout", "/web/api/scores"])
def test_payloads_in_every_form_field_are_escaped(pages: TestClient, path: str, payload: str) -> None:
    for label, form in (("every field", every_field(payload)), ("free text of a valid case", valid_case_with(payload))):
        response = pages.post(path, data=form)
        assert response.status_code < 500, (path, label, response.status_code)
        assert_not_reflected(response, f"POST {path} with the payload in {label}")


def test_a_valid_case_with_payloads_is_really_assessed(pages: TestClient) -> None:
    """The control for the test above: the free-text payloads reach a rendered assessment."""
    response = pages.post("/assessment", data=valid_case_with(PAYLOADS[0]))
    assert response.status_code == 200
    assert "&lt;script&gt;alert" in response.text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_query_strings_and_paths_are_escaped(pages: TestClient, payload: str) -> None:
    for url in (
        "/",
        "/assessment",
        "/handout",
        "/reference",
        "/reference/{p}",
        "/{p}",
        "/cds-services/{p}",
        "/api/assessments/{p}",
        "/assessments/{p}",
    ):
        target = url.format(p=payload)
        response = pages.get(target, params={"example": payload, "q": payload}, follow_redirects=False)
        assert response.status_code < 500, target
        assert_not_reflected(response, f"GET {target}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_an_uploaded_fhir_bundle_are_escaped(pages: TestClient, payload: str) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": payload, "name": [{"text": payload}], "gender": "male"}},
            {
                "resource": {
                    "resourceType": "Condition",
                    "id": "c1",
                    "code": {"text": payload, "coding": [{"system": payload, "code": payload, "display": payload}]},
                }
            },
            {
                "resource": {
                    "resourceType": "DiagnosticReport",
                    "id": "r1",
                    "status": "final",
                    "code": {"text": f"CT chest {payload}"},
                    "conclusion": f"Lytic lesion in the left femur. {payload}",
                }
            },
        ],
    }
    upload = {"bundle": ("bundle.json", json.dumps(bundle).encode(), "application/json")}
    response = pages.post("/assessment/fhir", files=upload)
    assert response.status_code == 200
    assert_not_reflected(response, "FHIR upload")
    broken = pages.post("/assessment/fhir", data={"bundle_text": payload})
    assert broken.status_code == 422
    assert_not_reflected(broken, "FHIR text that is not JSON")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_stored_through_the_api_are_escaped_on_the_assessment_page(pages: TestClient, payload: str) -> None:
    case = example_case("01_impending").model_dump(mode="json", exclude_none=True)
    case["id"] = payload
    case["cancer"]["histology"] = payload
    case["imaging"][0]["region"] = payload
    answer = pages.post("/api/assess", json=case)
    assert answer.status_code == 200
    page = pages.get(f"/assessments/{answer.headers['X-Bonemet-Record']}")
    assert page.status_code == 200
    assert_not_reflected(page, "stored assessment page")
