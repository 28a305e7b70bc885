"""Missing data names the case field that would change a decision, not a neighbouring one."""

from __future__ import annotations

from typing import Any

from tests.conftest import missing_fields, rec, run


def _known_cancer(cancer: dict[str, Any], **extra: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": {"age_years": 60, "sex": "female", "weight_kg": 70, "ecog": 1},
        "cancer": {"history": "known_primary", **cancer},
        "presentation": {"bone_pain": True, "pain_unexplained": True},
        "skeletal_burden": {"total_lesions": 4},
        "labs": {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.5, "albumin_g_dl": 4.0},
    }
    case.update(extra)
    return case


def test_breast_without_hormone_dependence_asks_for_hormone_dependence_not_the_primary() -> None:
    # Katagiri primary lesion: hormone-dependent breast is slow (0), hormone-independent moderate (2).
    a = run(_known_cancer({"primary": "breast"}))
    assert "cancer.hormone_dependent" in missing_fields(a)
    assert "cancer.primary" not in missing_fields(a)


def test_breast_with_hormone_dependence_recorded_does_not_ask_for_it() -> None:
    a = run(_known_cancer({"primary": "breast", "hormone_dependent": True}))
    assert not {"cancer.hormone_dependent", "cancer.primary"} & missing_fields(a)


def test_lung_without_targeted_therapy_asks_for_targeted_therapy_not_the_primary() -> None:
    # Katagiri primary lesion: lung with targeted therapy moderate (2), without rapid (3).
    a = run(_known_cancer({"primary": "lung"}))
    assert "cancer.targeted_therapy" in missing_fields(a)
    assert "cancer.primary" not in missing_fields(a)


def test_spinal_sarcoma_without_histology_asks_for_the_histology() -> None:
    # Revised Tokuhashi: osteosarcoma scores 0, other sarcomas 'others' (2).
    case = _known_cancer(
        {"primary": "sarcoma"},
        presentation={"bone_pain": True, "neurologic_deficit": "none"},
        skeletal_burden={"total_lesions": 4, "vertebral_bodies": 2, "extraspinal_lesions": 2},
        lesions=[{"bone": "spine", "level": "L2"}],
    )
    a = run(case)
    why = {m.field: m.why for m in a.missing}
    assert "Revised Tokuhashi score, primary site" in why["cancer.histology"]


def test_known_cancer_without_a_primary_site_asks_for_the_primary() -> None:
    assert "cancer.primary" in missing_fields(run(_known_cancer({})))


SOLITARY_HUMERUS = {
    "skeletal_burden": {"total_lesions": 1},
    "lesions": [{"bone": "humerus", "segment": "shaft"}],
}


def test_en_bloc_candidate_without_diagnosis_date_or_primary_control_asks_for_both() -> None:
    case = _known_cancer(
        {"primary": "kidney", "visceral_metastases": "none", "bone_biopsy": "metastasis_confirmed"},
        **SOLITARY_HUMERUS,
    )
    a = run(case)
    assert rec(a, "surgery.en_bloc_resection").priority.value == "consider"
    assert {"cancer.diagnosed_on", "cancer.primary_treated"} <= missing_fields(a)
    why = {m.field: m.why for m in a.missing}
    assert "12 months" in why["cancer.diagnosed_on"]
    assert "en bloc" in why["cancer.primary_treated"].lower()


def test_en_bloc_candidate_with_both_recorded_asks_for_neither() -> None:
    case = _known_cancer(
        {
            "primary": "kidney",
            "diagnosed_on": "2022-01-01",
            "primary_treated": True,
            "visceral_metastases": "none",
            "bone_biopsy": "metastasis_confirmed",
        },
        **SOLITARY_HUMERUS,
    )
    a = run(case)
    assert rec(a, "surgery.en_bloc_resection").priority.value == "routine"
    assert not {"cancer.diagnosed_on", "cancer.primary_treated"} & missing_fields(a)


def test_only_the_missing_en_bloc_field_is_asked_for() -> None:
    case = _known_cancer(
        {
            "primary": "kidney",
            "diagnosed_on": "2022-01-01",
            "visceral_metastases": "none",
            "bone_biopsy": "metastasis_confirmed",
        },
        **SOLITARY_HUMERUS,
    )
    fields = missing_fields(run(case))
    assert "cancer.primary_treated" in fields
    assert "cancer.diagnosed_on" not in fields


def test_no_en_bloc_fields_asked_for_when_en_bloc_is_ruled_out() -> None:
    # Disseminated visceral disease rules en bloc excision out whatever the dates.
    case = _known_cancer(
        {"primary": "kidney", "visceral_metastases": "disseminated", "bone_biopsy": "metastasis_confirmed"},
        **SOLITARY_HUMERUS,
    )
    a = run(case)
    assert "surgery.en_bloc_resection" not in {r.code.value for r in a.recommendations}
    assert not {"cancer.diagnosed_on", "cancer.primary_treated"} & missing_fields(a)


def test_no_en_bloc_fields_asked_for_with_multiple_lesions() -> None:
    a = run(_known_cancer({"primary": "kidney"}, lesions=[{"bone": "humerus"}, {"bone": "rib"}]))
    assert not {"cancer.diagnosed_on", "cancer.primary_treated"} & missing_fields(a)
