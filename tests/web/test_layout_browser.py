"""Layout that holds, in Debian's chromium: no sideways scroll at 320-375 px (WCAG 1.4.10 Reflow), the
sticky Assess bar never covers the focused field (WCAG 2.2 SC 2.4.11), chart legends inside their chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bonemet.examples import example_paths

PAGES = [
    "/",
    "/?example=10_unstable_lumbar_spine",
    "/reference",
    "/reference/zoledronic-acid",
    "/handout?example=01_impending_femoral_fracture",
    *(f"/assessment?example={path.stem}" for path in example_paths()),
]


@pytest.mark.parametrize("width", [320, 375])
def test_no_page_scrolls_sideways_on_a_phone(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    wide = []
    for url in PAGES:
        page.goto(url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide.append(f"{url}: {scroll_width} px")
    assert wide == []


COVERED = """() => {
  const bar = document.querySelector('.form-actions');
  const el = document.activeElement;
  if (!bar || !el || bar.contains(el) || el === document.body) return null;
  const b = bar.getBoundingClientRect(), r = el.getBoundingClientRect();
  if (r.height === 0) return null;
  const hidden = Math.max(0, Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top));
  return hidden > 0 ? (el.id || el.name || el.tagName) + ' ' + Math.round(hidden) + 'px' : null;
}"""


@pytest.mark.parametrize("size", [(1280, 900), (375, 812)])
def test_the_sticky_bar_never_hides_the_focused_field_over_50_tab_stops(page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/?example=01_impending_femoral_fracture")
    hidden = []
    for _ in range(50):
        page.keyboard.press("Tab")
        covered = page.evaluate(COVERED)
        if covered:
            hidden.append(covered)
    assert hidden == []


def test_the_survival_chart_legend_fits_inside_the_chart(page: Page) -> None:
    page.goto("/assessment?example=02_cord_compression")
    overflow = page.evaluate(
        """() => {
          const svg = document.querySelector('svg.survival-chart');
          const box = svg.viewBox.baseVal;
          return [...svg.querySelectorAll('text')].map(t => t.getBBox())
            .filter(b => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5).length;
        }"""
    )
    assert overflow == 0


def test_the_error_summary_takes_the_focus_after_a_failed_submit(page: Page) -> None:
    page.goto("/")
    page.fill("#f-patient-age_years", "130")
    page.get_by_role("button", name="Assess", exact=True).click()
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
