"""The CDS Hooks summary card opens with the same "do now" block as the page and the terminal."""

from __future__ import annotations

import datetime as dt

from bonemet.examples import example_paths
from bonemet.model import parse_case
from bonemet.pathway import assess
from bonemet.render.plan import do_now
from bonemet.service.cards import HookResult, patient_view_cards


def summary_detail(stem: str) -> tuple[str, str]:
    path = next(p for p in example_paths() if p.stem.startswith(stem))
    case = parse_case(path.read_text(encoding="utf-8"))
    a = assess(case)
    cards = patient_view_cards(HookResult(case, a, "Patient/p1", record_id="r1", today=dt.date(2026, 11, 25)))
    summary = next(c for c in cards if c.summary.startswith("bonemet:"))
    return summary.detail, "\n".join(do_now(a, case).lines())


def test_the_summary_card_starts_with_do_now_emergency_first() -> None:
    detail, _ = summary_detail("02")
    assert detail.startswith("**Do now:**\n- [EMERGENCY] Suspected metastatic spinal cord compression")
    assert detail.index("[EMERGENCY]") < detail.index("[urgent] Spine surgery consultation") < detail.index("**Plan:**")
    assert "**Scores that decide:** SINS 9" in detail


def test_the_card_and_the_terminal_show_the_same_actions() -> None:
    detail, lines = summary_detail("01")
    action = next(line.strip() for line in lines.splitlines() if line.strip().startswith("[urgent]"))
    assert f"- {action}" in detail


def test_with_nothing_urgent_the_card_names_the_next_steps() -> None:
    detail, _ = summary_detail("04")
    assert detail.startswith("**Nothing urgent. Next:**")
