"""Modified Bauer (Leithner 2008): the four favourable factors, bands, worked examples, ranges."""

from __future__ import annotations

from typing import Any

import pytest

from bonemet.model import parse_case
from bonemet.model.vocabulary import ScoreName
from bonemet.pathway.explain import explain_topic
from bonemet.scores import bauer
from bonemet.scores.base import ScoreResult
from bonemet.scores.bauer import BauerItems


def from_case(cancer: dict[str, Any], total_lesions: int) -> ScoreResult:
    case = parse_case(
        {
            "cancer": {"history": "known_primary", **cancer},
            "skeletal_burden": {"total_lesions": total_lesions},
            "lesions": [{"bone": "spine", "level": "T8"}],
        }
    )
    return bauer.compute(bauer.items_from_case(case))


def test_mb1_breast_no_visceral_solitary_scores_4_middle_term_local_control() -> None:
    result = from_case({"primary": "breast", "visceral_metastases": "none"}, total_lesions=1)
    assert result.name is ScoreName.bauer_modified
    assert result.total == 4
    assert result.band == bauer.BAND_LOCAL_CONTROL
    assert not result.higher_is_worse


def test_mb2_prostate_no_visceral_multiple_scores_2_short_term_palliation() -> None:
    result = from_case({"primary": "prostate", "visceral_metastases": "none"}, total_lesions=5)
    assert [item.points for item in result.items] == [1, 1, 0, 0]
    assert result.total == 2
    assert result.band == bauer.BAND_PALLIATION


def test_mb3_lung_visceral_multiple_scores_0_supportive_care() -> None:
    result = from_case({"primary": "lung", "visceral_metastases": "nodular"}, total_lesions=5)
    assert result.total == 0
    assert result.band == bauer.BAND_SUPPORTIVE
    assert "no surgery" in result.interpretation


@pytest.mark.parametrize(("total", "band"), [(0, "0-1"), (1, "0-1"), (2, "2:"), (3, "3-4"), (4, "3-4")])
def test_bands_follow_leithner(total: int, band: str) -> None:
    assert bauer.band_of(total).startswith(band)


def test_unknown_primary_leaves_both_primary_items_unknown_and_gives_a_range() -> None:
    case = parse_case(
        {
            "cancer": {"history": "unknown_primary", "visceral_metastases": "none"},
            "skeletal_burden": {"total_lesions": 1},
            "lesions": [{"bone": "spine", "level": "T8"}],
        }
    )
    result = bauer.compute(bauer.items_from_case(case))
    assert result.total is None
    assert result.missing_items == ("primary_not_lung", "primary_breast_kidney_lymphoma_myeloma")
    assert result.total_range == (2, 4)


def test_no_survival_figure_is_claimed() -> None:
    result = bauer.compute(BauerItems(True, True, False, True))
    assert result.total == 3
    assert "%" not in result.interpretation and "months" not in result.interpretation


def test_explain_names_the_score_and_its_source() -> None:
    text = explain_topic("bauer_modified")
    assert text is not None and "Leithner" in text
