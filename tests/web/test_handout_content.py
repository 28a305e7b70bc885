"""The patient handout: the chosen plan (never every alternative), warning signs for the sites involved,
a name and contact box, and a reading grade of 6 or less (Flesch-Kincaid, measured by textstat)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import textstat
from fastapi.testclient import TestClient

from bonemet.examples import example_paths
from bonemet.model import Assessment, Case, Recommendation, parse_case
from bonemet.model.vocabulary import Code, Priority, Step
from bonemet.pathway import assess
from bonemet.web.handout import MAY_DISCUSS, Handout, build_handout, handout_date, handout_pdf
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)

MAX_GRADE = 6.0  # the usual target for patient material


def example(stem: str) -> tuple[Assessment, Case]:
    path = next(p for p in example_paths() if p.stem.startswith(stem))
    case = parse_case(path.read_text(encoding="utf-8"))
    return assess(case), case


def running_text(h: Handout) -> str:
    """Everything a patient reads, as sentences (headings and list items end with a full stop)."""
    parts = [*h.summary]
    for item in (*h.urgent, *(i for s in h.sections for i in s.items)):
        parts += [f"{item.title}.", item.what, item.why]
    for group in h.warnings:
        parts += [f"{group.heading}.", *(f"{sign}." for sign in group.signs)]
    parts += [*h.questions, h.disclaimer]
    return " ".join(p for p in parts if p)


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem[:2])
def test_every_handout_reads_at_grade_6_or_below(path: Any) -> None:
    case = parse_case(path.read_text(encoding="utf-8"))
    text = running_text(build_handout(assess(case), case))
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE


def plan(*recs: tuple[Code, Priority, Step]) -> Assessment:
    return Assessment(
        engine_version="t",
        knowledge_version="t",
        as_of="2026-11-25",
        suspicion={"level": "established"},
        recommendations=[Recommendation(code=c, priority=p, step=s, text=c.value) for c, p, s in recs],
    )


def titles(h: Handout) -> dict[str, list[str]]:
    return {s.heading: [i.title for i in s.items] for s in h.sections}


def test_two_bone_medicines_are_one_item_your_team_chooses_from() -> None:
    h = build_handout(
        plan(
            (Code.bma_zoledronic_acid, Priority.routine, Step.supportive),
            (Code.bma_denosumab, Priority.consider, Step.supportive),
        )
    )
    text = running_text(h)
    assert titles(h) == {"Looking after your bones": ["A bone-strengthening medicine"]}
    assert "choose one of these with you: zoledronic acid (a drip) or denosumab (an injection)" in text
    assert "only one of them" in text
    assert "Denosumab (a bone-strengthening injection)" not in text


def test_options_only_to_consider_are_named_without_a_promise() -> None:
    h = build_handout(
        plan(
            (Code.surgery_prophylactic_fixation, Priority.urgent, Step.treatment),
            (Code.surgery_en_bloc_resection, Priority.consider, Step.treatment),
        )
    )
    assert titles(h)["Treatments we suggest"] == ["Operation to strengthen the bone before it breaks"]
    (maybe,) = [s for s in h.sections if s.heading == MAY_DISCUSS]
    assert [i.title for i in maybe.items] == ["Operation to remove the bone lesion"]
    assert "long-lasting control" not in running_text(h)


def test_a_femoral_lesion_adds_the_signs_of_a_broken_hip_or_thigh_and_a_weight_bearing_question() -> None:
    a, case = example("01")
    h = build_handout(a, case)
    headings = [g.heading for g in h.warnings]
    assert headings == ["Signs of pressure on the spinal cord", "Signs that a weak bone has broken"]
    limb = h.warnings[1]
    assert limb.signs[0] == "sudden, bad pain in your hip or thigh"
    assert "you cannot put weight on your leg" in limb.signs
    assert {c.label for c in limb.sources} == {"American Cancer Society", "Downie 2021 (BMJ)"}
    assert any("crutches" in q for q in h.questions)


def test_a_spine_only_case_has_the_spinal_signs_and_no_limb_signs() -> None:
    a, case = example("02")
    h = build_handout(a, case)
    assert [g.heading for g in h.warnings] == ["Signs of pressure on the spinal cord"]
    assert any("bladder or bowels" in sign for sign in h.warnings[0].signs)
    assert not any("crutches" in q for q in h.questions)


def test_an_arm_lesion_asks_about_lifting_not_weight_bearing() -> None:
    a, case = example("13")
    h = build_handout(a, case)
    assert "you cannot use your arm" in h.warnings[-1].signs
    assert any("lift" in q for q in h.questions) and not any("crutches" in q for q in h.questions)


def test_the_date_is_written_as_patients_expect() -> None:
    assert handout_date("2026-11-25") == "25 November 2026"
    assert handout_date("not a date") == "not a date"


def test_the_page_and_the_pdf_have_a_name_and_contact_box() -> None:
    client = TestClient(make_app())
    html = client.get("/handout?example=01_impending_femoral_fracture").text
    box = html[html.index('class="contact-box"') : html.index("</section>", html.index('class="contact-box"'))]
    for label in ("Your name", "Your care team", "Phone in the day", "Phone at night and at weekends"):
        assert label in box
    assert "25 November 2026" in html
    assert "Decision support for health care professionals" not in html
    a, case = example("01")
    pdf = handout_pdf(build_handout(a, case))
    assert b"Your name" in pdf and b"Phone in the day" in pdf


def test_the_handout_follows_the_case_posted_from_the_form() -> None:
    client = TestClient(make_app())
    html = client.post("/handout", data={"lesions[0].bone": "humerus", "cancer.history": "known_primary"}).text
    assert "arm or shoulder" in html
