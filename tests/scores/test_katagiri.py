"""New Katagiri score: the published table, laboratory tiers, bands, survival, examples, properties."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import Labs, parse_case
from bonemet.model.vocabulary import ScoreName, VisceralMetastases
from bonemet.scores import katagiri
from bonemet.scores.base import ScoreResult
from bonemet.scores.katagiri import KatagiriBand, KatagiriGrowth, KatagiriItems, KatagiriLaboratory

SLOW, MODERATE, RAPID = KatagiriGrowth.slow, KatagiriGrowth.moderate, KatagiriGrowth.rapid
NO_VISCERAL, NODULAR, DISSEMINATED = (
    VisceralMetastases.none,
    VisceralMetastases.nodular,
    VisceralMetastases.disseminated,
)
NORMAL, ABNORMAL, CRITICAL = (
    KatagiriLaboratory.normal,
    KatagiriLaboratory.abnormal,
    KatagiriLaboratory.critical,
)

NORMAL_LABS: dict[str, float] = {
    "crp_mg_dl": 0.2,
    "ldh_u_l": 200,
    "albumin_g_dl": 4.0,
    "platelets_10e9_l": 250,
    "calcium_mg_dl": 9.4,
    "bilirubin_mg_dl": 0.6,
}


def items(
    growth: KatagiriGrowth | None = SLOW,
    visceral: VisceralMetastases | None = NO_VISCERAL,
    laboratory: KatagiriLaboratory | None = NORMAL,
    ecog: int | None = 0,
    chemotherapy: bool | None = False,
    multiple: bool | None = False,
) -> KatagiriItems:
    return KatagiriItems(growth, visceral, laboratory, ecog, chemotherapy, multiple)


def points(result: ScoreResult, name: str) -> float | None:
    return next(item.points for item in result.items if item.name == name)


def value(result: ScoreResult, name: str) -> str | None:
    return next(item.value for item in result.items if item.name == name)


def labs(**changes: float) -> Labs:
    return Labs(**{**NORMAL_LABS, **changes})


def from_case(data: dict[str, Any]) -> ScoreResult:
    return katagiri.compute(katagiri.items_from_case(parse_case(data)))


# --- the published point table (Katagiri 2014) ---------------------------------------------------


@pytest.mark.parametrize(("growth", "expected"), [(SLOW, 0), (MODERATE, 2), (RAPID, 3)])
def test_primary_lesion_growth(growth: KatagiriGrowth, expected: int) -> None:
    assert points(katagiri.compute(items(growth=growth)), "primary_lesion") == expected


@pytest.mark.parametrize(("visceral", "expected"), [(NO_VISCERAL, 0), (NODULAR, 1), (DISSEMINATED, 2)])
def test_visceral_or_cerebral_metastases(visceral: VisceralMetastases, expected: int) -> None:
    assert points(katagiri.compute(items(visceral=visceral)), "visceral_metastases") == expected


@pytest.mark.parametrize(("laboratory", "expected"), [(NORMAL, 0), (ABNORMAL, 1), (CRITICAL, 2)])
def test_laboratory_data(laboratory: KatagiriLaboratory, expected: int) -> None:
    assert points(katagiri.compute(items(laboratory=laboratory)), "laboratory_data") == expected


@pytest.mark.parametrize(("ecog", "expected"), [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)])
def test_ecog_3_or_4_scores_1(ecog: int, expected: int) -> None:
    assert points(katagiri.compute(items(ecog=ecog)), "performance_status") == expected


def test_previous_chemotherapy_and_multiple_skeletal_metastases_score_1_each() -> None:
    result = katagiri.compute(items(chemotherapy=True, multiple=True))
    assert points(result, "previous_chemotherapy") == 1
    assert points(result, "multiple_skeletal_metastases") == 1
    assert result.total == 2


def test_ecog_outside_0_to_4_is_refused() -> None:
    with pytest.raises(ValueError, match="ECOG"):
        items(ecog=5)


# --- laboratory tiers: cut-offs, any-of, worst tier not the sum -----------------------------------


@pytest.mark.parametrize(
    ("field", "inside", "outside", "tier"),
    [
        ("crp_mg_dl", 0.39, 0.4, ABNORMAL),
        ("ldh_u_l", 249, 250, ABNORMAL),
        ("albumin_g_dl", 3.7, 3.69, ABNORMAL),
        ("platelets_10e9_l", 100, 99.9, CRITICAL),
        ("calcium_mg_dl", 10.29, 10.3, CRITICAL),
        ("bilirubin_mg_dl", 1.39, 1.4, CRITICAL),
    ],
)
def test_each_laboratory_cut_off(field: str, inside: float, outside: float, tier: KatagiriLaboratory) -> None:
    assert katagiri.laboratory_category(labs(**{field: inside}))[0] is NORMAL
    assert katagiri.laboratory_category(labs(**{field: outside}))[0] is tier


def test_critical_and_abnormal_together_score_the_worst_tier_not_the_sum() -> None:
    category, note = katagiri.laboratory_category(labs(platelets_10e9_l=80, crp_mg_dl=3.0))
    assert category is CRITICAL
    assert "not the sum" in note
    everything_out = labs(
        crp_mg_dl=5, ldh_u_l=900, albumin_g_dl=2.5, platelets_10e9_l=40, calcium_mg_dl=12, bilirubin_mg_dl=3
    )
    assert katagiri.laboratory_category(everything_out)[0] is CRITICAL


def test_no_laboratory_values_is_unknown_not_normal() -> None:
    category, note = katagiri.laboratory_category(Labs())
    assert category is None
    assert "no laboratory values" in note


def test_a_known_critical_value_scores_2_whatever_is_missing() -> None:
    assert katagiri.laboratory_category(Labs(calcium_mg_dl=11.2))[0] is CRITICAL


def test_an_abnormal_value_stays_unknown_while_a_critical_test_is_missing() -> None:
    category, note = katagiri.laboratory_category(Labs(crp_mg_dl=2.0, platelets_10e9_l=250, calcium_mg_dl=9.0))
    assert category is None
    assert "total bilirubin not recorded" in note


def test_an_abnormal_value_with_all_critical_tests_normal_scores_1_despite_other_gaps() -> None:
    partial = Labs(crp_mg_dl=2.0, platelets_10e9_l=250, calcium_mg_dl=9.0, bilirubin_mg_dl=0.5)
    assert katagiri.laboratory_category(partial)[0] is ABNORMAL


def test_normal_needs_all_six_tests() -> None:
    five_normal = Labs(**{k: v for k, v in NORMAL_LABS.items() if k != "ldh_u_l"})
    category, note = katagiri.laboratory_category(five_normal)
    assert category is None
    assert "LDH not recorded" in note
    assert katagiri.laboratory_category(labs())[0] is NORMAL


# --- bands and published survival ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, KatagiriBand.low),
        (3, KatagiriBand.low),
        (4, KatagiriBand.intermediate),
        (6, KatagiriBand.intermediate),
        (7, KatagiriBand.high),
        (10, KatagiriBand.high),
    ],
)
def test_band_edges(total: int, band: KatagiriBand) -> None:
    assert katagiri.band_of(total) is band


def test_survival_by_band_gives_the_abstracts_confirmed_figures() -> None:
    # Katagiri 2014 abstract: <=3: 91% at 1 year, 78% at 2 years; >=7: 27% at 6 months, 6% at 1 year.
    low, high = katagiri.survival_by_band(KatagiriBand.low), katagiri.survival_by_band(KatagiriBand.high)
    assert (low["12_months"], low["24_months"]) == (0.91, 0.78)
    assert (high["6_months"], high["12_months"]) == (0.27, 0.06)
    assert katagiri.survival_by_band(KatagiriBand.intermediate)["12_months"] == 0.49


@pytest.mark.parametrize("band", list(KatagiriBand))
def test_survival_by_band_has_the_three_horizons_and_falls_over_time(band: KatagiriBand) -> None:
    survival = katagiri.survival_by_band(band)
    assert list(survival) == ["6_months", "12_months", "24_months"]
    assert 1 >= survival["6_months"] >= survival["12_months"] >= survival["24_months"] >= 0


def test_worse_bands_have_lower_survival_at_every_horizon() -> None:
    low, mid, high = (katagiri.survival_by_band(band) for band in KatagiriBand)
    for horizon in low:
        assert low[horizon] > mid[horizon] > high[horizon]


def test_survival_by_band_accepts_the_band_label_and_refuses_anything_else() -> None:
    assert katagiri.survival_by_band("0-3: low risk") == katagiri.survival_by_band(KatagiriBand.low)
    with pytest.raises(ValueError, match="unknown Katagiri band"):
        katagiri.survival_by_band("moderate")


def test_survival_by_band_returns_a_copy() -> None:
    katagiri.survival_by_band(KatagiriBand.low)["12_months"] = 0.0
    assert katagiri.survival_by_band(KatagiriBand.low)["12_months"] == 0.91


def test_unconfirmed_survival_figures_are_flagged_in_the_interpretation() -> None:
    result = katagiri.compute(items(growth=RAPID, visceral=DISSEMINATED, ecog=3, chemotherapy=True))
    assert result.band == KatagiriBand.high.value
    assert "27%" in result.interpretation
    assert "2 years 2% (not confirmed against the full paper)" in result.interpretation
    assert "Carrwik 2020" in result.interpretation


# --- worked examples K1-K6 (reference notes, derived from the table) -----------------------------


@pytest.mark.parametrize(
    ("example", "scored", "expected_items", "total", "band"),
    [
        ("K1", items(SLOW, NO_VISCERAL, NORMAL, 1, False, False), (0, 0, 0, 0, 0, 0), 0, KatagiriBand.low),
        (
            "K2",
            items(MODERATE, NODULAR, ABNORMAL, 2, False, True),
            (2, 1, 1, 0, 0, 1),
            5,
            KatagiriBand.intermediate,
        ),
        (
            "K3",
            items(RAPID, DISSEMINATED, CRITICAL, 3, True, True),
            (3, 2, 2, 1, 1, 1),
            10,
            KatagiriBand.high,
        ),
        (
            "K4",
            items(MODERATE, NO_VISCERAL, ABNORMAL, 0, False, False),
            (2, 0, 1, 0, 0, 0),
            3,
            KatagiriBand.low,
        ),
        (
            "K5",
            items(MODERATE, NO_VISCERAL, ABNORMAL, 0, False, True),
            (2, 0, 1, 0, 0, 1),
            4,
            KatagiriBand.intermediate,
        ),
        ("K6", items(RAPID, NODULAR, ABNORMAL, 3, True, False), (3, 1, 1, 1, 1, 0), 7, KatagiriBand.high),
    ],
)
def test_worked_examples(
    example: str, scored: KatagiriItems, expected_items: tuple[int, ...], total: int, band: KatagiriBand
) -> None:
    result = katagiri.compute(scored)
    assert tuple(item.points for item in result.items) == expected_items, example
    assert result.total == total
    assert result.band == band.value


SOLITARY = [{"bone": "femur"}]
MULTIPLE = [{"bone": "femur"}, {"bone": "spine", "level": "T9"}]
NO_SPREAD = {"visceral_metastases": "none", "brain_metastases": False}


@pytest.mark.parametrize(
    ("example", "case", "total"),
    [
        (
            "K1",
            {
                "patient": {"ecog": 1},
                "cancer": {
                    "primary": "breast",
                    "hormone_dependent": True,
                    "prior_chemotherapy": False,
                    **NO_SPREAD,
                },
                "labs": NORMAL_LABS,
                "lesions": SOLITARY,
            },
            0,
        ),
        (
            "K2",
            {
                "patient": {"ecog": 2},
                "cancer": {
                    "primary": "kidney",
                    "histology": "clear cell renal cell carcinoma",
                    "visceral_metastases": "nodular",
                    "prior_chemotherapy": False,
                },
                "labs": {**NORMAL_LABS, "crp_mg_dl": 1.2},
                "lesions": MULTIPLE,
            },
            5,
        ),
        (
            "K3",
            {
                "patient": {"ecog": 3},
                "cancer": {
                    "primary": "lung",
                    "targeted_therapy": False,
                    "visceral_metastases": "disseminated",
                    "prior_chemotherapy": True,
                },
                "labs": {**NORMAL_LABS, "platelets_10e9_l": 80, "crp_mg_dl": 2.5},
                "skeletal_burden": {"total_lesions": 6},
            },
            10,
        ),
        (
            "K4",
            {
                "patient": {"ecog": 0},
                "cancer": {
                    "primary": "prostate",
                    "hormone_dependent": False,
                    "prior_chemotherapy": False,
                    **NO_SPREAD,
                },
                "labs": {**NORMAL_LABS, "albumin_g_dl": 3.5},
                "lesions": SOLITARY,
            },
            3,
        ),
        (
            "K5",
            {
                "patient": {"ecog": 0},
                "cancer": {
                    "primary": "prostate",
                    "hormone_dependent": False,
                    "prior_chemotherapy": False,
                    **NO_SPREAD,
                },
                "labs": {**NORMAL_LABS, "albumin_g_dl": 3.5},
                "lesions": MULTIPLE,
            },
            4,
        ),
        (
            "K6",
            {
                "patient": {"ecog": 3},
                "cancer": {"primary": "colon", "visceral_metastases": "nodular", "prior_chemotherapy": True},
                "labs": {**NORMAL_LABS, "ldh_u_l": 300},
                "skeletal_burden": {"total_lesions": 1},
            },
            7,
        ),
    ],
)
def test_worked_examples_from_cases(example: str, case: dict[str, Any], total: int) -> None:
    result = from_case(case)
    assert result.total == total, (example, result.items)
    assert result.name is ScoreName.katagiri_new


# --- primary groups turn on treatment as well as organ -------------------------------------------


@pytest.mark.parametrize(
    ("cancer", "growth"),
    [
        ({"primary": "breast", "hormone_dependent": True}, SLOW),
        ({"primary": "breast", "hormone_dependent": False}, MODERATE),
        ({"primary": "prostate", "hormone_dependent": True}, SLOW),
        ({"primary": "prostate", "hormone_dependent": False}, MODERATE),
        ({"primary": "lung", "targeted_therapy": True}, MODERATE),
        ({"primary": "lung", "targeted_therapy": False}, RAPID),
        ({"primary": "thyroid"}, SLOW),
        ({"primary": "myeloma"}, SLOW),
        ({"primary": "lymphoma"}, SLOW),
        ({"primary": "kidney"}, MODERATE),
        ({"primary": "kidney", "histology": "urothelial carcinoma of the renal pelvis"}, RAPID),
        ({"primary": "uterus"}, MODERATE),
        ({"primary": "ovary"}, MODERATE),
        ({"primary": "sarcoma"}, MODERATE),
        ({"primary": "other"}, MODERATE),
        ({"primary": "colon"}, RAPID),
        ({"primary": "rectum"}, RAPID),
        ({"primary": "stomach"}, RAPID),
        ({"primary": "pancreas"}, RAPID),
        ({"primary": "head_and_neck"}, RAPID),
        ({"primary": "esophagus"}, RAPID),
        ({"primary": "bladder"}, RAPID),
        ({"primary": "melanoma"}, RAPID),
        ({"primary": "liver"}, RAPID),
        ({"primary": "gallbladder"}, RAPID),
        ({"primary": "cervix"}, RAPID),
        ({"history": "unknown_primary"}, RAPID),
    ],
)
def test_primary_growth_groups(cancer: dict[str, Any], growth: KatagiriGrowth) -> None:
    assert katagiri.items_from_case(parse_case({"cancer": cancer})).primary_growth is growth


@pytest.mark.parametrize(
    ("cancer", "reason"),
    [
        ({"primary": "breast"}, "hormone dependence not recorded"),
        ({"primary": "prostate"}, "hormone dependence not recorded"),
        ({"primary": "lung"}, "targeted therapy not recorded"),
        ({"primary": "testis"}, "needs a clinician"),
        ({"history": "none"}, "no known cancer"),
    ],
)
def test_primary_growth_is_unknown_when_the_deciding_fact_is_missing(cancer: dict[str, Any], reason: str) -> None:
    result = from_case({"cancer": cancer})
    assert points(result, "primary_lesion") is None
    assert reason in result.interpretation


@pytest.mark.parametrize(
    ("cancer", "expected"),
    [
        ({"visceral_metastases": "none", "brain_metastases": True}, NODULAR),
        ({"visceral_metastases": "disseminated", "brain_metastases": True}, DISSEMINATED),
        ({"visceral_metastases": "nodular", "brain_metastases": True}, NODULAR),
        ({"visceral_metastases": "none", "brain_metastases": False}, NO_VISCERAL),
        ({"visceral_metastases": "none"}, NO_VISCERAL),
        ({"brain_metastases": True}, None),
    ],
)
def test_visceral_item_takes_the_worst_of_visceral_and_brain(
    cancer: dict[str, Any], expected: VisceralMetastases | None
) -> None:
    assert katagiri.items_from_case(parse_case({"cancer": cancer})).visceral is expected


def test_brain_status_not_recorded_is_scored_as_none_but_flagged() -> None:
    result = from_case({"cancer": {"visceral_metastases": "none"}})
    assert points(result, "visceral_metastases") == 0
    assert "a brain metastasis would score 1" in (value(result, "visceral_metastases") or "")


def test_kps_only_is_converted_to_ecog_and_flagged() -> None:
    result = from_case({"patient": {"kps": 60}})
    assert points(result, "performance_status") == 1  # KPS 60 = ECOG 3 (Prasad 2018)
    assert "converted from KPS 60" in (value(result, "performance_status") or "")


def test_incomplete_items_give_no_total_and_are_named() -> None:
    result = katagiri.compute(items(laboratory=None, chemotherapy=None))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("laboratory_data", "previous_chemotherapy")
    assert "laboratory_data" in result.interpretation


def test_the_citation_is_katagiri_2014() -> None:
    result = katagiri.compute(items())
    assert result.citation == cite("katagiri2014")
    assert result.higher_is_worse is True


# --- properties ----------------------------------------------------------------------------------

ORDERS: dict[str, list[Any]] = {
    "primary_growth": [SLOW, MODERATE, RAPID],
    "visceral": [NO_VISCERAL, NODULAR, DISSEMINATED],
    "laboratory": [NORMAL, ABNORMAL, CRITICAL],
    "ecog": [0, 1, 2, 3, 4],
    "previous_chemotherapy": [False, True],
    "multiple_skeletal_metastases": [False, True],
}
COMPLETE_ITEMS = st.builds(
    KatagiriItems,
    primary_growth=st.sampled_from(ORDERS["primary_growth"]),
    visceral=st.sampled_from(ORDERS["visceral"]),
    laboratory=st.sampled_from(ORDERS["laboratory"]),
    ecog=st.integers(0, 4),
    previous_chemotherapy=st.booleans(),
    multiple_skeletal_metastases=st.booleans(),
)


@given(COMPLETE_ITEMS)
def test_totals_stay_within_0_to_10(scored: KatagiriItems) -> None:
    total = katagiri.compute(scored).total
    assert total is not None
    assert katagiri.MINIMUM_TOTAL <= total <= katagiri.MAXIMUM_TOTAL


@given(st.data())
def test_a_worse_item_never_lowers_the_score(data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(sorted(ORDERS)))
    order = ORDERS[field]
    better_index = data.draw(st.integers(0, len(order) - 1))
    worse_index = data.draw(st.integers(better_index, len(order) - 1))
    base = data.draw(COMPLETE_ITEMS)
    better = katagiri.compute(replace(base, **{field: order[better_index]})).total
    worse = katagiri.compute(replace(base, **{field: order[worse_index]})).total
    assert better is not None and worse is not None
    assert worse >= better  # higher is worse for Katagiri


LAB_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "crp_mg_dl": st.floats(0, 20),
        "ldh_u_l": st.floats(50, 2000),
        "albumin_g_dl": st.floats(1.5, 5.5),
        "platelets_10e9_l": st.floats(5, 600),
        "calcium_mg_dl": st.floats(6, 16),
        "bilirubin_mg_dl": st.floats(0.1, 10),
    },
)


OUT_OF_RANGE_LABS: dict[str, float] = {
    "crp_mg_dl": 5.0,
    "ldh_u_l": 900,
    "albumin_g_dl": 2.0,
    "platelets_10e9_l": 40,
    "calcium_mg_dl": 12.0,
    "bilirubin_mg_dl": 3.0,
}


@given(LAB_VALUES, st.sampled_from(list(NORMAL_LABS)))
def test_a_tier_given_on_a_partial_panel_survives_any_result_of_a_missing_test(
    known: dict[str, float], missing: str
) -> None:
    category = katagiri.laboratory_category(Labs(**known))[0]
    if category is None or missing in known:
        return
    for result in (NORMAL_LABS[missing], OUT_OF_RANGE_LABS[missing]):
        assert katagiri.laboratory_category(Labs(**{**known, missing: result}))[0] is category
