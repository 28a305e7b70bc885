"""Tomita score: the published table, bands, worked examples, pitfalls, properties."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import parse_case
from bonemet.model.vocabulary import ScoreName
from bonemet.scores import tomita
from bonemet.scores.base import ScoreResult
from bonemet.scores.tomita import TomitaBand, TomitaGrowth, TomitaItems, TomitaVisceral

SLOW, MODERATE, RAPID = TomitaGrowth.slow, TomitaGrowth.moderate, TomitaGrowth.rapid
NONE, TREATABLE, UNTREATABLE = TomitaVisceral.none, TomitaVisceral.treatable, TomitaVisceral.untreatable
SOLITARY, MULTIPLE = False, True


def score(growth: TomitaGrowth | None, visceral: TomitaVisceral | None, multiple: bool | None) -> ScoreResult:
    return tomita.compute(TomitaItems(growth, visceral, multiple))


def points(result: ScoreResult, name: str) -> float | None:
    return next(item.points for item in result.items if item.name == name)


def value(result: ScoreResult, name: str) -> str | None:
    return next(item.value for item in result.items if item.name == name)


def from_case(data: dict[str, Any]) -> ScoreResult:
    return tomita.compute(tomita.items_from_case(parse_case(data)))


# --- the published point table (Tomita 2001) -----------------------------------------------------


@pytest.mark.parametrize(("growth", "expected"), [(SLOW, 1), (MODERATE, 2), (RAPID, 4)])
def test_primary_tumour_growth(growth: TomitaGrowth, expected: int) -> None:
    assert points(score(growth, NONE, SOLITARY), "primary_tumor") == expected


def test_rapid_growth_scores_4_not_3() -> None:
    # Pitfall: a 2018 review table prints 3; only 4 makes the published maximum of 10.
    worst = score(RAPID, UNTREATABLE, MULTIPLE)
    assert points(worst, "primary_tumor") == 4
    assert worst.total == tomita.MAXIMUM_TOTAL == 10


@pytest.mark.parametrize(("visceral", "expected"), [(NONE, 0), (TREATABLE, 2), (UNTREATABLE, 4)])
def test_visceral_metastases(visceral: TomitaVisceral, expected: int) -> None:
    assert points(score(SLOW, visceral, SOLITARY), "visceral_metastases") == expected


@pytest.mark.parametrize(("multiple", "expected"), [(SOLITARY, 1), (MULTIPLE, 2)])
def test_bone_metastases_solitary_or_multiple(multiple: bool, expected: int) -> None:
    assert points(score(SLOW, NONE, multiple), "bone_metastases") == expected


# --- bands: 2-3 / 4-5 / 6-7 / 8-10 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (2, TomitaBand.long_term_local_control),
        (3, TomitaBand.long_term_local_control),
        (4, TomitaBand.middle_term_local_control),
        (5, TomitaBand.middle_term_local_control),
        (6, TomitaBand.short_term_palliation),
        (7, TomitaBand.short_term_palliation),
        (8, TomitaBand.terminal_care),
        (10, TomitaBand.terminal_care),
    ],
)
def test_band_edges(total: int, band: TomitaBand) -> None:
    assert tomita.band_of(total) is band


# --- worked examples To1-To8 (reference notes, derived from the table) ---------------------------


@pytest.mark.parametrize(
    ("example", "growth", "visceral", "multiple", "total", "band", "strategy"),
    [
        ("To1", SLOW, NONE, SOLITARY, 2, TomitaBand.long_term_local_control, "en bloc"),
        ("To2", SLOW, NONE, MULTIPLE, 3, TomitaBand.long_term_local_control, "wide or marginal excision"),
        ("To3", MODERATE, NONE, MULTIPLE, 4, TomitaBand.middle_term_local_control, "intralesional"),
        ("To4", MODERATE, TREATABLE, SOLITARY, 5, TomitaBand.middle_term_local_control, "marginal"),
        ("To5", RAPID, NONE, MULTIPLE, 6, TomitaBand.short_term_palliation, "palliative surgery"),
        ("To6", MODERATE, UNTREATABLE, SOLITARY, 7, TomitaBand.short_term_palliation, "palliative surgery"),
        ("To7", RAPID, TREATABLE, MULTIPLE, 8, TomitaBand.terminal_care, "supportive care"),
        ("To8", RAPID, UNTREATABLE, MULTIPLE, 10, TomitaBand.terminal_care, "supportive care"),
    ],
)
def test_worked_examples(
    example: str,
    growth: TomitaGrowth,
    visceral: TomitaVisceral,
    multiple: bool,
    total: int,
    band: TomitaBand,
    strategy: str,
) -> None:
    result = score(growth, visceral, multiple)
    assert result.total == total, example
    assert result.band == band.value
    assert strategy in result.interpretation
    assert result.higher_is_worse is True


# --- from a case ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("primary", "growth"),
    [
        ("breast", SLOW),
        ("thyroid", SLOW),
        ("prostate", SLOW),
        ("kidney", MODERATE),
        ("uterus", MODERATE),
        ("lung", RAPID),
        ("liver", RAPID),
        ("stomach", RAPID),
        ("colon", RAPID),
    ],
)
def test_primaries_named_in_tomitas_examples_are_placed(primary: str, growth: TomitaGrowth) -> None:
    items = tomita.items_from_case(parse_case({"cancer": {"primary": primary}}))
    assert items.primary_growth is growth


def test_unknown_primary_is_rapid_growth() -> None:
    items = tomita.items_from_case(parse_case({"cancer": {"history": "unknown_primary"}}))
    assert items.primary_growth is RAPID


@pytest.mark.parametrize("primary", ["rectum", "melanoma", "sarcoma", "myeloma"])
def test_primaries_not_in_tomitas_examples_are_left_to_the_clinician(primary: str) -> None:
    result = from_case({"cancer": {"primary": primary}})
    assert points(result, "primary_tumor") is None
    assert "needs a clinician" in result.interpretation


def test_kidney_with_resectable_lung_nodule_and_solitary_spinal_metastasis_from_a_case() -> None:
    result = from_case(
        {
            "cancer": {
                "primary": "kidney",
                "visceral_metastases": "nodular",
                "visceral_metastases_resectable": True,
            },
            "lesions": [{"bone": "spine", "level": "T11"}],
        }
    )
    assert result.total == 5  # To4
    assert result.name is ScoreName.tomita
    assert "taken as treatable" in (value(result, "visceral_metastases") or "")


def test_lung_with_disseminated_disease_and_many_lesions_from_a_case() -> None:
    result = from_case(
        {
            "cancer": {"primary": "lung", "visceral_metastases": "disseminated"},
            "skeletal_burden": {"total_lesions": 7},
        }
    )
    assert result.total == 10  # To8
    assert "untreatable" in (value(result, "visceral_metastases") or "")


def test_non_resectable_nodules_are_read_as_untreatable_and_say_it_is_a_judgement() -> None:
    result = from_case({"cancer": {"visceral_metastases": "nodular", "visceral_metastases_resectable": False}})
    assert points(result, "visceral_metastases") == 4
    assert "clinical judgement" in (value(result, "visceral_metastases") or "")


def test_brain_status_not_recorded_is_scored_as_no_visceral_metastases_but_flagged() -> None:
    result = from_case({"cancer": {"visceral_metastases": "none"}})
    assert points(result, "visceral_metastases") == 0
    assert "brain metastases not recorded" in (value(result, "visceral_metastases") or "")


def test_incomplete_items_give_no_total_and_are_named() -> None:
    result = score(RAPID, None, None)
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("visceral_metastases", "bone_metastases")
    assert "visceral_metastases" in result.interpretation


def test_the_citation_is_tomita_2001_and_the_modern_cohort_caveat_is_given() -> None:
    result = score(SLOW, NONE, SOLITARY)
    assert result.citation == cite("tomita2001")
    assert "Carrwik 2020" in result.interpretation


# --- properties ----------------------------------------------------------------------------------

ORDERS: dict[str, list[Any]] = {
    "primary_growth": [SLOW, MODERATE, RAPID],
    "visceral_metastases": [NONE, TREATABLE, UNTREATABLE],
    "multiple_bone_metastases": [SOLITARY, MULTIPLE],
}
COMPLETE_ITEMS = st.builds(
    TomitaItems,
    primary_growth=st.sampled_from(ORDERS["primary_growth"]),
    visceral_metastases=st.sampled_from(ORDERS["visceral_metastases"]),
    multiple_bone_metastases=st.booleans(),
)


@given(COMPLETE_ITEMS)
def test_totals_stay_within_2_to_10(scored: TomitaItems) -> None:
    total = tomita.compute(scored).total
    assert total is not None
    assert tomita.MINIMUM_TOTAL <= total <= tomita.MAXIMUM_TOTAL


@given(st.data())
def test_a_worse_item_never_lowers_the_score(data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(sorted(ORDERS)))
    order = ORDERS[field]
    better_index = data.draw(st.integers(0, len(order) - 1))
    worse_index = data.draw(st.integers(better_index, len(order) - 1))
    base = data.draw(COMPLETE_ITEMS)
    better = tomita.compute(replace(base, **{field: order[better_index]})).total
    worse = tomita.compute(replace(base, **{field: order[worse_index]})).total
    assert better is not None and worse is not None
    assert worse >= better  # higher is worse for Tomita
