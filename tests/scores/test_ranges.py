"""Missing items give the best/worst-case range over the allowed values, never a point total."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bonemet.scores import tomita
from bonemet.scores.tomita import TomitaBand, TomitaGrowth, TomitaItems, TomitaVisceral

GROWTHS = st.one_of(st.none(), st.sampled_from(list(TomitaGrowth)))
VISCERALS = st.one_of(st.none(), st.sampled_from(list(TomitaVisceral)))
MULTIPLES = st.one_of(st.none(), st.booleans())


def test_unknown_growth_gives_the_range_from_slow_to_rapid_and_no_total() -> None:
    result = tomita.compute(TomitaItems(None, TomitaVisceral.none, True))
    assert result.total is None and result.band is None
    # slow 1 .. rapid 4, plus visceral none 0 and multiple bone 2 (Tomita 2001)
    assert result.total_range == (3, 6)
    assert result.narrowest_unknown == "primary_tumor"
    assert "Tomita 3-6" in result.interpretation
    assert f"{TomitaBand.long_term_local_control.value} to {TomitaBand.short_term_palliation.value}" in (
        result.interpretation
    )


def test_the_unknown_with_the_widest_spread_is_named_as_narrowing_most() -> None:
    # growth spreads 1-4 (3 points), visceral 0-4 (4 points): visceral narrows most.
    result = tomita.compute(TomitaItems(None, None, False))
    assert result.total_range == (2, 9)
    assert result.narrowest_unknown == "visceral_metastases"


def test_a_complete_score_has_no_range() -> None:
    result = tomita.compute(TomitaItems(TomitaGrowth.slow, TomitaVisceral.none, False))
    assert result.total == 2
    assert result.total_range is None and result.narrowest_unknown is None


@given(GROWTHS, VISCERALS, MULTIPLES)
def test_the_range_is_exactly_the_lowest_and_highest_completion(
    growth: TomitaGrowth | None, visceral: TomitaVisceral | None, multiple: bool | None
) -> None:
    result = tomita.compute(TomitaItems(growth, visceral, multiple))
    completions = [
        tomita.compute(TomitaItems(g, v, m)).total
        for g, v, m in itertools.product(
            [growth] if growth is not None else list(TomitaGrowth),
            [visceral] if visceral is not None else list(TomitaVisceral),
            [multiple] if multiple is not None else [False, True],
        )
    ]
    totals = [total for total in completions if total is not None]
    if result.total is not None:
        assert result.total_range is None
        assert totals == [result.total]
    else:
        assert result.total_range == (min(totals), max(totals))


def test_katagiri_with_unknown_laboratory_gives_the_range_not_a_total() -> None:
    from bonemet.model.vocabulary import VisceralMetastases
    from bonemet.scores import katagiri
    from bonemet.scores.katagiri import KatagiriGrowth, KatagiriItems

    # rapid 3 + nodular 1 + ECOG 1 (0) + chemotherapy 1 + multiple 1 = 6 known; laboratory 0-2.
    items = KatagiriItems(KatagiriGrowth.rapid, VisceralMetastases.nodular, None, 1, True, True)
    result = katagiri.compute(items)
    assert result.total is None and result.band is None
    assert result.total_range == (6, 8)
    assert result.narrowest_unknown == "laboratory_data"
    assert "4-6: intermediate risk to 7-10: high risk" in result.interpretation


def test_tokuhashi_with_unknown_primary_site_spans_the_six_rows() -> None:
    from bonemet.model.vocabulary import NeurologicDeficit
    from bonemet.scores import tokuhashi
    from bonemet.scores.performance import KpsRange
    from bonemet.scores.tokuhashi import OrganMetastases, TokuhashiItems

    # KPS 80-100 (2) + extraspinal none (2) + one vertebra (2) + no organ metastases (2)
    # + no palsy (2) = 10 known; primary site 0-5 (Tokuhashi 2005).
    items = TokuhashiItems(KpsRange(80, 80), 0, 1, OrganMetastases.none, None, NeurologicDeficit.none)
    result = tokuhashi.compute(items)
    assert result.total is None
    assert result.total_range == (10, 15)
    assert result.narrowest_unknown == "primary_site"


def test_sins_with_unknown_alignment_and_collapse_keeps_the_lesion_and_names_alignment() -> None:
    from bonemet.model.vocabulary import Pattern, PosterolateralInvolvement, SpinalPain
    from bonemet.scores import sins
    from bonemet.scores.sins import SinsItems, SinsLocation

    # junctional 3 + mechanical pain 3 + lytic 2 + bilateral posterolateral 3 = 11 known;
    # alignment 0-4 and collapse 0-3 unknown (Fisher 2010).
    items = SinsItems(
        SinsLocation.junctional, SpinalPain.mechanical, Pattern.lytic, None, None, PosterolateralInvolvement.bilateral
    )
    result = sins.compute(items, lesion_index=2)
    assert result.total is None and result.lesion_index == 2
    assert result.total_range == (11, 18)
    assert result.narrowest_unknown == "alignment"
    assert "potentially unstable (7-12) to unstable (13-18)" in result.interpretation


def test_mirels_without_pain_gives_the_high_risk_range_without_inventing_a_total() -> None:
    from bonemet.model.vocabulary import Pattern
    from bonemet.scores import mirels
    from bonemet.scores.mirels import MirelsItems, MirelsSite

    # peritrochanteric 3 + lytic 3 + size > 2/3 3 = 9 known; pain 1-3 (Mirels 1989).
    result = mirels.compute(MirelsItems(MirelsSite.peritrochanteric, None, Pattern.lytic, 0.8))
    assert result.total is None and result.band is None
    assert result.total_range == (10, 12)
    assert "Mirels 10-12 (high risk)" in result.interpretation
