"""Revised Tokuhashi score: the published table, bands, worked examples, pitfalls, properties."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import parse_case
from bonemet.model.vocabulary import NeurologicDeficit, ScoreName
from bonemet.scores import tokuhashi
from bonemet.scores.base import ScoreResult
from bonemet.scores.performance import KpsRange
from bonemet.scores.tokuhashi import OrganMetastases, TokuhashiBand, TokuhashiItems
from bonemet.scores.tokuhashi import TokuhashiPrimaryGroup as Row

NONE, INCOMPLETE, COMPLETE = NeurologicDeficit.none, NeurologicDeficit.incomplete, NeurologicDeficit.complete
NO_ORGANS, REMOVABLE, UNREMOVABLE = (
    OrganMetastases.none,
    OrganMetastases.removable,
    OrganMetastases.unremovable,
)
LUNG_ROW = Row.lung_osteosarcoma_stomach_bladder_esophagus_pancreas
LIVER_ROW = Row.liver_gallbladder_unidentified
KIDNEY_ROW = Row.kidney_uterus
BREAST_ROW = Row.thyroid_breast_prostate_carcinoid


def items(
    kps: int | None = 90,
    extraspinal: int | None = 0,
    vertebral: int | None = 1,
    organs: OrganMetastases | None = NO_ORGANS,
    primary: Row | None = BREAST_ROW,
    palsy: NeurologicDeficit | None = NONE,
) -> TokuhashiItems:
    return TokuhashiItems(
        kps=KpsRange.exactly(kps) if kps is not None else None,
        extraspinal_bone_metastases=extraspinal,
        vertebral_body_metastases=vertebral,
        organ_metastases=organs,
        primary_site=primary,
        palsy=palsy,
    )


def points(result: ScoreResult, name: str) -> float | None:
    return next(item.points for item in result.items if item.name == name)


def value(result: ScoreResult, name: str) -> str | None:
    return next(item.value for item in result.items if item.name == name)


def from_case(data: dict[str, Any]) -> ScoreResult:
    return tokuhashi.compute(tokuhashi.items_from_case(parse_case(data)))


# --- the published point table (Tokuhashi 2005) ------------------------------------------------


@pytest.mark.parametrize(
    ("kps", "expected"),
    [(10, 0), (20, 0), (30, 0), (40, 0), (50, 1), (60, 1), (70, 1), (80, 2), (90, 2), (100, 2)],
)
def test_general_condition_is_graded_on_karnofsky(kps: int, expected: int) -> None:
    assert points(tokuhashi.compute(items(kps=kps)), "general_condition") == expected


@pytest.mark.parametrize(("count", "expected"), [(0, 2), (1, 1), (2, 1), (3, 0), (12, 0)])
def test_extraspinal_bone_metastases_none_one_to_two_three_or_more(count: int, expected: int) -> None:
    assert points(tokuhashi.compute(items(extraspinal=count)), "extraspinal_bone_metastases") == expected


@pytest.mark.parametrize(("count", "expected"), [(1, 2), (2, 1), (3, 0), (8, 0)])
def test_vertebral_body_metastases_one_two_three_or_more(count: int, expected: int) -> None:
    assert points(tokuhashi.compute(items(vertebral=count)), "vertebral_body_metastases") == expected


def test_vertebral_item_is_not_the_extraspinal_row_copied() -> None:
    # Pitfall: some reproductions print the vertebral item as ">=3 / 1-2 / 0", copying the
    # extraspinal row. One vertebral metastasis is the best category (2), two is 1.
    one, two = tokuhashi.compute(items(vertebral=1)), tokuhashi.compute(items(vertebral=2))
    assert points(one, "vertebral_body_metastases") == 2
    assert points(two, "vertebral_body_metastases") == 1
    with pytest.raises(ValueError, match="at least 1"):
        items(vertebral=0)


@pytest.mark.parametrize(("organs", "expected"), [(UNREMOVABLE, 0), (REMOVABLE, 1), (NO_ORGANS, 2)])
def test_metastases_to_major_internal_organs(organs: OrganMetastases, expected: int) -> None:
    assert points(tokuhashi.compute(items(organs=organs)), "major_organ_metastases") == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [(LUNG_ROW, 0), (LIVER_ROW, 1), (Row.others, 2), (KIDNEY_ROW, 3), (Row.rectum, 4), (BREAST_ROW, 5)],
)
def test_primary_site_rows_score_0_to_5(row: Row, expected: int) -> None:
    assert points(tokuhashi.compute(items(primary=row)), "primary_site") == expected


@pytest.mark.parametrize(("palsy", "expected"), [(COMPLETE, 0), (INCOMPLETE, 1), (NONE, 2)])
def test_palsy_frankel_a_b_c_d_e(palsy: NeurologicDeficit, expected: int) -> None:
    assert points(tokuhashi.compute(items(palsy=palsy)), "palsy") == expected


# --- bands: 0-8 / 9-11 / 12-15, survival column not inverted -----------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, TokuhashiBand.under_6_months),
        (8, TokuhashiBand.under_6_months),
        (9, TokuhashiBand.six_months_or_more),
        (11, TokuhashiBand.six_months_or_more),
        (12, TokuhashiBand.one_year_or_more),
        (15, TokuhashiBand.one_year_or_more),
    ],
)
def test_band_edges(total: int, band: TokuhashiBand) -> None:
    assert tokuhashi.band_of(total) is band


def test_low_totals_predict_short_survival_not_long() -> None:
    # Pitfall: one public reproduction prints the survival column inverted (0-8 "> 6 months").
    worst = tokuhashi.compute(
        items(kps=10, extraspinal=5, vertebral=5, organs=UNREMOVABLE, primary=LUNG_ROW, palsy=COMPLETE)
    )
    best = tokuhashi.compute(items())
    assert worst.total == 0
    assert "under 6 months" in worst.interpretation
    assert "conservative" in worst.interpretation
    assert best.total == 15
    assert "1 year or more" in best.interpretation
    assert "excisional surgery" in best.interpretation
    assert worst.higher_is_worse is False


# --- worked examples T1-T6 (reference notes, derived from the table) ---------------------------


@pytest.mark.parametrize(
    ("example", "scored", "expected_items", "total", "band"),
    [
        (
            "T1",
            items(90, 0, 1, NO_ORGANS, BREAST_ROW, NONE),
            (2, 2, 2, 2, 5, 2),
            15,
            TokuhashiBand.one_year_or_more,
        ),
        (
            "T2",
            items(40, 3, 3, UNREMOVABLE, LUNG_ROW, COMPLETE),
            (0, 0, 0, 0, 0, 0),
            0,
            TokuhashiBand.under_6_months,
        ),
        (
            "T3",
            items(70, 2, 2, REMOVABLE, KIDNEY_ROW, INCOMPLETE),
            (1, 1, 1, 1, 3, 1),
            8,
            TokuhashiBand.under_6_months,
        ),
        (
            "T4",
            items(60, 3, 3, NO_ORGANS, BREAST_ROW, INCOMPLETE),
            (1, 0, 0, 2, 5, 1),
            9,
            TokuhashiBand.six_months_or_more,
        ),
        (
            "T5",
            items(80, 0, 1, NO_ORGANS, LIVER_ROW, NONE),
            (2, 2, 2, 2, 1, 2),
            11,
            TokuhashiBand.six_months_or_more,
        ),
        (
            "T6",
            items(80, 0, 2, REMOVABLE, Row.rectum, NONE),
            (2, 2, 1, 1, 4, 2),
            12,
            TokuhashiBand.one_year_or_more,
        ),
    ],
)
def test_worked_examples(
    example: str, scored: TokuhashiItems, expected_items: tuple[int, ...], total: int, band: TokuhashiBand
) -> None:
    result = tokuhashi.compute(scored)
    assert tuple(item.points for item in result.items) == expected_items, example
    assert result.total == total
    assert result.band == band.value


# --- from a case ---------------------------------------------------------------------------------


def test_t1_breast_from_a_case() -> None:
    result = from_case(
        {
            "patient": {"kps": 90},
            "cancer": {"primary": "breast", "visceral_metastases": "none", "brain_metastases": False},
            "presentation": {"neurologic_deficit": "none"},
            "lesions": [{"bone": "spine", "level": "T8"}],
        }
    )
    assert result.total == 15
    assert result.name is ScoreName.tokuhashi_revised


def test_t3_kidney_with_counts_and_a_removable_lung_metastasis_from_a_case() -> None:
    result = from_case(
        {
            "patient": {"kps": 70},
            "cancer": {
                "primary": "kidney",
                "visceral_metastases": "nodular",
                "visceral_metastases_resectable": True,
            },
            "presentation": {"neurologic_deficit": "incomplete"},
            "skeletal_burden": {"vertebral_bodies": 2, "extraspinal_lesions": 2},
        }
    )
    assert tuple(item.points for item in result.items) == (1, 1, 1, 1, 3, 1)
    assert result.band == TokuhashiBand.under_6_months.value


def test_t4_prostate_with_many_metastases_from_a_case() -> None:
    result = from_case(
        {
            "patient": {"kps": 60},
            "cancer": {"primary": "prostate", "visceral_metastases": "none", "brain_metastases": False},
            "presentation": {"neurologic_deficit": "incomplete"},
            "skeletal_burden": {"vertebral_bodies": 4, "extraspinal_lesions": 6},
        }
    )
    assert result.total == 9


def test_t5_unknown_primary_scores_as_unidentified_from_a_case() -> None:
    result = from_case(
        {
            "patient": {"kps": 80},
            "cancer": {
                "history": "unknown_primary",
                "visceral_metastases": "none",
                "brain_metastases": False,
            },
            "presentation": {"neurologic_deficit": "none"},
            "lesions": [{"bone": "spine", "level": "L2"}],
        }
    )
    assert points(result, "primary_site") == 1
    assert result.total == 11


def test_ecog_only_is_converted_to_kps_and_flagged() -> None:
    result = from_case({"patient": {"ecog": 3}})
    assert points(result, "general_condition") == 1  # ECOG 3 = KPS 50-60 (Prasad 2018)
    shown = value(result, "general_condition") or ""
    assert "converted from ECOG 3" in shown
    assert "Prasad 2018" in shown


def test_colon_scores_others_and_says_the_reading_is_uncertain_while_rectum_scores_4() -> None:
    colon = from_case({"cancer": {"primary": "colon"}})
    rectum = from_case({"cancer": {"primary": "rectum"}})
    assert points(colon, "primary_site") == 2
    assert "UNCERTAIN" in (value(colon, "primary_site") or "")
    assert points(rectum, "primary_site") == 4


def test_sarcoma_needs_histology_because_only_osteosarcoma_scores_0() -> None:
    unknown = from_case({"cancer": {"primary": "sarcoma"}})
    osteosarcoma = from_case({"cancer": {"primary": "sarcoma", "histology": "osteosarcoma"}})
    liposarcoma = from_case({"cancer": {"primary": "sarcoma", "histology": "liposarcoma"}})
    assert points(unknown, "primary_site") is None
    assert points(osteosarcoma, "primary_site") == 0
    assert points(liposarcoma, "primary_site") == 2


def test_three_listed_spinal_lesions_fix_the_worst_vertebral_category_despite_partial_counts() -> None:
    result = from_case(
        {
            "skeletal_burden": {"total_lesions": 10},
            "lesions": [{"bone": "spine", "level": level} for level in ("T4", "T9", "L1")],
        }
    )
    assert points(result, "vertebral_body_metastases") == 0
    assert "at least 3" in (value(result, "vertebral_body_metastases") or "")
    assert points(result, "extraspinal_bone_metastases") is None


def test_no_vertebral_metastasis_recorded_leaves_the_item_unknown_with_the_reason() -> None:
    result = from_case({"lesions": [{"bone": "femur"}]})
    assert points(result, "vertebral_body_metastases") is None
    assert "applies to spinal metastases" in result.interpretation


def test_unremovability_must_be_known_for_nodular_visceral_metastases() -> None:
    result = from_case({"cancer": {"visceral_metastases": "nodular"}})
    assert points(result, "major_organ_metastases") is None
    disseminated = from_case({"cancer": {"visceral_metastases": "disseminated"}})
    assert points(disseminated, "major_organ_metastases") == 0


def test_no_visceral_metastases_with_brain_unrecorded_scores_none_and_says_so() -> None:
    result = from_case({"cancer": {"visceral_metastases": "none"}})
    assert points(result, "major_organ_metastases") == 2
    assert "brain metastases not recorded" in (value(result, "major_organ_metastases") or "")
    brain = from_case(
        {
            "cancer": {
                "visceral_metastases": "none",
                "brain_metastases": True,
                "visceral_metastases_resectable": False,
            }
        }
    )
    assert points(brain, "major_organ_metastases") == 0


# --- incomplete input is refused, by name --------------------------------------------------------


def test_incomplete_items_give_no_total_and_are_named() -> None:
    result = tokuhashi.compute(items(kps=None, palsy=None))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("general_condition", "palsy")
    assert "general_condition" in result.interpretation
    assert "palsy" in result.interpretation


def test_an_empty_case_is_not_scored_and_explains_each_gap() -> None:
    result = from_case({})
    assert result.total is None
    assert len(result.missing_items) == 6
    assert "performance status not recorded" in result.interpretation


def test_the_citation_is_tokuhashi_2005_and_the_modern_cohort_caveat_is_given() -> None:
    result = tokuhashi.compute(items())
    assert result.citation == cite("tokuhashi2005")
    assert "Carrwik 2020" in result.interpretation
    assert "underestimated" in result.interpretation


# --- properties ----------------------------------------------------------------------------------

# Each item's categories from best to worst, as the table orders them.
KPS_BEST_FIRST = [KpsRange.exactly(k) for k in range(100, 0, -10)]
EXTRASPINAL_BEST_FIRST = [0, 1, 2, 3, 4]
VERTEBRAL_BEST_FIRST = [1, 2, 3, 4]
ORGANS_BEST_FIRST = [NO_ORGANS, REMOVABLE, UNREMOVABLE]
ROWS_BEST_FIRST = [BREAST_ROW, Row.rectum, KIDNEY_ROW, Row.others, LIVER_ROW, LUNG_ROW]
PALSY_BEST_FIRST = [NONE, INCOMPLETE, COMPLETE]
ORDERS: dict[str, list[Any]] = {
    "kps": KPS_BEST_FIRST,
    "extraspinal_bone_metastases": EXTRASPINAL_BEST_FIRST,
    "vertebral_body_metastases": VERTEBRAL_BEST_FIRST,
    "organ_metastases": ORGANS_BEST_FIRST,
    "primary_site": ROWS_BEST_FIRST,
    "palsy": PALSY_BEST_FIRST,
}
COMPLETE_ITEMS = st.builds(
    TokuhashiItems,
    kps=st.sampled_from(KPS_BEST_FIRST),
    extraspinal_bone_metastases=st.integers(0, 30),
    vertebral_body_metastases=st.integers(1, 24),
    organ_metastases=st.sampled_from(ORGANS_BEST_FIRST),
    primary_site=st.sampled_from(ROWS_BEST_FIRST),
    palsy=st.sampled_from(PALSY_BEST_FIRST),
)


@given(COMPLETE_ITEMS)
def test_totals_stay_within_0_to_15(scored: TokuhashiItems) -> None:
    total = tokuhashi.compute(scored).total
    assert total is not None
    assert tokuhashi.MINIMUM_TOTAL <= total <= tokuhashi.MAXIMUM_TOTAL


@given(st.data())
def test_a_worse_item_never_makes_the_prognosis_look_better(data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(sorted(ORDERS)))
    order = ORDERS[field]
    better_index = data.draw(st.integers(0, len(order) - 1))
    worse_index = data.draw(st.integers(better_index, len(order) - 1))
    base = data.draw(COMPLETE_ITEMS)
    better = tokuhashi.compute(replace(base, **{field: order[better_index]})).total
    worse = tokuhashi.compute(replace(base, **{field: order[worse_index]})).total
    assert better is not None and worse is not None
    assert worse <= better  # higher is better for Tokuhashi
