"""The gap rules, one clinical statement each, on small hand-made patients."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from bonemet.model import parse_case
from bonemet.pathway import assess
from bonemet.population.cases import CareFacts
from bonemet.population.gaps import GapKind, Screened, care_gaps

TODAY = dt.date(2026, 6, 30)
FACTS = CareFacts(
    patient_id="p",
    current_agent=None,
    agent_dose_mg=None,
    agent_for_hypercalcaemia=False,
    supplement_current=True,
    dental_done=True,
    surgical_review=False,
    calcium_day="2026-06-27",
    hypercalcaemia_treated_after=False,
    bone_pain=False,
    pain_explained=False,
    imaging_since_pain=0,
)


def breast_with_metastases(**extra: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": {"age_years": 70, "sex": "female", "weight_kg": 60},
        "cancer": {"history": "known_primary", "primary": "breast"},
        "lesions": [{"bone": "rib", "pattern": "lytic"}, {"bone": "pelvis", "pattern": "lytic"}],
        "labs": {"creatinine_mg_dl": 1.0, "calcium_mg_dl": 9.5, "albumin_g_dl": 4.0},
        "treatment": {"dental_evaluation_done": True},
    }
    for section, values in extra.items():
        case[section] = {**case.get(section, {}), **values}
    return case


def gaps(data: dict[str, Any], **facts: Any) -> set[GapKind]:
    case = parse_case(data)
    screened = Screened(case=case, assessment=assess(case, today=TODAY), facts=replace(FACTS, **facts))
    return {gap.kind for gap in care_gaps(screened)}


def test_established_bone_metastases_without_an_agent_is_a_gap() -> None:
    assert gaps(breast_with_metastases(treatment={"bone_modifying_agent": "none"})) == {GapKind.bma_missing}


def test_a_solitary_lesion_awaits_biopsy_so_no_agent_is_not_yet_a_gap() -> None:
    data = breast_with_metastases()
    data["lesions"] = data["lesions"][:1]
    assert GapKind.bma_missing not in gaps(data)


def test_zoledronic_acid_4_mg_at_crcl_about_45_is_above_the_label_table() -> None:
    # CrCl = (140 - 70) x 60 x 0.85 / (72 x 1.1) = 45 mL/min: label dose 3.3 mg (Zometa).
    data = breast_with_metastases(labs={"creatinine_mg_dl": 1.1}, treatment={"bone_modifying_agent": "zoledronic_acid"})
    assert gaps(data, current_agent="zoledronic_acid", agent_dose_mg=4.0) == {GapKind.zoledronic_dose_above_renal_table}
    assert gaps(data, current_agent="zoledronic_acid", agent_dose_mg=3.3) == set()


def test_a_hypercalcaemia_dose_of_zoledronic_acid_is_not_a_renal_dosing_gap() -> None:
    data = breast_with_metastases(labs={"creatinine_mg_dl": 1.1}, treatment={"bone_modifying_agent": "zoledronic_acid"})
    assert gaps(data, current_agent="zoledronic_acid", agent_dose_mg=4.0, agent_for_hypercalcaemia=True) == set()


def test_denosumab_needs_calcium_and_vitamin_d_unless_calcium_is_raised() -> None:
    on_denosumab = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab"})
    assert gaps(on_denosumab, current_agent="denosumab", supplement_current=False) == {
        GapKind.denosumab_without_calcium_vitamin_d
    }
    raised = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab"}, labs={"calcium_mg_dl": 11.0})
    assert GapKind.denosumab_without_calcium_vitamin_d not in gaps(
        raised, current_agent="denosumab", supplement_current=False
    )


def test_agent_without_dental_examination_is_a_gap() -> None:
    data = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab", "dental_evaluation_done": None})
    assert gaps(data, current_agent="denosumab") == {GapKind.bma_without_dental}


def test_mirels_12_needs_a_surgeon_unless_one_has_seen_the_patient() -> None:
    femur = {
        "bone": "femur",
        "segment": "peritrochanteric",
        "pattern": "lytic",
        "pain": "functional",
        "cortical_involvement": 0.7,
        "side": "left",
    }
    data = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab"})
    data["lesions"] = [*data["lesions"], femur]
    assert gaps(data, current_agent="denosumab") == {GapKind.fracture_risk_without_surgical_review}
    assert gaps(data, current_agent="denosumab", surgical_review=True) == set()


def test_moderate_hypercalcaemia_untreated_is_a_gap_but_mild_is_not() -> None:
    moderate = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab"}, labs={"calcium_mg_dl": 12.5})
    assert GapKind.hypercalcaemia_untreated in gaps(moderate, current_agent="denosumab")
    assert GapKind.hypercalcaemia_untreated not in gaps(
        moderate, current_agent="denosumab", hypercalcaemia_treated_after=True
    )
    mild = breast_with_metastases(treatment={"bone_modifying_agent": "denosumab"}, labs={"calcium_mg_dl": 11.0})
    assert GapKind.hypercalcaemia_untreated not in gaps(mild, current_agent="denosumab")


def test_unexplained_bone_pain_in_known_cancer_needs_imaging() -> None:
    data = {
        "cancer": {"history": "known_primary", "primary": "lung"},
        "presentation": {"bone_pain": True, "pain_unexplained": True},
    }
    assert gaps(data, bone_pain=True) == {GapKind.bone_pain_not_imaged}
    assert gaps(data, bone_pain=True, imaging_since_pain=1) == set()
    explained = {**data, "presentation": {"bone_pain": True, "pain_unexplained": False}}
    assert gaps(explained, bone_pain=True) == set()
