"""Accessibility: axe-core (vendored, MPL-2.0) run in chromium on every page kind.

No violation of any impact is allowed (WCAG 2.1 A and AA rules plus axe best
practices); the full axe result of each page is saved under test-artifacts/ for review.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.web.conftest import ARTIFACTS

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
BLOCKING = {"minor", "moderate", "serious", "critical"}  # issue 14: no violation of any impact

PAGES = {
    "case-entry": "/",
    "case-entry-example": "/?example=10_unstable_lumbar_spine",
    "assessment": "/assessment?example=01_impending_femoral_fracture",
    "assessment-emergency": "/assessment?example=02_cord_compression",
    "assessment-unknown-primary": "/assessment?example=04_unknown_primary_multiple_lytic",
    "handout": "/handout?example=02_cord_compression",
    "reference": "/reference",
    "reference-search": "/reference?q=renal",
    "reference-drug": "/reference/zoledronic-acid",
    "assessment-many-lesions": "/assessment?example=20_bone_scan_hot_spots_need_site_imaging",
    "assessment-hypocalcaemia": "/assessment?example=21_hypocalcaemia_holds_denosumab",
    "assessment-nothing-to-do": "/assessment?example=14_low_suspicion_explained_pain",
    "handout-limb": "/handout?example=01_impending_femoral_fracture",
}


def run_axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations']
        })"""
    )
    return result


def blocking(result: dict[str, Any]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v.get("impact") in BLOCKING
    ]


def test_vendored_axe_is_the_pinned_release() -> None:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_serious_accessibility_violations(page_for_audit: Page, name: str) -> None:
    page_for_audit.goto(PAGES[name])
    result = run_axe(page_for_audit)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=1), encoding="utf-8")
    assert blocking(result) == []


def test_form_with_errors_has_no_serious_accessibility_violations(page_for_audit: Page) -> None:
    page = page_for_audit
    page.goto("/")
    page.fill("#f-patient-age_years", "130")
    page.select_option("#f-lesions-0-bone", "femur")
    page.select_option("#f-lesions-0-pain", "mild")
    page.get_by_role("button", name="Assess", exact=True).click()
    page.wait_for_selector(".error-summary")
    result = run_axe(page)
    (ARTIFACTS / "axe-case-entry-errors.json").write_text(json.dumps(result["violations"], indent=1), encoding="utf-8")
    assert blocking(result) == []
