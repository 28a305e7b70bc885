"""The prognosis section says where new Katagiri and revised Tokuhashi agree, and its caveats."""

from __future__ import annotations

import copy

from bonemet.model.vocabulary import ScoreName
from tests.conftest import run
from tests.pathway.test_prognosis_and_summary import SPINE_CASE


def test_katagiri_intermediate_and_tokuhashi_9_to_11_agree_on_6_months_to_1_year() -> None:
    outlook = run(SPINE_CASE).prognosis
    assert outlook is not None
    assert outlook.agreement == "New Katagiri and revised Tokuhashi agree: expected survival 6 months to 1 year."
    assert any("Carrwik 2020" in caveat for caveat in outlook.caveats)


def test_katagiri_high_against_tokuhashi_10_is_called_a_disagreement() -> None:
    data = copy.deepcopy(SPINE_CASE)
    data["patient"] = {"age_years": 58, "sex": "male", "weight_kg": 80, "ecog": 3}
    data["labs"]["platelets_10e9_l"] = 80
    a = run(data)
    totals = {s.name: s.total for s in a.scores if s.lesion_index is None}
    # Katagiri: moderate 2 + visceral 0 + critical platelets 2 + ECOG 3 1 + chemotherapy 1
    # + multiple 1 = 7 (high). Tokuhashi: KPS from ECOG 3 (50-60, moderate 1) + 1 + 1 + 2 + kidney 3 + 2 = 10.
    assert totals[ScoreName.katagiri_new] == 7
    assert totals[ScoreName.tokuhashi_revised] == 10
    outlook = a.prognosis
    assert outlook is not None
    assert outlook.agreement.startswith("New Katagiri and revised Tokuhashi disagree")
    assert "7-10: high risk (under 6 months)" in outlook.agreement
    assert "(6 months to 1 year)" in outlook.agreement


def test_an_open_range_is_not_called_agreement() -> None:
    data = copy.deepcopy(SPINE_CASE)
    del data["cancer"]["prior_chemotherapy"]  # Katagiri 3-4: low or intermediate
    outlook = run(data).prognosis
    assert outlook is not None
    assert outlook.agreement.startswith("New Katagiri and revised Tokuhashi cannot be compared yet")
    assert "previous_chemotherapy" in outlook.agreement


def test_no_spine_score_no_comparison() -> None:
    data = copy.deepcopy(SPINE_CASE)
    data["lesions"] = [{"bone": "femur", "segment": "shaft", "pattern": "lytic"}]
    data["skeletal_burden"] = {"total_lesions": 3}
    outlook = run(data).prognosis
    assert outlook is not None
    assert outlook.agreement == ""
