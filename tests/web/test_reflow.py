"""Reflow (WCAG 1.4.10): no horizontal scroll at 320 and 375 px wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bonemet.examples import example_paths

PAGES = [
    "/",
    "/assessment?example=01_impending_femoral_fracture",
    "/assessment?example=02_cord_compression",
    "/assessment?example=16_myeloma_lytic",
    "/handout?example=08_zoledronic_acid_renal_dose",
]


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("url", PAGES)
def test_no_horizontal_scroll(page: Page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{url} at {width}px scrolls {overflow}px sideways"


@pytest.mark.parametrize("example", [p.stem for p in example_paths()])
def test_every_example_assessment_reflows_at_375(page: Page, example: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/assessment?example={example}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{example} at 375px scrolls {overflow}px sideways"
