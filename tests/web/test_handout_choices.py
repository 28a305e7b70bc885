"""The handout never lists alternatives as if all will happen, and has a contact box."""

from __future__ import annotations

import warnings

from fastapi.testclient import TestClient

from bonemet.model import Assessment, Recommendation, Suspicion
from bonemet.model.vocabulary import Code, Priority, Step, SuspicionLevel
from bonemet.web.handout import CHOICE_TITLE, PLAIN, build_handout
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)


def rec(code: Code, lesion: int | None = None, step: Step = Step.treatment) -> Recommendation:
    return Recommendation(code=code, priority=Priority.routine, step=step, text=code.value, lesion_index=lesion)


def plan(*recs: Recommendation) -> Assessment:
    return Assessment(
        engine_version="t",
        knowledge_version="t",
        as_of="2026-12-01",
        suspicion=Suspicion(level=SuspicionLevel.established),
        recommendations=list(recs),
    )


def items(a: Assessment) -> list[str]:
    return [f"{i.title}|{i.what}" for s in build_handout(a).sections for i in s.items]


def test_two_agents_become_one_choice_and_one_agent_stays_the_plan() -> None:
    both = items(
        plan(rec(Code.bma_zoledronic_acid, step=Step.supportive), rec(Code.bma_denosumab, step=Step.supportive))
    )
    assert len(both) == 1 and both[0].startswith(CHOICE_TITLE)
    assert PLAIN[Code.bma_zoledronic_acid].title in both[0] and PLAIN[Code.bma_denosumab].title in both[0]
    one = items(plan(rec(Code.bma_denosumab, step=Step.supportive)))
    assert one == [f"{PLAIN[Code.bma_denosumab].title}|{PLAIN[Code.bma_denosumab].what}"]


def test_operations_are_a_choice_per_lesion_not_across_lesions() -> None:
    same = items(plan(rec(Code.surgery_fixation, 0), rec(Code.surgery_en_bloc_resection, 0)))
    assert len(same) == 1 and same[0].startswith(CHOICE_TITLE)
    different = items(plan(rec(Code.surgery_fixation, 0), rec(Code.surgery_en_bloc_resection, 1)))
    assert len(different) == 2 and not any(i.startswith(CHOICE_TITLE) for i in different)


def test_handout_page_says_choose_one_and_has_a_contact_box() -> None:
    page = TestClient(make_app()).get("/handout?example=08_zoledronic_acid_renal_dose").text
    assert CHOICE_TITLE in page
    assert page.count(f"<h3>{PLAIN[Code.bma_denosumab].title}</h3>") == 0  # not listed as a plan of its own
    assert 'id="contact-title"' in page and "Phone (nights and weekends)" in page
