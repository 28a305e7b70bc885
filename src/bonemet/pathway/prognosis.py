"""Prognosis: new Katagiri survival probabilities, with revised Tokuhashi and Tomita for the spine.

All three come from cohorts treated before current systemic therapy and tend to underestimate
survival today (Carrwik 2020); the interpretations say so.
"""

from __future__ import annotations

from bonemet.model import Prognosis, SurvivalEstimate
from bonemet.model.vocabulary import ScoreName
from bonemet.pathway.context import Context
from bonemet.pathway.pathfx import pathfx_link
from bonemet.scores import katagiri

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
    )
