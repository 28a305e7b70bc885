"""Prognosis: new Katagiri survival probabilities, with revised Tokuhashi and Tomita for the spine.

All three come from cohorts treated before current systemic therapy and tend to underestimate
survival today (Carrwik 2020); the interpretations say so.
"""

from __future__ import annotations

from bonemet.model import Prognosis, SurvivalEstimate
from bonemet.model.vocabulary import ScoreName
from bonemet.pathway.context import Context
from bonemet.pathway.pathfx import pathfx_link
from bonemet.scores import katagiri, tokuhashi
from bonemet.scores.base import ScoreResult
from bonemet.scores.katagiri import KatagiriBand
from bonemet.scores.tokuhashi import OLDER_COHORT_CAVEAT, TokuhashiBand

SPINE_SCORES = (ScoreName.tokuhashi_revised, ScoreName.tomita)


def prognosis(ctx: Context) -> Prognosis | None:
    score = ctx.patient_score(ScoreName.katagiri_new)
    if score is None:
        return None
    spine = [
        SurvivalEstimate(
            score=name,
            band=result.band,
            estimate=result.interpretation,
            citation=str(result.citation),
        )
        for name in SPINE_SCORES
        if (result := ctx.patient_score(name)) is not None and result.total is not None
    ]
    band = ctx.katagiri_band
    bands = katagiri.possible_bands(score) if score.total is None else ()
    return Prognosis(
        score=ScoreName.katagiri_new,
        band=score.band,
        survival=katagiri.survival_by_band(band) if band is not None and score.total is not None else {},
        interpretation=score.interpretation,
        citation=str(score.citation),
        spine=spine,
        band_range=[b.value for b in bands],
        survival_range=katagiri.survival_range(bands),
        narrowest_unknown=score.narrowest_unknown,
        pathfx=pathfx_link(ctx.case),
        agreement=agreement(score, ctx.patient_score(ScoreName.tokuhashi_revised)),
        caveats=[OLDER_COHORT_CAVEAT],
    )


# The survival horizon each band speaks to. Katagiri 2014: high band 27% alive at 6 months (most
# die within 6 months), intermediate 74% at 6 months and 49% at 1 year, low 91% at 1 year.
# Tokuhashi 2005: 0-8 under 6 months, 9-11 6 months or more, 12-15 1 year or more.
_KATAGIRI_HORIZON: dict[KatagiriBand, str] = {
    KatagiriBand.high: "under 6 months",
    KatagiriBand.intermediate: "6 months to 1 year",
    KatagiriBand.low: "1 year or more",
}
_TOKUHASHI_HORIZON: dict[TokuhashiBand, str] = {
    TokuhashiBand.under_6_months: "under 6 months",
    TokuhashiBand.six_months_or_more: "6 months to 1 year",
    TokuhashiBand.one_year_or_more: "1 year or more",
}


def agreement(katagiri_score: ScoreResult, tokuhashi_score: ScoreResult | None) -> str:
    """Whether new Katagiri and revised Tokuhashi put the patient in the same survival horizon."""
    if tokuhashi_score is None:
        return ""
    kat_bands = katagiri.possible_bands(katagiri_score)
    tok_bands = _tokuhashi_bands(tokuhashi_score)
    kat = {_KATAGIRI_HORIZON[band] for band in kat_bands}
    tok = {_TOKUHASHI_HORIZON[band] for band in tok_bands}
    if len(kat) != 1 or len(tok) != 1:
        unknown = [*katagiri_score.missing_items, *tokuhashi_score.missing_items]
        return (
            "New Katagiri and revised Tokuhashi cannot be compared yet: "
            f"{', '.join(dict.fromkeys(unknown))} unknown leaves more than one survival horizon open."
        )
    kat_horizon, tok_horizon = kat.pop(), tok.pop()
    if kat_horizon == tok_horizon:
        return f"New Katagiri and revised Tokuhashi agree: expected survival {kat_horizon}."
    return (
        f"New Katagiri and revised Tokuhashi disagree: Katagiri {kat_bands[0].value} ({kat_horizon}), "
        f"Tokuhashi {tok_bands[0].value} ({tok_horizon}). Neither is calibrated to current systemic "
        "therapy: weigh the oncologist's estimate."
    )


def _tokuhashi_bands(score: ScoreResult) -> list[TokuhashiBand]:
    if score.total is not None:
        return [tokuhashi.band_of(score.total)]
    if score.total_range is None:
        return []
    low, high = score.total_range
    return list(dict.fromkeys(tokuhashi.band_of(total) for total in range(int(low), int(high) + 1)))
