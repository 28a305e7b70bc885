"""The "do now" block: one function over the Assessment, shown by the terminal, the page and the CDS card.

Assessments are built directly where the ordering or merging rule is under test (so the rule is
tested whatever the engine says today), and come from the real engine on the bundled examples
where the front ends are under test.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bonemet.cli import app, core_commands  # noqa: F401 (registers the commands on app)
from bonemet.examples import EXAMPLES_DIR
from bonemet.model import Assessment, MissingItem, Recommendation, ScoreOut, Suspicion
from bonemet.model.vocabulary import Code, Priority, ScoreName, Step, SuspicionLevel
from bonemet.render.donow import do_now, field_label
from bonemet.service.cards import patient_view_cards
from tests.service.test_cards import by_summary, result
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)


def rec(code: Code, priority: Priority, step: Step, text: str, lesion: int | None = None) -> Recommendation:
    return Recommendation(code=code, priority=priority, step=step, text=text, lesion_index=lesion)


def assessment(*recs: Recommendation, **fields: Any) -> Assessment:
    return Assessment(
        engine_version="test",
        knowledge_version="test",
        as_of="2026-12-01",
        suspicion=Suspicion(level=SuspicionLevel.established),
        recommendations=list(recs),
        **fields,
    )


XRAY = rec(Code.imaging_xray, Priority.routine, Step.workup, "Plain radiographs of the whole bone.", 0)
FIXATION = rec(Code.surgery_prophylactic_fixation, Priority.urgent, Step.treatment, "Prophylactic fixation.", 0)
MSCC = rec(Code.urgent_mscc, Priority.emergency, Step.emergency, "Dexamethasone now; same-day spine opinion.", 1)


def test_pressing_items_come_first_emergency_then_urgent_and_routine_items_are_left_out() -> None:
    plan = do_now(assessment(XRAY, FIXATION, MSCC))
    assert plan.pressing
    assert [a.code for a in plan.actions] == [Code.urgent_mscc, Code.surgery_prophylactic_fixation]


def test_an_urgent_fixation_never_sits_below_routine_xrays_when_nothing_is_urgent_either() -> None:
    routine_fix = FIXATION.model_copy(update={"priority": Priority.routine})
    consider = XRAY.model_copy(update={"priority": Priority.consider})
    plan = do_now(assessment(consider, routine_fix))
    assert not plan.pressing
    assert [a.priority for a in plan.actions] == [Priority.routine, Priority.consider]


def test_identical_recommendations_on_several_lesions_are_said_once_with_the_lesions() -> None:
    mri = [rec(Code.imaging_mri, Priority.urgent, Step.workup, "MRI of the whole spine.", i) for i in (3, 0, 2)]
    plan = do_now(assessment(*mri, FIXATION))
    mris = [a for a in plan.actions if a.code is Code.imaging_mri]
    assert len(mris) == 1
    assert mris[0].lesion_indices == (0, 2, 3)


def test_at_most_three_deciding_scores_those_of_the_acted_on_lesion_first_and_three_missing_fields() -> None:
    def score(name: ScoreName, lesion: int | None, total: float | None) -> ScoreOut:
        return ScoreOut(name=name, lesion_index=lesion, total=total)

    scores = [
        score(ScoreName.crcl_cockcroft_gault, None, 80),
        score(ScoreName.katagiri_new, None, 4),
        score(ScoreName.sins, 1, 9),
        score(ScoreName.mirels, 0, 10),
        score(ScoreName.tokuhashi_revised, None, None),
    ]
    missing = [MissingItem(field=f, why="w") for f in ("a.b", "lesions[0].cortical_involvement", "a.b", "c", "d")]
    plan = do_now(assessment(FIXATION, scores=scores, missing=missing))
    assert [(s.name, s.lesion_index) for s in plan.scores] == [
        (ScoreName.mirels, 0),
        (ScoreName.sins, 1),
        (ScoreName.katagiri_new, None),
    ]
    assert [m.field for m in plan.missing] == ["a.b", "lesions[0].cortical_involvement", "c"]
    assert plan.missing[1].label == "lesion 1: cortical involvement"


@pytest.mark.parametrize(
    ("path", "words"),
    [("labs.creatinine_mg_dl", "creatinine mg dl"), ("lesions[2].pain", "lesion 3: pain"), ("patient.ecog", "ecog")],
)
def test_field_paths_in_words(path: str, words: str) -> None:
    assert field_label(path) == words


CORD = EXAMPLES_DIR / "02_cord_compression.json"


def test_cli_brief_prints_do_now_and_scores_only() -> None:
    out = CliRunner().invoke(app, ["assess", "--brief", "--no-audit", str(CORD)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Do now" in out.output
    assert out.output.index("EMERGENCY") < out.output.index("Scores that decide")
    assert "Bilsky ESCC" in out.output
    assert "Work-up" not in out.output and "Suspicion of bone metastasis" not in out.output


def test_cli_full_text_starts_with_do_now() -> None:
    out = CliRunner().invoke(app, ["assess", "--no-audit", str(CORD)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert out.output.index("Do now") < out.output.index("Suspicion of bone metastasis")


def test_page_shows_do_now_before_the_plan() -> None:
    page = TestClient(make_app()).get("/assessment?example=02_cord_compression").text
    assert 'id="do-now"' in page
    block = page[page.index('id="do-now"') : page.index('id="plan-title"')]
    assert "Dexamethasone" in block and "Scores that decide" in block
    assert page.index('id="do-now"') < page.index('id="suspicion-title"')


def test_summary_card_opens_with_do_now() -> None:
    card = by_summary(patient_view_cards(result(assessment(XRAY, FIXATION))), "bonemet:")
    assert card.detail.startswith("**Do now:**")
    do_now_part = card.detail.split("**Suspicion:**")[0]
    assert "Prophylactic fixation." in do_now_part
    assert "Plain radiographs" not in do_now_part
    assert "right femur peritrochanteric" in do_now_part


def test_demo_prints_one_line_per_example_with_its_first_do_now_action() -> None:
    from bonemet.examples import example_paths

    out = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    rows = [line for line in out.output.splitlines() if line.startswith("│")]
    assert [row.split("│")[1].strip() for row in rows] == [p.stem for p in example_paths()]
    cord = next(row for row in rows if "02_cord_compression" in row)
    assert "[EMERGENCY] Suspected metastatic spinal cord compression" in cord
    assert "Suspicion of bone metastasis" not in out.output  # no full plans unless --full
