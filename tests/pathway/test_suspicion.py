"""Suspicion: DESIGN pathway step 1 (Merck Manual 2022)."""

from __future__ import annotations

from tests.conftest import run

KNOWN_BREAST = {"history": "known_primary", "primary": "breast"}


def test_unexplained_bone_pain_alone_is_moderate_suspicion() -> None:
    a = run({"cancer": {"history": "none"}, "presentation": {"bone_pain": True, "pain_unexplained": True}})
    assert a.suspicion.level.value == "moderate"
    assert any("benign explanation" in r for r in a.suspicion.reasons)


def test_bone_pain_with_known_cancer_is_high_suspicion() -> None:
    a = run({"cancer": KNOWN_BREAST, "presentation": {"bone_pain": True}})
    assert a.suspicion.level.value == "high"


def test_pain_at_more_than_one_site_is_high_suspicion() -> None:
    a = run({"presentation": {"bone_pain": True, "pain_unexplained": True, "pain_site_count": 3}})
    assert a.suspicion.level.value == "high"
    assert any("more than one site" in r for r in a.suspicion.reasons)


def test_imaging_with_multiple_lesions_is_high_suspicion_without_cancer_history() -> None:
    a = run({"cancer": {"history": "none"}, "skeletal_burden": {"total_lesions": 4}})
    assert a.suspicion.level.value == "high"


def test_biopsy_proven_metastasis_is_established() -> None:
    a = run({"cancer": {"history": "known_primary", "bone_biopsy": "metastasis_confirmed"}})
    assert a.suspicion.level.value == "established"


def test_multiple_lesions_with_known_cancer_are_established() -> None:
    a = run({"cancer": KNOWN_BREAST, "skeletal_burden": {"total_lesions": 3}})
    assert a.suspicion.level.value == "established"


def test_single_lesion_with_known_cancer_is_high_not_established() -> None:
    a = run({"cancer": KNOWN_BREAST, "lesions": [{"bone": "rib"}], "skeletal_burden": {"total_lesions": 1}})
    assert a.suspicion.level.value == "high"


def test_nothing_suggestive_is_low() -> None:
    a = run({"cancer": {"history": "none"}, "presentation": {"bone_pain": False}})
    assert a.suspicion.level.value == "low"


def test_biopsy_with_another_diagnosis_lowers_suspicion() -> None:
    a = run({"cancer": {"history": "none", "bone_biopsy": "other_diagnosis"}, "lesions": [{"bone": "femur"}]})
    assert a.suspicion.level.value == "low"
