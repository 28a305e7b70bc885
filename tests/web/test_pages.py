"""The routes without a browser: status codes, security headers, escaping, limits."""

from __future__ import annotations

import warnings

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/assessment?example=01_impending_femoral_fracture",
        "/handout?example=01_impending_femoral_fracture",
        "/reference",
        "/reference/denosumab",
    ],
)
def test_pages_are_sent_with_a_strict_content_security_policy(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "<script>" not in response.text and " style=" not in response.text  # no inline script or style
    assert 'src="/static/web.js' in response.text


def test_static_files_are_served_by_the_app(client: TestClient) -> None:
    for name in ("web.css", "print.css", "web.js"):
        assert client.get(f"/static/{name}").status_code == 200


def test_typed_text_is_escaped_on_the_assessment_page(client: TestClient) -> None:
    response = client.post("/assessment", data={"id": "<script>alert(1)</script>", "cancer.histology": '"><img src=x>'})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<img src=x>" not in response.text


def test_contradictory_input_is_shown_for_checking_on_the_assessment_page(client: TestClient) -> None:
    response = client.post("/assessment", data={"patient.ecog": "0", "patient.kps": "30"})
    assert response.status_code == 200
    assert "Check the input: parts of the case disagree" in response.text
    assert "KPS 30 corresponds to ECOG 4" in response.text


def test_invalid_input_returns_the_form_with_422(client: TestClient) -> None:
    response = client.post("/assessment", data={"patient.age_years": "-3"})
    assert response.status_code == 422
    assert "Age: must be at least 0 years" in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_empty_report_is_refused_on_the_report_form(client: TestClient) -> None:
    response = client.post("/assessment", data={"source": "report", "imaging[0].modality": "mri"})
    assert response.status_code == 422
    assert "paste the report" in response.text


def test_a_fhir_upload_that_is_not_a_bundle_is_refused(client: TestClient) -> None:
    response = client.post("/assessment/fhir", files={"bundle": ("b.json", b"42", "application/json")})
    assert response.status_code == 422
    assert client.post("/assessment/fhir", files={"bundle": ("b.json", b"", "application/json")}).status_code == 422


def test_an_oversized_form_is_refused(client: TestClient) -> None:
    response = client.post(
        "/assessment",
        content=b"a=" + b"x" * (6 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_unknown_pages_and_examples(client: TestClient) -> None:
    assert client.get("/reference/not-a-drug").status_code == 404
    traversal = client.get("/assessment?example=../../etc/passwd", follow_redirects=False)
    assert traversal.status_code == 404 and "root:" not in traversal.text  # said so (issue 14), never read
    assert client.get("/handout").status_code == 404


def test_the_preview_api_scores_a_half_filled_form(client: TestClient) -> None:
    response = client.post(
        "/web/api/scores",
        data={
            "patient.age_years": "999",
            "lesions[0].bone": "spine",
            "lesions[0].level": "T11",
            "lesions[0].spinal_pain": "mechanical",
        },
    )
    body = response.json()
    sins = next(v for v in body["lesions"]["0"] if v["name"] == "sins")
    # Not scored, but its range is shown: 3 + 3 known, the unknown items add 0 to 12 (Fisher 2010).
    assert sins["total"].startswith("not scored") and "range 6-18" in sins["total"]
    items = {i["label"]: i["points"] for i in sins["items"]}
    # Fisher 2010: junctional location (T11) 3 points; mechanical pain 3 points.
    assert items["Location"] == "3" and items["Pain"] == "3"
    assert [e["name"] for e in body["left_out"]] == ["patient.age_years"]


def test_the_pdf_is_a_download(client: TestClient) -> None:
    response = client.get("/handout.pdf?example=01_impending_femoral_fracture")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF-1.4")


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "patient.age_years",
                "lesions[0].bone",
                "labs.calcium_mg_dl",
                "labs.calcium_mg_dl__unit",
                "cancer.primary",
                "action",
                "lesions[9].level",
            ]
        ),
        st.text(max_size=20),
        max_size=6,
    )
)
def test_no_form_input_gives_a_server_error(client: TestClient, data: dict[str, str]) -> None:
    for url in ("/assessment", "/", "/web/api/scores"):
        assert client.post(url, data=data).status_code in (200, 422)
