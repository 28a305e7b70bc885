"""Painless high-risk lesions in polymetastatic disease (Gillespie 2024) and painless spinal lesions (NICE NG234)."""

from __future__ import annotations

from typing import Any

from tests.conftest import codes, declined, rec, run

LUNG = {"history": "known_primary", "primary": "lung", "histology": "adenocarcinoma", "visceral_metastases": "nodular"}
FEMUR = {"bone": "femur", "segment": "shaft", "side": "left", "pattern": "lytic", "cortical_involvement": 0.4}
SPINE = {
    "bone": "spine",
    "level": "T8",
    "pattern": "lytic",
    "alignment": "normal",
    "vertebral_collapse": "none",
    "posterolateral_involvement": "none",
    "escc_grade": "0",
}


def case(
    *,
    lesions: list[dict[str, Any]],
    total: int = 8,
    cancer: dict[str, Any] = LUNG,
    age: int = 64,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "patient": {"age_years": age, "sex": "male", "weight_kg": 78, "ecog": 1},
        "cancer": cancer,
        "presentation": {"bone_pain": False, "neurologic_deficit": "none"},
        "skeletal_burden": {"total_lesions": total},
        "lesions": lesions,
        "labs": {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.4, "albumin_g_dl": 4.0},
    }
    data.update(extra)
    return data


def test_painless_femur_in_polymetastatic_lung_cancer_gets_a_radiation_oncology_opinion() -> None:
    a = run(case(lesions=[{**FEMUR, "pain": "none"}]))
    line = rec(a, "rt.prophylactic")
    assert line.priority.value == "consider"
    assert "femur, shaft" in line.text
    assert any("Gillespie" in c for c in line.citations)
    assert any("29%" in r and "1.6%" in r for r in line.reasons)
    assert "rt.palliative" not in codes(a)


def test_acetabulum_counts_as_the_hip() -> None:
    a = run(case(lesions=[{"bone": "acetabulum", "side": "right", "pattern": "lytic", "pain": "none"}]))
    assert "rt.prophylactic" in codes(a)


def test_not_offered_at_five_or_fewer_bone_metastases() -> None:
    a = run(case(lesions=[{**FEMUR, "pain": "none"}], total=5))
    assert "rt.prophylactic" not in codes(a)


def test_not_offered_for_myeloma_children_or_unknown_pain() -> None:
    myeloma = {"history": "known_primary", "primary": "myeloma"}
    assert "rt.prophylactic" not in codes(run(case(lesions=[{**FEMUR, "pain": "none"}], cancer=myeloma)))
    assert "rt.prophylactic" not in codes(run(case(lesions=[{**FEMUR, "pain": "none"}], age=15)))
    assert "rt.prophylactic" not in codes(run(case(lesions=[FEMUR])))


def test_not_offered_when_the_lesion_has_another_treatment_line() -> None:
    irradiated = {"prior_radiotherapy": [{"bone": "femur", "side": "left", "dose_gy": 8, "fractions": 1}]}
    a = run(case(lesions=[{**FEMUR, "pain": "none"}], treatment=irradiated))
    assert "rt.prophylactic" not in codes(a)
    fracture = run(case(lesions=[{**FEMUR, "pain": "none", "pathologic_fracture": True}]))
    assert "rt.prophylactic" not in codes(fracture)


def test_painful_lesions_keep_palliative_radiotherapy_not_prophylaxis() -> None:
    a = run(case(lesions=[{**FEMUR, "pain": "mild"}], presentation={"bone_pain": True}))
    assert "rt.palliative" in codes(a)
    assert "rt.prophylactic" not in codes(a)


def test_a_painless_spinal_lesion_gets_no_sbrt_and_the_nice_reason() -> None:
    a = run(case(lesions=[{**FEMUR, "pain": "none"}, {**SPINE, "spinal_pain": "none"}]))
    assert "rt.sbrt" not in codes(a)
    assert "rt.sbrt" in declined(a)
    refusal = next(n for n in a.not_recommended if n.code.value == "rt.sbrt")
    assert any("NG234" in c for c in refusal.citations)
    assert any("T8" in r and "Not proposed" in r for r in rec(a, "rt.prophylactic").reasons)


def test_a_painful_spinal_lesion_still_gets_sbrt() -> None:
    a = run(case(lesions=[{**SPINE, "spinal_pain": "non_mechanical"}], presentation={"bone_pain": True}))
    assert "rt.sbrt" in codes(a)
