"""Focus not obscured (WCAG 2.2 SC 2.4.11): the sticky Assess bar never hides the focused control."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

# For the focused element: how many of its pixel rows lie under the sticky bar (0 when it is the
# bar itself or inside it, or when the bar is not stuck over the page).
COVERED = """() => {
  const el = document.activeElement;
  const bar = document.querySelector('.form-actions');
  if (!el || el === document.body || !bar || bar.contains(el)) return 0;
  const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return 0;
  const top = Math.max(r.top, b.top), bottom = Math.min(r.bottom, b.bottom);
  return bottom > top && r.right > b.left && r.left < b.right ? (bottom - top) / r.height : 0;
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 700)])
def test_first_50_tab_stops_are_never_hidden_by_the_sticky_bar(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    # From the first field of the case form (the examples and the report box above it come first
    # in tab order and are never under the bar): the next 50 stops are the fields the bar can hide.
    page.locator("form:has(.form-actions) :is(input:not([type=hidden]), select, textarea)").first.focus()
    hidden = []
    for stop in range(50):
        page.keyboard.press("Tab")
        covered = page.evaluate(COVERED)
        if covered >= 0.5:  # more than half of the control under the bar
            hidden.append(
                (stop, page.evaluate("document.activeElement.id || document.activeElement.outerHTML.slice(0, 80)"))
            )
    assert hidden == []
