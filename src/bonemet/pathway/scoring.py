"""Run every score that applies to the case, once, for the rules and the output."""

from __future__ import annotations

from bonemet.model import Case
from bonemet.model.vocabulary import ScoreName
from bonemet.scores import bauer, crcl, escc, katagiri, mirels, sins, tokuhashi, tomita
from bonemet.scores.base import ScoreResult

LesionScores = dict[int, dict[ScoreName, ScoreResult]]
PatientScores = dict[ScoreName, ScoreResult]


def lesion_scores(case: Case) -> LesionScores:
    scores: LesionScores = {}
    for index, lesion in enumerate(case.lesions):
        found: dict[ScoreName, ScoreResult] = {}
        if mirels.applies_to(lesion):
            found[ScoreName.mirels] = mirels.compute(mirels.items_from_case(case, index), lesion_index=index)
        if sins.applies_to(lesion):
            found[ScoreName.sins] = sins.compute(sins.items_from_case(case, index), lesion_index=index)
        if escc.applies_to(lesion):
            found[ScoreName.escc] = escc.compute(escc.items_from_case(case, index), lesion_index=index)
        if found:
            scores[index] = found
    return scores


def patient_scores(case: Case, survival_scores_apply: bool) -> PatientScores:
    """CrCl always (drug dosing); survival scores only for a patient with cancer in the skeleton."""
    scores: PatientScores = {
        ScoreName.crcl_cockcroft_gault: crcl.compute(crcl.items_from_case(case)),
    }
    if survival_scores_apply:
        scores[ScoreName.katagiri_new] = katagiri.compute(katagiri.items_from_case(case))
        if any(lesion.is_spinal for lesion in case.lesions) or (case.skeletal_burden.vertebral_bodies or 0) > 0:
            scores[ScoreName.tokuhashi_revised] = tokuhashi.compute(tokuhashi.items_from_case(case))
            scores[ScoreName.tomita] = tomita.compute(tomita.items_from_case(case))
            scores[ScoreName.bauer_modified] = bauer.compute(bauer.items_from_case(case))
    return scores
