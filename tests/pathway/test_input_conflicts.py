"""Contradictory input is accepted but flagged: the clinician sees which fields disagree and
what bonemet did with them. A consistent case has no conflicts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bonemet.examples import example_paths
from bonemet.model import Assessment
from tests.conftest import TODAY, run


def _case(**sections: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": {"age_years": 64, "sex": "female", "weight_kg": 70},
        "cancer": {"history": "known_primary", "primary": "breast", "hormone_dependent": True},
        "presentation": {"bone_pain": True, "pain_unexplained": True},
        "lesions": [{"bone": "femur", "segment": "peritrochanteric", "pattern": "lytic", "pain": "functional"}],
    }
    for name, value in sections.items():
        case[name] = {**case.get(name, {}), **value} if isinstance(value, dict) else value
    return case


def _conflicts(a: Assessment) -> list[set[str]]:
    return [set(c.fields) for c in a.input_conflicts]


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_the_bundled_examples_are_consistent(path: Any) -> None:
    assert run(json.loads(path.read_text())).input_conflicts == []


def test_ecog_and_kps_two_grades_apart_are_flagged() -> None:
    # Prasad 2018 bands: KPS 30 lies in the ECOG 4 band (KPS 10-40); ECOG 0 is KPS 100.
    a = run(_case(patient={"ecog": 0, "kps": 30}))
    assert _conflicts(a) == [{"patient.ecog", "patient.kps"}]
    assert "KPS 30 corresponds to ECOG 4" in a.input_conflicts[0].text


def test_ecog_and_kps_one_grade_apart_are_not_flagged() -> None:
    # KPS 70 is the ECOG 2 band; ECOG 1 is one grade away: ordinary imprecision of conversion.
    assert run(_case(patient={"ecog": 1, "kps": 70})).input_conflicts == []


def test_no_cancer_history_with_a_primary_is_flagged() -> None:
    a = run(_case(cancer={"history": "none", "primary": "lung"}))
    assert {"cancer.history", "cancer.primary"} in _conflicts(a)


def test_diagnosis_after_the_assessment_date_is_flagged() -> None:
    later = TODAY.replace(year=TODAY.year + 1).isoformat()
    a = run(_case(cancer={"diagnosed_on": later}))
    assert {"cancer.diagnosed_on", "as_of"} in _conflicts(a)


def test_fewer_lesions_in_the_burden_than_listed_is_flagged() -> None:
    lesions = [
        {"bone": "femur", "segment": "peritrochanteric", "pattern": "lytic"},
        {"bone": "humerus", "segment": "shaft", "pattern": "lytic"},
        {"bone": "spine", "level": "T10", "pattern": "lytic"},
    ]
    a = run(_case(lesions=lesions, skeletal_burden={"total_lesions": 1, "vertebral_bodies": 0}))
    assert {"skeletal_burden.total_lesions", "lesions"} in _conflicts(a)
    assert {"skeletal_burden.vertebral_bodies", "lesions"} in _conflicts(a)


def test_burden_parts_larger_than_the_total_are_flagged() -> None:
    a = run(_case(skeletal_burden={"total_lesions": 3, "vertebral_bodies": 4, "extraspinal_lesions": 2}))
    assert {
        "skeletal_burden.total_lesions",
        "skeletal_burden.vertebral_bodies",
        "skeletal_burden.extraspinal_lesions",
    } in _conflicts(a)


def test_a_sacral_lesion_at_a_thoracic_level_is_flagged() -> None:
    a = run(_case(lesions=[{"bone": "sacrum", "level": "T10", "pattern": "lytic"}]))
    assert _conflicts(a) == [{"lesions[0].bone", "lesions[0].level"}]
    assert run(_case(lesions=[{"bone": "sacrum", "level": "S1", "pattern": "lytic"}])).input_conflicts == []
