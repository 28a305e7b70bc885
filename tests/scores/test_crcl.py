"""Cockcroft-Gault creatinine clearance and the zoledronic acid label's renal bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import parse_case
from bonemet.model.vocabulary import Sex
from bonemet.scores import crcl
from bonemet.scores.crcl import CrclItems, creatinine_clearance_ml_min

# --- the formula, checked by hand ----------------------------------------------------------


def test_67_year_old_man_80_kg_creatinine_1_1_has_a_clearance_of_73_7() -> None:
    # (140 - 67) x 80 / (72 x 1.1) = 5840 / 79.2 = 73.737...
    assert creatinine_clearance_ml_min(67, 80, Sex.male, 1.1) == pytest.approx(73.737, abs=1e-3)
    result = crcl.compute(CrclItems(67, 80, Sex.male, 1.1))
    assert result.total == 73.7
    assert result.band == crcl.BAND_ABOVE_60


def test_the_same_woman_has_85_percent_of_the_mans_clearance() -> None:
    # 73.737... x 0.85 = 62.676...
    assert creatinine_clearance_ml_min(67, 80, Sex.female, 1.1) == pytest.approx(62.677, abs=1e-3)
    assert crcl.compute(CrclItems(67, 80, Sex.female, 1.1)).total == 62.7


def test_80_year_old_woman_50_kg_creatinine_1_5_is_below_30_where_zoledronic_acid_is_not_recommended() -> None:
    # (140 - 80) x 50 / (72 x 1.5) x 0.85 = 3000 / 108 x 0.85 = 23.61...
    result = crcl.compute(CrclItems(80, 50, Sex.female, 1.5))
    assert result.total == 23.6
    assert result.band == crcl.BAND_BELOW_30
    assert "not recommended" in result.interpretation


def test_75_year_old_man_70_kg_creatinine_1_3_falls_in_the_40_to_49_band() -> None:
    # (140 - 75) x 70 / (72 x 1.3) = 4550 / 93.6 = 48.61...
    result = crcl.compute(CrclItems(75, 70, Sex.male, 1.3))
    assert result.total == 48.6
    assert result.band == crcl.BAND_40_TO_49
    assert "reduced zoledronic acid dose" in result.interpretation


# --- the label's bands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clearance", "band"),
    [
        (120.0, crcl.BAND_ABOVE_60),
        (60.1, crcl.BAND_ABOVE_60),
        (60.0, crcl.BAND_50_TO_60),
        (50.0, crcl.BAND_50_TO_60),
        (49.9, crcl.BAND_40_TO_49),
        (49.5, crcl.BAND_40_TO_49),  # in the label's gap: the lower, smaller-dose band
        (40.0, crcl.BAND_40_TO_49),
        (39.9, crcl.BAND_30_TO_39),
        (30.0, crcl.BAND_30_TO_39),
        (29.9, crcl.BAND_BELOW_30),
        (5.0, crcl.BAND_BELOW_30),
    ],
)
def test_bands_follow_the_zometa_renal_table(clearance: float, band: str) -> None:
    assert crcl.band_of(clearance) == band


def test_interpretation_names_the_weight_used_and_that_the_label_does_not_specify_it() -> None:
    text = crcl.compute(CrclItems(67, 80, Sex.male, 1.1)).interpretation
    assert "actual body weight 80 kg" in text
    assert "not which weight" in text


def test_result_is_patient_level_cited_to_cockcroft_gault_and_higher_is_better() -> None:
    result = crcl.compute(CrclItems(67, 80, Sex.male, 1.1))
    assert result.citation is cite("cockcroft_gault1976")
    assert result.higher_is_worse is False
    assert result.lesion_index is None
    assert [source.key for source in crcl.SOURCES] == ["cockcroft_gault1976", "zometa_us_pi"]


def test_items_show_the_numbers_that_enter_the_formula() -> None:
    result = crcl.compute(CrclItems(67, 80, Sex.female, 1.1))
    assert [(item.name, item.value, item.points) for item in result.items] == [
        ("age", "67 years", 67),
        ("weight", "80 kg", 80),
        ("sex", "female", 0.85),
        ("creatinine", "1.1 mg/dL", 1.1),
    ]


# --- refusals -------------------------------------------------------------------------------


def test_unknown_sex_and_creatinine_refuse_the_clearance_and_are_named() -> None:
    result = crcl.compute(CrclItems(67, 80, None, None))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("sex", "creatinine")


def test_a_child_is_not_given_an_adult_cockcroft_gault_clearance() -> None:
    result = crcl.compute(CrclItems(12, 40, Sex.male, 0.5))
    assert result.total is None
    assert "adults" in result.interpretation
    with pytest.raises(ValueError, match="adult"):
        creatinine_clearance_ml_min(12, 40, Sex.male, 0.5)


@pytest.mark.parametrize(("weight", "creatinine"), [(0, 1.0), (70, 0), (-5, 1.0)])
def test_non_positive_weight_or_creatinine_is_rejected(weight: float, creatinine: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        creatinine_clearance_ml_min(60, weight, Sex.male, creatinine)


# --- from the case ----------------------------------------------------------------------------


def test_clearance_from_the_contract_example_case() -> None:
    case = parse_case({"patient": {"age_years": 67, "sex": "male", "weight_kg": 80}, "labs": {"creatinine_mg_dl": 1.1}})
    assert crcl.items_from_case(case) == CrclItems(67, 80, Sex.male, 1.1)
    assert crcl.compute(crcl.items_from_case(case)).total == 73.7


def test_a_case_without_weight_names_weight_as_missing() -> None:
    case = parse_case({"patient": {"age_years": 67, "sex": "male"}, "labs": {"creatinine_mg_dl": 1.1}})
    assert crcl.compute(crcl.items_from_case(case)).missing_items == ("weight",)


# --- properties -------------------------------------------------------------------------------

ages = st.floats(min_value=18, max_value=120, allow_nan=False)
weights = st.floats(min_value=20, max_value=350, allow_nan=False)
creatinines = st.floats(min_value=0.1, max_value=30, allow_nan=False)
sexes = st.sampled_from(list(Sex))


@given(ages, weights, sexes, creatinines)
def test_the_band_always_matches_the_total_shown(age: float, weight: float, sex: Sex, creatinine: float) -> None:
    result = crcl.compute(CrclItems(age, weight, sex, creatinine))
    assert result.total is not None and result.total >= 0
    assert result.band == crcl.band_of(result.total)


@given(ages, ages, weights, weights, sexes, creatinines, creatinines)
def test_older_lighter_female_or_higher_creatinine_never_raises_the_clearance(
    age_a: float, age_b: float, weight_a: float, weight_b: float, sex: Sex, cr_a: float, cr_b: float
) -> None:
    better = creatinine_clearance_ml_min(min(age_a, age_b), max(weight_a, weight_b), Sex.male, min(cr_a, cr_b))
    worse = creatinine_clearance_ml_min(max(age_a, age_b), min(weight_a, weight_b), sex, max(cr_a, cr_b))
    assert worse <= better
