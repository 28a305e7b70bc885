"""The ten-second plan in a real browser (Debian's chromium): "do now" above the fold, "Why" folded."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from bonemet.examples import example_paths

FOLD = 800  # px: a 1280 x 800 laptop screen


@pytest.fixture
def laptop(page: Page) -> Page:
    page.set_viewport_size({"width": 1280, "height": FOLD})
    return page


def test_do_now_and_its_first_action_are_above_the_fold_for_every_example(laptop: Page) -> None:
    for path in example_paths():
        laptop.goto(f"/assessment?example={path.stem}")
        block = laptop.locator("#do-now")
        heading = block.locator("h2").bounding_box()
        assert heading is not None and heading["y"] + heading["height"] <= FOLD, path.stem
        first = block.locator(".rec-text, .now-next li").first
        if first.count():
            box = first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= FOLD, path.stem


def test_an_urgent_fixation_is_the_first_thing_on_the_screen(laptop: Page) -> None:
    laptop.goto("/assessment?example=01_impending_femoral_fracture")
    first = laptop.locator("main .rec").first
    expect(first).to_have_attribute("data-code", "surgery.prophylactic_fixation")
    expect(first).to_be_in_viewport()
    expect(laptop.locator("#do-now .key-scores")).to_contain_text("Mirels 12")


def test_why_is_collapsed_and_one_click_away(laptop: Page) -> None:
    laptop.goto("/assessment?example=02_cord_compression")
    why = laptop.locator("#do-now details.why").first
    reasons = why.locator(".reasons")
    expect(reasons).to_be_hidden()
    why.locator("summary").click()
    expect(reasons).to_be_visible()


def test_a_missing_field_in_do_now_jumps_to_its_question(laptop: Page) -> None:
    laptop.goto("/assessment?example=20_bone_scan_hot_spots_need_site_imaging")
    gap = laptop.locator("#do-now .key-gaps a").first
    expect(gap).to_have_text("Epidural compression (Bilsky ESCC grade)")
    gap.click()
    expect(laptop.locator("#q-lesions-1-escc_grade")).to_be_in_viewport()


def test_the_examples_are_on_the_first_screen_and_one_click_gives_an_assessment(laptop: Page) -> None:
    laptop.goto("/")
    first = laptop.locator(".example-quick a").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= FOLD
    first.click()
    expect(laptop.get_by_role("heading", level=1)).to_contain_text("Assessment")
    expect(laptop.locator("#do-now")).to_be_in_viewport()
