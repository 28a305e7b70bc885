"""The ten-second view ("do now") and each recommendation said once, built on the Assessment model."""

from __future__ import annotations

import json
from typing import Any

from bonemet.examples import example_paths
from bonemet.model import Assessment, Case, MissingItem, Recommendation, ScoreItemOut, ScoreOut, parse_case
from bonemet.model.vocabulary import Code, Priority, ScoreName, Step
from bonemet.pathway import assess
from bonemet.render.plan import agent_block, do_now, grouped_gaps, lesions_text, merged_plan

AS_OF = "2026-11-25"


def case_of(data: dict[str, Any]) -> Case:
    return parse_case(json.dumps({"as_of": AS_OF, **data}))


def example(stem: str) -> Case:
    path = next(p for p in example_paths() if p.stem.startswith(stem))
    return parse_case(path.read_text(encoding="utf-8"))


# The review's case 3: lung cancer, lytic T6-T9, nothing else known about the spine.
LUNG_T6_T9 = case_of(
    {
        "patient": {"age_years": 62, "sex": "male"},
        "cancer": {"history": "known_primary", "primary": "lung"},
        "presentation": {"bone_pain": True},
        "lesions": [{"bone": "spine", "level": level, "pattern": "lytic"} for level in ("T6", "T7", "T8", "T9")],
    }
)


def rec(code: Code, priority: Priority, step: Step, text: str = "", **fields: Any) -> Recommendation:
    return Recommendation(code=code, priority=priority, step=step, text=text or code.value, **fields)


def assessment(*recs: Recommendation, **fields: Any) -> Assessment:
    return Assessment(
        engine_version="t",
        knowledge_version="t",
        as_of=AS_OF,
        suspicion={"level": "established"},
        recommendations=list(recs),
        **fields,
    )


def test_the_same_mri_on_four_vertebrae_is_said_once_with_the_levels_as_a_range() -> None:
    plan = merged_plan(assess(LUNG_T6_T9), LUNG_T6_T9)
    mri = [item for item in plan if item.code is Code.imaging_mri]
    assert len(mri) == 1
    assert mri[0].lesion_indices == (0, 1, 2, 3)
    assert mri[0].where == "T6–T9"


def test_recommendations_that_differ_in_text_or_priority_stay_apart() -> None:
    a = assessment(
        rec(Code.surgery_spine_consult, Priority.routine, Step.treatment, "Spine surgery for T12", lesion_index=0),
        rec(Code.surgery_spine_consult, Priority.routine, Step.treatment, "Spine surgery for L2", lesion_index=1),
        rec(Code.imaging_mri, Priority.urgent, Step.workup, "MRI", lesion_index=0),
        rec(Code.imaging_mri, Priority.routine, Step.workup, "MRI", lesion_index=1),
    )
    assert len(merged_plan(a)) == 4


def test_levels_that_are_not_contiguous_are_listed_as_runs() -> None:
    case = case_of({"lesions": [{"bone": "spine", "level": level} for level in ("L1", "T11", "T12", "T6")]})
    assert lesions_text(case, [0, 1, 2, 3]) == "T6, T11–L1"


def test_an_urgent_fixation_never_sits_below_routine_x_rays() -> None:
    a = assessment(
        rec(Code.imaging_xray, Priority.routine, Step.workup),
        rec(Code.biopsy_bone, Priority.routine, Step.workup),
        rec(Code.surgery_prophylactic_fixation, Priority.urgent, Step.treatment, lesion_index=0),
        rec(Code.urgent_hypercalcemia, Priority.emergency, Step.emergency),
    )
    now = do_now(a)
    assert [item.code for item in now.actions] == [Code.urgent_hypercalcemia, Code.surgery_prophylactic_fixation]
    assert [item.code for item in merged_plan(a)][:2] == [Code.urgent_hypercalcemia, Code.surgery_prophylactic_fixation]
    assert now.later == 2
    assert now.lines()[0] == "Do now:"


def test_with_nothing_urgent_the_block_shows_the_first_routine_steps() -> None:
    a = assessment(
        rec(Code.bma_denosumab, Priority.consider, Step.supportive),
        *(rec(code, Priority.routine, Step.primary_search) for code in (Code.lab_psa, Code.imaging_chest_xray)),
    )
    now = do_now(a)
    assert now.actions == ()
    assert [item.code for item in now.next_steps] == [Code.lab_psa, Code.imaging_chest_xray]
    assert now.lines()[0] == "Nothing urgent. Next:"


