"""Skeletal burden from whole-body counts and listed lesions."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bonemet.model import Case, parse_case
from bonemet.scores.burden import (
    extraspinal_metastasis_count,
    has_multiple_skeletal_metastases,
    skeletal_metastasis_count,
    skeletal_metastasis_minimum,
    vertebral_metastasis_count,
    vertebral_metastasis_minimum,
)


def case(burden: dict[str, int] | None = None, lesions: list[dict[str, Any]] | None = None) -> Case:
    return parse_case({"skeletal_burden": burden or {}, "lesions": lesions or []})


SPINE_T8 = {"bone": "spine", "level": "T8"}
SPINE_L2 = {"bone": "spine", "level": "L2"}
FEMUR = {"bone": "femur"}


def test_nothing_recorded_is_unknown_not_solitary() -> None:
    empty = case()
    assert skeletal_metastasis_count(empty) is None
    assert vertebral_metastasis_count(empty) is None
    assert extraspinal_metastasis_count(empty) is None
    assert has_multiple_skeletal_metastases(empty) is None


def test_two_listed_lesions_are_multiple_without_any_count() -> None:
    listed = case(lesions=[SPINE_T8, FEMUR])
    assert has_multiple_skeletal_metastases(listed) is True
    assert skeletal_metastasis_count(listed) == 2


def test_a_single_listed_lesion_with_no_count_is_taken_as_the_complete_list() -> None:
    single = case(lesions=[FEMUR])
    assert skeletal_metastasis_count(single) == 1
    assert has_multiple_skeletal_metastases(single) is False


def test_a_larger_whole_body_count_wins_over_the_listing() -> None:
    counted = case(burden={"total_lesions": 5}, lesions=[FEMUR])
    assert skeletal_metastasis_count(counted) == 5
    assert has_multiple_skeletal_metastases(counted) is True


def test_a_count_smaller_than_the_listing_gives_way_to_it() -> None:
    undercounted = case(burden={"total_lesions": 1}, lesions=[SPINE_T8, SPINE_L2, FEMUR])
    assert skeletal_metastasis_count(undercounted) == 3


def test_total_from_vertebral_and_extraspinal_counts_when_no_total_is_given() -> None:
    parts = case(burden={"vertebral_bodies": 1, "extraspinal_lesions": 0})
    assert skeletal_metastasis_count(parts) == 1
    assert has_multiple_skeletal_metastases(parts) is False


def test_a_partial_count_leaves_the_total_unknown_unless_two_are_certain() -> None:
    one_vertebra_counted = case(burden={"vertebral_bodies": 1}, lesions=[SPINE_T8])
    assert skeletal_metastasis_count(one_vertebra_counted) is None
    assert has_multiple_skeletal_metastases(one_vertebra_counted) is None
    two_vertebrae_counted = case(burden={"vertebral_bodies": 2})
    assert has_multiple_skeletal_metastases(two_vertebrae_counted) is True


def test_a_region_not_counted_is_the_total_less_the_other_region() -> None:
    counted = case(burden={"total_lesions": 3, "vertebral_bodies": 2})
    assert extraspinal_metastasis_count(counted) == 1
    assert vertebral_metastasis_count(case(burden={"total_lesions": 5, "extraspinal_lesions": 5})) == 0


def test_once_counts_are_given_the_listing_is_only_a_lower_bound_per_region() -> None:
    counted_total_only = case(burden={"total_lesions": 4}, lesions=[SPINE_T8])
    assert vertebral_metastasis_count(counted_total_only) is None
    assert vertebral_metastasis_minimum(counted_total_only) == 1


def test_spinal_lesions_at_the_same_level_are_one_vertebral_body() -> None:
    same_level = case(lesions=[SPINE_T8, {"bone": "spine", "level": "T8", "pattern": "lytic"}])
    assert vertebral_metastasis_count(same_level) == 1


def test_sacral_lesions_count_as_vertebral_and_limb_lesions_as_extraspinal() -> None:
    mixed = case(lesions=[{"bone": "sacrum", "level": "S2"}, SPINE_L2, FEMUR, {"bone": "rib"}])
    assert vertebral_metastasis_count(mixed) == 2
    assert extraspinal_metastasis_count(mixed) == 2


def test_a_spinal_lesion_without_a_level_counts_as_one_more_vertebra() -> None:
    unlevelled = case(lesions=[SPINE_T8, {"bone": "spine"}])
    assert vertebral_metastasis_count(unlevelled) == 2


BURDEN = st.fixed_dictionaries(
    {},
    optional={
        "total_lesions": st.integers(0, 12),
        "vertebral_bodies": st.integers(0, 12),
        "extraspinal_lesions": st.integers(0, 12),
    },
)
LESIONS = st.lists(st.sampled_from([SPINE_T8, SPINE_L2, FEMUR, {"bone": "pelvis"}, {"bone": "spine"}]), max_size=5)


@given(BURDEN, LESIONS)
def test_multiple_agrees_with_the_count_and_never_contradicts_the_certain_minimum(
    burden: dict[str, int], lesions: list[dict[str, Any]]
) -> None:
    subject = case(burden, lesions)
    count = skeletal_metastasis_count(subject)
    multiple = has_multiple_skeletal_metastases(subject)
    minimum = skeletal_metastasis_minimum(subject)
    if count is not None:
        assert count >= len(lesions)
        assert count >= minimum
        assert multiple is (count >= 2)
    if minimum >= 2:
        assert multiple is True
