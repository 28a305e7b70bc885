"""The "do now" block in Debian's chromium: above the fold for every bundled example."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bonemet.examples import example_paths
from tests.web.conftest import screenshot


@pytest.mark.parametrize("example", [p.stem for p in example_paths()])
def test_do_now_is_above_the_fold_at_1280_by_800(page: Page, example: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/assessment?example={example}")
    block = page.locator("#do-now")
    box = block.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 800, f"{example}: the 'do now' block ends at {box['y'] + box['height']}px"
    heading = block.locator("h2").bounding_box()
    assert heading is not None and heading["y"] >= 0


def test_examples_are_first_on_the_form_and_open_an_assessment_in_one_click(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    link = page.get_by_role("link", name="Assessment of 02 cord compression")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800
    link.click()
    page.wait_for_url("**/assessment?example=02_cord_compression")
    assert "Dexamethasone" in page.locator("#do-now").inner_text()
    screenshot(page, "assessment-do-now")
