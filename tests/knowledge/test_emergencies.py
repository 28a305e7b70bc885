"""Emergencies: corrected calcium, hypercalcaemia grade and plan, MSCC steroids and surgery."""

from __future__ import annotations

import pytest

from bonemet.knowledge.emergencies import (
    CALCITONIN,
    DENOSUMAB_REFRACTORY,
    DENOSUMAB_RENAL_FAILURE,
    MSCC_DEXAMETHASONE,
    MSCC_DEXAMETHASONE_MG_PER_DAY,
    HypercalcaemiaGrade,
    SurgicalCandidacy,
    corrected_calcium_mg_dl,
    corrected_calcium_mmol_l,
    hypercalcaemia_grade,
    hypercalcaemia_plan,
    mscc_surgical_candidacy,
)


def test_corrected_calcium_worked_example() -> None:
    # 10.8 mg/dL with albumin 2.5 g/dL: 10.8 + 0.8 x (4.0 - 2.5) = 12.0 mg/dL, the Zometa threshold.
    assert corrected_calcium_mg_dl(10.8, 2.5) == pytest.approx(12.0)


def test_corrected_calcium_unchanged_at_normal_albumin_and_lower_with_high_albumin() -> None:
    assert corrected_calcium_mg_dl(9.4, 4.0) == pytest.approx(9.4)
    assert corrected_calcium_mg_dl(10.0, 5.0) == pytest.approx(9.2)


def test_corrected_calcium_si_units() -> None:
    # 2.50 mmol/L with albumin 30 g/L: 2.50 + 0.02 x (40 - 30) = 2.70 mmol/L.
    assert corrected_calcium_mmol_l(2.5, 30) == pytest.approx(2.7)


def test_corrected_calcium_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="albumin"):
        corrected_calcium_mg_dl(10.0, 0)


@pytest.mark.parametrize(
    ("calcium", "grade"),
    [
        (10.5, HypercalcaemiaGrade.none),
        (10.6, HypercalcaemiaGrade.mild),
        (11.9, HypercalcaemiaGrade.mild),
        (12.0, HypercalcaemiaGrade.moderate),
        (14.0, HypercalcaemiaGrade.moderate),
        (14.1, HypercalcaemiaGrade.severe),
    ],
)
def test_hypercalcaemia_grade(calcium: float, grade: HypercalcaemiaGrade) -> None:
    assert hypercalcaemia_grade(calcium) is grade


def test_grade_uses_the_laboratory_upper_limit() -> None:
    assert hypercalcaemia_grade(10.3, upper_limit_of_normal_mg_dl=10.2) is HypercalcaemiaGrade.mild


def test_no_treatment_for_normal_calcium() -> None:
    assert hypercalcaemia_plan(9.5).steps == ()


def test_moderate_hypercalcaemia_hydration_then_antiresorptive() -> None:
    plan = hypercalcaemia_plan(12.5)
    keys = [f.citation_key for f in plan.steps]
    assert keys[0] == "zometa_us_pi"  # hydration first
    assert "endocrine_society2023_hcm" in keys
    assert CALCITONIN not in plan.steps
    assert any("4 mg" in f.statement and "7 days" in f.statement for f in plan.steps)


def test_severe_hypercalcaemia_adds_calcitonin() -> None:
    assert CALCITONIN in hypercalcaemia_plan(14.5).steps


def test_denosumab_when_refractory_or_renal_failure() -> None:
    assert DENOSUMAB_REFRACTORY in hypercalcaemia_plan(13, refractory_to_bisphosphonate=True).steps
    assert DENOSUMAB_RENAL_FAILURE in hypercalcaemia_plan(13, crcl_ml_min=25).steps
    assert DENOSUMAB_RENAL_FAILURE not in hypercalcaemia_plan(13, crcl_ml_min=30).steps


def test_mscc_dexamethasone_16_mg() -> None:
    assert MSCC_DEXAMETHASONE_MG_PER_DAY == 16
    assert "16 mg" in MSCC_DEXAMETHASONE.statement and MSCC_DEXAMETHASONE.citation_key == "nice_ng234"


def _candidacy(**overrides: object) -> SurgicalCandidacy:
    kwargs: dict[str, object] = {
        "neurological_sign_or_symptom": True,
        "single_area_of_compression": True,
        "expected_survival_months": 6,
        "radiosensitive_tumour": False,
        "paraplegia_hours": 0,
        "fit_for_surgery": True,
    }
    kwargs.update(overrides)
    return mscc_surgical_candidacy(**kwargs)  # type: ignore[arg-type]


def test_patchell_eligible_patient_is_a_surgical_candidate() -> None:
    assert _candidacy().candidate is True


@pytest.mark.parametrize(
    "overrides",
    [
        {"expected_survival_months": 2.9},
        {"radiosensitive_tumour": True},
        {"paraplegia_hours": 49},
        {"neurological_sign_or_symptom": False},
        {"single_area_of_compression": False},
    ],
)
def test_patchell_exclusions(overrides: dict[str, object]) -> None:
    assert _candidacy(**overrides).candidate is False


def test_patchell_boundaries_and_unknowns() -> None:
    assert _candidacy(expected_survival_months=3, paraplegia_hours=48).candidate is True
    undecided = _candidacy(fit_for_surgery=None)
    assert undecided.candidate is None and undecided.unknown == ("fit for surgery",)
