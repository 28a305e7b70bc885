"""Mirels score: every published row and worked example, the band edges, and its properties."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import parse_case
from bonemet.model.vocabulary import Bone, LimbPain, Pattern, Segment
from bonemet.scores import mirels
from bonemet.scores.base import ScoreResult
from bonemet.scores.mirels import MirelsItems, MirelsSite

UPPER, LOWER, PERI = MirelsSite.upper_limb, MirelsSite.lower_limb, MirelsSite.peritrochanteric
SMALL, MIDDLE, LARGE = 0.2, 0.5, 0.8  # < 1/3, 1/3 to 2/3, > 2/3


def score(site: MirelsSite | None, pain: LimbPain | None, pattern: Pattern | None, size: float | None) -> ScoreResult:
    return mirels.compute(MirelsItems(site, pain, pattern, size))


def points(result: ScoreResult, name: str) -> float | None:
    return next(item.points for item in result.items if item.name == name)


def case_with_lesion(**lesion: Any) -> Any:
    return parse_case({"lesions": [lesion]})


# --- the published point table (Mirels 1989) ---------------------------------------------


@pytest.mark.parametrize(("site", "expected"), [(UPPER, 1), (LOWER, 2), (PERI, 3)])
def test_site_scores_upper_limb_1_lower_limb_2_peritrochanteric_3(site: MirelsSite, expected: int) -> None:
    assert points(score(site, LimbPain.mild, Pattern.blastic, SMALL), "site") == expected


@pytest.mark.parametrize(("pain", "expected"), [(LimbPain.mild, 1), (LimbPain.moderate, 2), (LimbPain.functional, 3)])
def test_pain_scores_mild_1_moderate_2_functional_3(pain: LimbPain, expected: int) -> None:
    assert points(score(UPPER, pain, Pattern.blastic, SMALL), "pain") == expected


@pytest.mark.parametrize(("pattern", "expected"), [(Pattern.blastic, 1), (Pattern.mixed, 2), (Pattern.lytic, 3)])
def test_lesion_type_scores_blastic_1_mixed_2_lytic_3(pattern: Pattern, expected: int) -> None:
    assert points(score(UPPER, LimbPain.mild, pattern, SMALL), "lesion_type") == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.0, 1),
        (0.32, 1),
        (0.33, 2),  # one third, as typed
        (1 / 3, 2),
        (0.5, 2),
        (0.67, 2),  # two thirds, as typed
        (2 / 3, 2),
        (0.68, 3),
        (1.0, 3),
    ],
)
def test_size_scores_under_a_third_1_up_to_two_thirds_2_over_two_thirds_3(fraction: float, expected: int) -> None:
    assert mirels.size_points(fraction) == expected


def test_a_painless_lesion_is_scored_as_mild_pain_and_the_output_says_so() -> None:
    result = score(LOWER, LimbPain.none, Pattern.lytic, MIDDLE)
    assert points(result, "pain") == 1
    assert result.total == 2 + 1 + 3 + 2
    pain_value = next(item.value for item in result.items if item.name == "pain")
    assert pain_value is not None and "scored as mild" in pain_value
    assert "painless" in result.interpretation


# --- worked examples (scores.md section 1) ------------------------------------------------


@pytest.mark.parametrize(
    ("label", "items", "total", "band"),
    [
        ("M1", (UPPER, LimbPain.mild, Pattern.blastic, SMALL), 4, mirels.BAND_LOW),
        ("M2", (LOWER, LimbPain.moderate, Pattern.mixed, MIDDLE), 8, mirels.BAND_BORDERLINE),
        ("M3", (PERI, LimbPain.functional, Pattern.lytic, LARGE), 12, mirels.BAND_HIGH),
        ("M4", (UPPER, LimbPain.functional, Pattern.lytic, LARGE), 10, mirels.BAND_HIGH),
        ("M5", (LOWER, LimbPain.mild, Pattern.lytic, MIDDLE), 8, mirels.BAND_BORDERLINE),
    ],
)
def test_worked_examples_total_and_band(
    label: str, items: tuple[MirelsSite, LimbPain, Pattern, float], total: int, band: str
) -> None:
    result = score(*items)
    assert (result.total, result.band) == (total, band), label


def test_m6_peritrochanteric_lytic_lesion_without_pain_is_refused_not_summed_to_9() -> None:
    result = score(PERI, None, Pattern.lytic, LARGE)
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("pain",)
    assert "pain" in result.interpretation
    assert "9" not in result.interpretation


def test_every_item_is_listed_even_when_unknown() -> None:
    result = score(None, None, None, None)
    assert [item.name for item in result.items] == ["site", "pain", "lesion_type", "size"]
    assert result.missing_items == ("site", "pain", "lesion_type", "size")
    assert all(item.value is None and item.points is None for item in result.items)


# --- bands ----------------------------------------------------------------------------------


def test_7_is_low_risk_radiotherapy_and_observation() -> None:
    result = score(LOWER, LimbPain.mild, Pattern.mixed, MIDDLE)
    assert result.total == 7
    assert result.band == mirels.BAND_LOW
    assert "4%" in result.interpretation
    assert "not indicated" in result.interpretation


def test_8_is_borderline_with_15_percent_risk_and_clinical_judgement() -> None:
    result = score(LOWER, LimbPain.moderate, Pattern.mixed, MIDDLE)
    assert result.total == 8
    assert result.band == mirels.BAND_BORDERLINE
    assert "15%" in result.interpretation
    assert "clinical judgement" in result.interpretation


def test_9_recommends_prophylactic_fixation_and_does_not_invent_per_score_risks_above_9() -> None:
    result = score(LOWER, LimbPain.moderate, Pattern.lytic, MIDDLE)
    assert result.total == 9
    assert result.band == mirels.BAND_HIGH
    assert "33%" in result.interpretation
    assert "Prophylactic fixation is recommended" in result.interpretation
    assert "not established" in result.interpretation
    assert "72%" not in result.interpretation


def test_interpretation_warns_that_the_score_is_sensitive_but_not_specific() -> None:
    assert "35%" in score(*(UPPER, LimbPain.mild, Pattern.blastic, SMALL)).interpretation


def test_upper_limb_interpretation_notes_the_insensitive_cutoff_in_the_humerus() -> None:
    assert "humerus" in score(UPPER, LimbPain.functional, Pattern.lytic, LARGE).interpretation
    assert "humerus" not in score(LOWER, LimbPain.functional, Pattern.lytic, LARGE).interpretation


def test_result_is_cited_to_mirels_1989_and_higher_is_worse() -> None:
    result = score(UPPER, LimbPain.mild, Pattern.blastic, SMALL)
    assert result.citation is cite("mirels1989")
    assert result.higher_is_worse is True
    assert "Mirels" in result.to_out().citation


def test_a_fraction_outside_0_to_1_is_rejected() -> None:
    with pytest.raises(ValueError, match="cortical_involvement"):
        MirelsItems(LOWER, LimbPain.mild, Pattern.lytic, 1.5)


# --- items from the case ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bone", "segment", "site"),
    [
        (Bone.femur, Segment.peritrochanteric, PERI),
        (Bone.femur, Segment.neck, PERI),
        (Bone.femur, Segment.shaft, LOWER),
        (Bone.femur, Segment.distal, LOWER),
        (Bone.femur, Segment.proximal, None),
        (Bone.femur, None, None),
        (Bone.tibia, Segment.shaft, LOWER),
        (Bone.fibula, None, LOWER),
        (Bone.humerus, Segment.proximal, UPPER),
        (Bone.radius, None, UPPER),
        (Bone.ulna, Segment.distal, UPPER),
    ],
)
def test_site_comes_from_bone_and_segment(bone: Bone, segment: Segment | None, site: MirelsSite | None) -> None:
    assert mirels.site_of(bone, segment) == site


def test_contract_example_peritrochanteric_femur_lesion_scores_12() -> None:
    case = case_with_lesion(
        bone="femur", segment="peritrochanteric", pattern="lytic", cortical_involvement=0.7, pain="functional"
    )
    items = mirels.items_from_case(case, 0)
    assert items == MirelsItems(PERI, LimbPain.functional, Pattern.lytic, 0.7)
    result = mirels.compute(items, lesion_index=0)
    assert (result.total, result.band, result.lesion_index) == (12, mirels.BAND_HIGH, 0)


def test_humeral_shaft_lesion_from_the_case_scores_as_upper_limb() -> None:
    case = case_with_lesion(bone="humerus", segment="shaft", pattern="blastic", cortical_involvement=0.1, pain="mild")
    assert mirels.compute(mirels.items_from_case(case, 0)).total == 4


def test_proximal_femur_without_a_precise_segment_leaves_site_missing() -> None:
    case = case_with_lesion(bone="femur", segment="proximal", pattern="lytic", cortical_involvement=0.5, pain="mild")
    result = mirels.compute(mirels.items_from_case(case, 0))
    assert result.total is None
    assert result.missing_items == ("site",)


def test_unknown_case_fields_stay_unknown_and_are_named() -> None:
    case = case_with_lesion(bone="tibia")
    assert mirels.compute(mirels.items_from_case(case, 0)).missing_items == ("pain", "lesion_type", "size")


@pytest.mark.parametrize("bone", ["spine", "pelvis", "acetabulum", "rib", "sacrum", "skull"])
def test_mirels_does_not_apply_outside_the_long_bones(bone: str) -> None:
    case = case_with_lesion(bone=bone)
    assert not mirels.applies_to(case.lesions[0])
    with pytest.raises(ValueError, match="long bone"):
        mirels.items_from_case(case, 0)


def test_mirels_does_not_apply_to_a_bone_that_has_already_fractured() -> None:
    case = case_with_lesion(bone="femur", segment="shaft", pathologic_fracture=True)
    assert not mirels.applies_to(case.lesions[0])


# --- properties ---------------------------------------------------------------------------

SITE_ORDER = (UPPER, LOWER, PERI)
PAIN_ORDER = (LimbPain.none, LimbPain.mild, LimbPain.moderate, LimbPain.functional)
PATTERN_ORDER = (Pattern.blastic, Pattern.mixed, Pattern.lytic)
fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
complete_items = st.builds(
    MirelsItems,
    site=st.sampled_from(SITE_ORDER),
    pain=st.sampled_from(PAIN_ORDER),
    pattern=st.sampled_from(PATTERN_ORDER),
    cortical_involvement=fractions,
)


@given(complete_items)
def test_a_complete_score_stays_between_4_and_12_with_its_band(items: MirelsItems) -> None:
    result = mirels.compute(items)
    assert result.total is not None
    assert mirels.MINIMUM_TOTAL <= result.total <= mirels.MAXIMUM_TOTAL
    assert result.band == mirels.band_of(result.total)


@given(
    st.integers(0, 2),
    st.integers(0, 3),
    st.integers(0, 2),
    fractions,
    st.sampled_from(("site", "pain", "pattern", "size")),
    st.integers(1, 3),
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
)
def test_making_any_item_worse_never_lowers_the_total(
    site: int, pain: int, pattern: int, size: float, worsened: str, step: int, extra: float
) -> None:
    def items(site: int, pain: int, pattern: int, size: float) -> MirelsItems:
        return MirelsItems(SITE_ORDER[site], PAIN_ORDER[pain], PATTERN_ORDER[pattern], size)

    base = items(site, pain, pattern, size)
    worse = {
        "site": items(min(site + step, 2), pain, pattern, size),
        "pain": items(site, min(pain + step, 3), pattern, size),
        "pattern": items(site, pain, min(pattern + step, 2), size),
        "size": items(site, pain, pattern, min(size + extra, 1.0)),
    }[worsened]
    base_total, worse_total = mirels.compute(base).total, mirels.compute(worse).total
    assert base_total is not None and worse_total is not None
    assert worse_total >= base_total


@given(complete_items, st.sets(st.sampled_from(("site", "pain", "pattern", "cortical_involvement")), min_size=1))
def test_any_unknown_item_refuses_the_total_and_names_it(items: MirelsItems, unknown: set[str]) -> None:
    result = mirels.compute(replace(items, **dict.fromkeys(unknown)))
    names = {"site": "site", "pain": "pain", "pattern": "lesion_type", "cortical_involvement": "size"}
    assert result.total is None
    assert result.band is None
    assert set(result.missing_items) == {names[field] for field in unknown}