def test_the_impending_femoral_fracture_shows_fixation_and_the_scores_that_decide() -> None:
    case = example("01")
    now = do_now(assess(case), case)
    assert now.actions[0].code is Code.surgery_prophylactic_fixation
    assert now.actions[0].where == "right femur, peritrochanteric"
    # Mirels 12 of 12 (Mirels 1989: 9 or more, fixation) on the lesion the fixation is for, then survival, then
    # the creatinine clearance the zoledronic acid dose depends on.
    assert [(s.label, s.value) for s in now.scores] == [("Mirels", "12"), ("New Katagiri", "2"), ("CrCl", "77 mL/min")]


def test_cord_compression_puts_the_emergency_first_and_the_spine_scores_beside_it() -> None:
    case = example("02")
    now = do_now(assess(case), case)
    assert now.actions[0].priority is Priority.emergency and now.actions[0].code is Code.urgent_mscc
    assert [s.label for s in now.scores] == ["SINS", "ESCC", "New Katagiri"]
    assert now.scores[1].value == "grade 2" and now.scores[1].where == "T8"


def test_missing_fields_that_could_reveal_an_emergency_come_first_and_lesions_are_grouped() -> None:
    gaps = grouped_gaps(assess(LUNG_T6_T9).missing, LUNG_T6_T9)
    labels = [gap.label for gap in gaps]
    assert labels[0] == "Neurological deficit"
    escc = next(gap for gap in gaps if gap.field.endswith("escc_grade"))
    assert escc.where == "T6–T9" and len(escc.fields) == 4
    assert labels.index(escc.label) < labels.index("Spinal alignment")
    assert sum(1 for gap in gaps if gap.field.endswith("alignment")) == 1
    assert len(do_now(assess(LUNG_T6_T9), LUNG_T6_T9).gaps) == 3


def test_fields_asked_for_the_same_reason_are_one_gap() -> None:
    why = "Katagiri laboratory item."
    missing = [MissingItem(field=f, why=why) for f in ("labs.crp_mg_dl", "labs.ldh_u_l")]
    (gap,) = grouped_gaps(missing)
    assert gap.label == "C-reactive protein (CRP), Lactate dehydrogenase (LDH)"
    assert gap.fields == ("labs.crp_mg_dl", "labs.ldh_u_l")


def test_the_agents_are_one_block_with_the_shared_reasons_once_and_a_safety_line_on_its_row() -> None:
    shared = ["Bone metastases from breast cancer: an agent lowers the risk of skeletal-related events."]
    safety = "Correct pre-existing hypocalcaemia before starting denosumab."
    a = assessment(
        rec(Code.bma_zoledronic_acid, Priority.routine, Step.supportive, reasons=[*shared, "Dose by CrCl."]),
        rec(Code.bma_denosumab, Priority.consider, Step.supportive, reasons=[*shared, safety]),
        rec(Code.bma_dental_evaluation, Priority.routine, Step.supportive, reasons=shared),
    )
    block = agent_block(merged_plan(a))
    assert block is not None
    assert block.shared_reasons == tuple(shared)
    rows = {option.item.code: option.own_reasons for option in block.options}
    assert rows == {Code.bma_zoledronic_acid: ("Dose by CrCl.",), Code.bma_denosumab: (safety,)}
    assert [option.item.code for option in block.preferred] == [Code.bma_zoledronic_acid]


def test_no_agent_no_block() -> None:
    assert agent_block(merged_plan(assessment(rec(Code.imaging_xray, Priority.routine, Step.workup)))) is None


def test_incomplete_scores_are_not_shown_as_deciding() -> None:
    incomplete = ScoreOut(
        name=ScoreName.mirels,
        lesion_index=0,
        total=None,
        items=[ScoreItemOut(item="size", value=None, points=None)],
    )
    a = assessment(rec(Code.imaging_ct, Priority.routine, Step.workup, lesion_index=0), scores=[incomplete])
    assert do_now(a).scores == ()


def test_every_bundled_example_gives_a_block_that_agrees_with_its_plan() -> None:
    for path in example_paths():
        case = parse_case(path.read_text(encoding="utf-8"))
        a = assess(case)
        now = do_now(a, case)
        pressing = {r.code for r in a.recommendations if r.priority in (Priority.emergency, Priority.urgent)}
        assert {item.code for item in now.actions} == pressing, path.stem
        assert len(now.actions) + len(now.next_steps) + now.later == len(now.plan), path.stem
        assert len(now.plan) <= len(a.recommendations), path.stem
