"""Missing Katagiri items give a band range and survival range; the gates read it when it is one band."""

from __future__ import annotations

import copy
from typing import Any

from bonemet.model.vocabulary import ScoreName
from tests.conftest import run
from tests.pathway.test_prognosis_and_summary import SPINE_CASE


def _without_chemotherapy_record(case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(case)
    del data["cancer"]["prior_chemotherapy"]
    return data


def _texts(assessment: Any) -> str:
    parts = []
    for rec in [*assessment.recommendations, *assessment.not_recommended]:
        parts.append(getattr(rec, "text", ""))
        parts.extend(rec.reasons)
    return " ".join(parts)


def test_unknown_chemotherapy_across_a_band_edge_gives_both_bands_and_the_survival_range() -> None:
    # Renal cell moderate 2 + no visceral 0 + labs normal 0 + ECOG 1 0 + multiple skeletal 1 = 3
    # known; previous chemotherapy 0 or 1 -> 3-4: low or intermediate (Katagiri 2014).
    a = run(_without_chemotherapy_record(SPINE_CASE))
    katagiri = next(s for s in a.scores if s.name is ScoreName.katagiri_new)
    assert katagiri.total is None
    assert katagiri.total_range == (3, 4)
    assert katagiri.narrowest_unknown == "previous_chemotherapy"
    outlook = a.prognosis
    assert outlook is not None
    assert outlook.band is None and outlook.survival == {}
    assert outlook.band_range == ["0-3: low risk", "4-6: intermediate risk"]
    assert outlook.survival_range["12_months"] == (0.49, 0.91)
    assert outlook.survival_range["24_months"] == (0.28, 0.78)
    assert outlook.narrowest_unknown == "previous_chemotherapy"
    assert "New Katagiri 3-4" in outlook.interpretation


HIGH_BAND_LUNG: dict[str, Any] = {
    "patient": {"age_years": 66, "sex": "male", "weight_kg": 70, "ecog": 3},
    "cancer": {
        "history": "known_primary",
        "primary": "lung",
        "targeted_therapy": False,
        "visceral_metastases": "disseminated",
    },
    "presentation": {"bone_pain": True, "neurologic_deficit": "none"},
    "skeletal_burden": {"total_lesions": 4},
    "lesions": [{"bone": "pelvis", "pattern": "lytic", "pain": "moderate"}],
    "labs": {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.5, "albumin_g_dl": 4.0, "platelets_10e9_l": 80},
}


def test_a_range_inside_the_high_band_feeds_the_life_expectancy_gate_and_says_so() -> None:
    # Lung without targeted therapy 3 + disseminated 2 + platelets < 100 critical 2 + ECOG 3 1
    # + multiple skeletal 1 = 9 known; previous chemotherapy 0-1 -> 9-10, high risk either way.
    a = run(HIGH_BAND_LUNG)
    katagiri = next(s for s in a.scores if s.name is ScoreName.katagiri_new)
    assert katagiri.total is None and katagiri.total_range == (9, 10)
    outlook = a.prognosis
    assert outlook is not None
    assert outlook.band_range == ["7-10: high risk"]
    assert "from its range 9-10 with previous_chemotherapy unknown" in _texts(a)


def test_with_chemotherapy_recorded_the_gate_reads_the_band_itself() -> None:
    data = copy.deepcopy(HIGH_BAND_LUNG)
    data["cancer"]["prior_chemotherapy"] = True
    a = run(data)
    outlook = a.prognosis
    assert outlook is not None and outlook.band == "7-10: high risk" and outlook.band_range == []
    assert "from its range" not in _texts(a)
    assert "7-10: high risk band" in _texts(a)
