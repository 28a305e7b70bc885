"""Browsers get HTML 404 and 410 pages with a way back; API clients keep their JSON (issue 14)."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from bonemet.model import parse_case
from bonemet.pathway import assess
from bonemet.store import AuditStore, Source
from tests.service.test_api import EXAMPLE

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_an_unknown_address_is_an_html_page_for_a_browser_and_json_for_a_client(client: TestClient) -> None:
    page = client.get("/no-such-page", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and 'href="/"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    api = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_the_api_stays_json_even_for_a_browser(client: TestClient) -> None:
    answer = client.get("/api/assessments/00000000-0000-0000-0000-000000000000", headers=BROWSER)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("application/json")


def test_an_unknown_assessment_link_from_a_card_is_a_page(client: TestClient) -> None:
    page = client.get("/assessments/00000000-0000-0000-0000-000000000000", headers=BROWSER)
    assert page.status_code == 404
    assert "no such assessment" in page.text and "Go to case entry" in page.text


def test_an_expired_assessment_link_is_a_410_page_that_says_why(client: TestClient, store: AuditStore) -> None:
    case = parse_case(json.dumps(EXAMPLE))
    old = store.record_assessment(
        source=Source.api, case=case, assessment=assess(case), now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    )
    page = client.get(f"/assessments/{old}", headers=BROWSER)
    assert page.status_code == 410
    assert page.headers["content-type"].startswith("text/html")
    assert "This link has expired" in page.text and "24 hours" in page.text
    assert client.head(f"/assessments/{old}", headers=BROWSER).status_code in (405, 410)
