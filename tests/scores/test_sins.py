"""SINS: the published table, the worked examples, band edges, the pitfall guards, properties."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import Case, parse_case
from bonemet.model.vocabulary import (
    Alignment,
    Pattern,
    PosterolateralInvolvement,
    SpinalLevel,
    SpinalPain,
    VertebralCollapse,
)
from bonemet.scores import sins
from bonemet.scores.sins import SinsItems, SinsLocation

JUNCTIONAL, MOBILE, SEMI_RIGID, RIGID = (
    SinsLocation.junctional,
    SinsLocation.mobile,
    SinsLocation.semi_rigid,
    SinsLocation.rigid,
)
MECHANICAL, NON_MECHANICAL, PAIN_FREE = SpinalPain.mechanical, SpinalPain.non_mechanical, SpinalPain.none
LYTIC, MIXED, BLASTIC = Pattern.lytic, Pattern.mixed, Pattern.blastic
NORMAL, DEFORMITY, SUBLUXATION = (
    Alignment.normal,
    Alignment.kyphosis_or_scoliosis,
    Alignment.subluxation_or_translation,
)
NO_COLLAPSE, NONE_OVER_50_INVOLVED, UNDER_50, OVER_50 = (
    VertebralCollapse.none,
    VertebralCollapse.none_over_50pct_involved,
    VertebralCollapse.under_50pct,
    VertebralCollapse.over_50pct,
)
NO_PL, UNILATERAL, BILATERAL = (
    PosterolateralInvolvement.none,
    PosterolateralInvolvement.unilateral,
    PosterolateralInvolvement.bilateral,
)
LOWEST = SinsItems(RIGID, PAIN_FREE, BLASTIC, NORMAL, NO_COLLAPSE, NO_PL)


def item_points(items: SinsItems, name: str) -> float | None:
    return next(item.points for item in sins.compute(items).items if item.name == name)


def spine_case(**lesion: Any) -> Case:
    return parse_case({"lesions": [{"bone": "spine", **lesion}]})


# --- the published point table (Fisher 2010) -----------------------------------------------


@pytest.mark.parametrize(("location", "expected"), [(JUNCTIONAL, 3), (MOBILE, 2), (SEMI_RIGID, 1), (RIGID, 0)])
def test_location_scores_junctional_3_mobile_2_semi_rigid_1_rigid_0(location: SinsLocation, expected: int) -> None:
    assert item_points(replace(LOWEST, location=location), "location") == expected


@pytest.mark.parametrize(("pain", "expected"), [(MECHANICAL, 3), (NON_MECHANICAL, 1), (PAIN_FREE, 0)])
def test_pain_scores_mechanical_3_non_mechanical_1_pain_free_0_not_3_2_1(pain: SpinalPain, expected: int) -> None:
    assert item_points(replace(LOWEST, pain=pain), "pain") == expected


@pytest.mark.parametrize(("pattern", "expected"), [(LYTIC, 2), (MIXED, 1), (BLASTIC, 0)])
def test_bone_lesion_scores_lytic_2_mixed_1_blastic_0(pattern: Pattern, expected: int) -> None:
    assert item_points(replace(LOWEST, bone_lesion=pattern), "bone_lesion") == expected


@pytest.mark.parametrize(("alignment", "expected"), [(SUBLUXATION, 4), (DEFORMITY, 2), (NORMAL, 0)])
def test_alignment_scores_subluxation_4_de_novo_deformity_2_normal_0(alignment: Alignment, expected: int) -> None:
    assert item_points(replace(LOWEST, alignment=alignment), "alignment") == expected


@pytest.mark.parametrize(
    ("collapse", "expected"), [(OVER_50, 3), (UNDER_50, 2), (NONE_OVER_50_INVOLVED, 1), (NO_COLLAPSE, 0)]
)
def test_collapse_scores_over_half_3_under_half_2_none_with_over_half_involved_1_none_0(
    collapse: VertebralCollapse, expected: int
) -> None:
    assert item_points(replace(LOWEST, collapse=collapse), "vertebral_collapse") == expected


@pytest.mark.parametrize(("posterolateral", "expected"), [(BILATERAL, 3), (UNILATERAL, 1), (NO_PL, 0)])
def test_posterolateral_scores_bilateral_3_unilateral_1_none_0(
    posterolateral: PosterolateralInvolvement, expected: int
) -> None:
    assert item_points(replace(LOWEST, posterolateral=posterolateral), "posterolateral_involvement") == expected


# --- location from the vertebral level ------------------------------------------------------

L = SpinalLevel


@pytest.mark.parametrize("level", [L.C1, L.C2, L.C7, L.T1, L.T2, L.T11, L.T12, L.L1, L.L5, L.S1])
def test_occiput_c2_c7_t2_t11_l1_and_l5_s1_are_junctional(level: SpinalLevel) -> None:
    assert sins.location_of(level) is JUNCTIONAL


@pytest.mark.parametrize("level", [L.L2, L.L3, L.L4])
def test_l2_to_l4_are_mobile_spine_not_only_the_cervical_levels(level: SpinalLevel) -> None:
    assert sins.location_of(level) is MOBILE


@pytest.mark.parametrize("level", [L.C3, L.C4, L.C5, L.C6])
def test_c3_to_c6_are_mobile_spine(level: SpinalLevel) -> None:
    assert sins.location_of(level) is MOBILE


@pytest.mark.parametrize("level", [L.T3, L.T4, L.T5, L.T6, L.T7, L.T8, L.T9, L.T10])
def test_t3_to_t10_are_semi_rigid(level: SpinalLevel) -> None:
    assert sins.location_of(level) is SEMI_RIGID


@pytest.mark.parametrize("level", [L.S2, L.S3, L.S4, L.S5])
def test_s2_to_s5_are_rigid_while_s1_is_junctional(level: SpinalLevel) -> None:
    assert sins.location_of(level) is RIGID


def test_every_level_from_c1_to_s5_has_exactly_one_location() -> None:
    assigned = [level for levels in sins.LEVELS_BY_LOCATION.values() for level in levels]
    assert sorted(assigned) == sorted(SpinalLevel)


# --- worked examples (scores.md section 2) --------------------------------------------------


@pytest.mark.parametrize(
    ("label", "items", "total", "band"),
    [
        ("S1", SinsItems(SEMI_RIGID, PAIN_FREE, BLASTIC, NORMAL, NO_COLLAPSE, NO_PL), 1, sins.BAND_STABLE),
        (
            "S2",
            SinsItems(JUNCTIONAL, MECHANICAL, LYTIC, NORMAL, UNDER_50, UNILATERAL),
            11,
            sins.BAND_POTENTIALLY_UNSTABLE,
        ),
        (
            "S3",
            SinsItems(JUNCTIONAL, MECHANICAL, LYTIC, SUBLUXATION, OVER_50, BILATERAL),
            18,
            sins.BAND_UNSTABLE,
        ),
        (
            "S4",
            SinsItems(MOBILE, NON_MECHANICAL, MIXED, DEFORMITY, NONE_OVER_50_INVOLVED, NO_PL),
            7,
            sins.BAND_POTENTIALLY_UNSTABLE,
        ),
        ("S5", SinsItems(RIGID, MECHANICAL, LYTIC, NORMAL, NO_COLLAPSE, UNILATERAL), 6, sins.BAND_STABLE),
        (
            "S6",
            SinsItems(MOBILE, MECHANICAL, LYTIC, DEFORMITY, UNDER_50, UNILATERAL),
            12,
            sins.BAND_POTENTIALLY_UNSTABLE,
        ),
        ("S7", SinsItems(MOBILE, MECHANICAL, LYTIC, NORMAL, OVER_50, BILATERAL), 13, sins.BAND_UNSTABLE),
    ],
)
def test_worked_examples_total_and_band(label: str, items: SinsItems, total: int, band: str) -> None:
    result = sins.compute(items)
    assert (result.total, result.band) == (total, band), label


# --- band edges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, sins.BAND_STABLE),
        (6, sins.BAND_STABLE),
        (7, sins.BAND_POTENTIALLY_UNSTABLE),
        (12, sins.BAND_POTENTIALLY_UNSTABLE),
        (13, sins.BAND_UNSTABLE),
        (18, sins.BAND_UNSTABLE),
    ],
)
def test_bands_are_0_to_6_stable_7_to_12_potentially_unstable_13_to_18_unstable(total: int, band: str) -> None:
    assert sins.band_of(total) == band


def test_a_stable_spine_needs_no_surgical_referral_for_instability() -> None:
    result = sins.compute(SinsItems(RIGID, MECHANICAL, LYTIC, NORMAL, NO_COLLAPSE, UNILATERAL))
    assert "No surgical referral" in result.interpretation


def test_7_or_more_recommends_spine_surgical_consultation() -> None:
    result = sins.compute(SinsItems(MOBILE, NON_MECHANICAL, MIXED, DEFORMITY, NONE_OVER_50_INVOLVED, NO_PL))
    assert "surgical consultation is recommended" in result.interpretation


def test_non_mechanical_tumour_pain_on_a_junctional_lytic_lesion_stays_below_referral() -> None:
    # Scoring non-mechanical pain as 2 (a published reproduction error) would give 7 here.
    result = sins.compute(SinsItems(JUNCTIONAL, NON_MECHANICAL, LYTIC, NORMAL, NO_COLLAPSE, NO_PL))
    assert result.total == 6
    assert result.band == sins.BAND_STABLE


def test_result_is_cited_to_fisher_2010_and_higher_is_worse() -> None:
    result = sins.compute(LOWEST)
    assert result.citation is cite("fisher2010_sins")
    assert result.higher_is_worse is True


def test_a_missing_item_refuses_the_total_and_names_the_item() -> None:
    result = sins.compute(replace(LOWEST, pain=None, collapse=None))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("pain", "vertebral_collapse")
    assert "pain" in result.interpretation and "vertebral_collapse" in result.interpretation


# --- items from the case -----------------------------------------------------------------------


def test_l1_lesion_from_the_case_is_example_s2() -> None:
    case = spine_case(
        level="L1",
        pattern="lytic",
        spinal_pain="mechanical",
        alignment="normal",
        vertebral_collapse="under_50pct",
        posterolateral_involvement="unilateral",
    )
    items = sins.items_from_case(case, 0)
    assert items == SinsItems(JUNCTIONAL, MECHANICAL, LYTIC, NORMAL, UNDER_50, UNILATERAL)
    result = sins.compute(items, lesion_index=0)
    assert (result.total, result.lesion_index) == (11, 0)


def test_l3_lesion_from_the_case_scores_the_mobile_spine_2_points() -> None:
    case = spine_case(level="l3", pattern="blastic")
    assert sins.items_from_case(case, 0).location is MOBILE


def test_a_sacral_lesion_at_s3_is_rigid() -> None:
    case = parse_case({"lesions": [{"bone": "sacrum", "level": "S3"}]})
    assert sins.applies_to(case.lesions[0])
    assert sins.items_from_case(case, 0).location is RIGID


def test_a_spinal_lesion_without_a_level_has_an_unknown_location() -> None:
    result = sins.compute(sins.items_from_case(spine_case(pattern="lytic"), 0))
    assert "location" in result.missing_items


def test_sins_does_not_apply_to_a_femoral_lesion() -> None:
    case = parse_case({"lesions": [{"bone": "femur"}]})
    assert not sins.applies_to(case.lesions[0])
    with pytest.raises(ValueError, match="spinal"):
        sins.items_from_case(case, 0)


# --- properties -------------------------------------------------------------------------------

ORDERS: dict[str, tuple[Any, ...]] = {
    "location": (RIGID, SEMI_RIGID, MOBILE, JUNCTIONAL),
    "pain": (PAIN_FREE, NON_MECHANICAL, MECHANICAL),
    "bone_lesion": (BLASTIC, MIXED, LYTIC),
    "alignment": (NORMAL, DEFORMITY, SUBLUXATION),
    "collapse": (NO_COLLAPSE, NONE_OVER_50_INVOLVED, UNDER_50, OVER_50),
    "posterolateral": (NO_PL, UNILATERAL, BILATERAL),
}
complete_items = st.builds(SinsItems, **{field: st.sampled_from(order) for field, order in ORDERS.items()})


@given(complete_items)
def test_a_complete_score_stays_between_0_and_18_with_its_band(items: SinsItems) -> None:
    result = sins.compute(items)
    assert result.total is not None
    assert sins.MINIMUM_TOTAL <= result.total <= sins.MAXIMUM_TOTAL
    assert result.band == sins.band_of(result.total)


@given(complete_items, st.sampled_from(tuple(ORDERS)), st.integers(1, 3))
def test_making_any_item_worse_never_lowers_the_total(items: SinsItems, field: str, step: int) -> None:
    order = ORDERS[field]
    current = order.index(getattr(items, field))
    worse = replace(items, **{field: order[min(current + step, len(order) - 1)]})
    before, after = sins.compute(items).total, sins.compute(worse).total
    assert before is not None and after is not None
    assert after >= before


@given(complete_items, st.sets(st.sampled_from(tuple(ORDERS)), min_size=1))
def test_any_unknown_item_refuses_the_total(items: SinsItems, unknown: set[str]) -> None:
    result = sins.compute(replace(items, **dict.fromkeys(unknown)))
    assert result.total is None
    assert len(result.missing_items) == len(unknown)
