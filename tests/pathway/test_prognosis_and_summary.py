"""Prognosis for a spine case (revised Tokuhashi, Tomita, new Katagiri) and the patient summary."""

from __future__ import annotations

import re
from typing import Any

from bonemet.model.vocabulary import ScoreName
from tests.conftest import codes, run

# Renal cell carcinoma, one lumbar and one other vertebral body, one extraspinal lesion.
SPINE_CASE: dict[str, Any] = {
    "patient": {"age_years": 58, "sex": "male", "weight_kg": 80, "ecog": 1, "kps": 80},
    "cancer": {
        "history": "known_primary",
        "primary": "kidney",
        "histology": "clear_cell",
        "prior_chemotherapy": True,
        "visceral_metastases": "none",
        "brain_metastases": False,
    },
    "presentation": {"bone_pain": True, "neurologic_deficit": "none"},
    "skeletal_burden": {"total_lesions": 3, "vertebral_bodies": 2, "extraspinal_lesions": 1},
    "lesions": [
        {
            "bone": "spine",
            "level": "L2",
            "pattern": "lytic",
            "spinal_pain": "non_mechanical",
            "alignment": "normal",
            "vertebral_collapse": "none",
            "posterolateral_involvement": "none",
            "escc_grade": "0",
        }
    ],
    "labs": {
        "creatinine_mg_dl": 0.9,
        "calcium_mg_dl": 9.5,
        "albumin_g_dl": 4.0,
        "crp_mg_dl": 0.2,
        "ldh_u_l": 180,
        "platelets_10e9_l": 250,
        "bilirubin_mg_dl": 0.6,
    },
}


def test_spine_case_prognosis_gives_katagiri_with_tokuhashi_and_tomita_and_their_bands() -> None:
    a = run(SPINE_CASE)
    totals = {s.name: s.total for s in a.scores if s.lesion_index is None}
    # Revised Tokuhashi (higher is better): KPS 80 good 2; 1 extraspinal lesion 1; 2 vertebral
    # bodies 1; no organ metastases 2; kidney 3; no palsy 2 = 11 -> 9-11.
    assert totals[ScoreName.tokuhashi_revised] == 11
    # Tomita (higher is worse): kidney moderate growth 2; no visceral 0; multiple bone 2 = 4 -> 4-5.
    assert totals[ScoreName.tomita] == 4
    # New Katagiri: renal cell moderate 2; no visceral 0; labs normal 0; ECOG 1 0; previous
    # chemotherapy 1; multiple skeletal 1 = 4 -> intermediate.
    assert totals[ScoreName.katagiri_new] == 4

    outlook = a.prognosis
    assert outlook is not None
    assert outlook.score is ScoreName.katagiri_new
    assert outlook.band == "4-6: intermediate risk"
    assert outlook.survival == {"6_months": 0.74, "12_months": 0.49, "24_months": 0.28}
    assert outlook.citation.startswith("Katagiri 2014:")

    spine = {e.score: e for e in outlook.spine}
    assert list(spine) == [ScoreName.tokuhashi_revised, ScoreName.tomita]
    assert spine[ScoreName.tokuhashi_revised].band == "9-11: predicted survival 6 months or more"
    assert spine[ScoreName.tokuhashi_revised].estimate.startswith("Revised Tokuhashi 11/15 (higher is better)")
    assert spine[ScoreName.tokuhashi_revised].citation.startswith("Tokuhashi 2005:")
    assert spine[ScoreName.tomita].band == "4-5: middle-term local control"
    assert spine[ScoreName.tomita].estimate.startswith("Tomita 4/10 (higher is worse)")
    assert spine[ScoreName.tomita].citation.startswith("Tomita 2001:")
    cited = {s.citation for s in a.sources}
    assert {outlook.citation, *(e.citation for e in outlook.spine)} <= cited


def test_spine_estimates_move_with_the_case() -> None:
    # Lung without targeted therapy, disseminated visceral disease, incomplete palsy, KPS 40:
    # Tokuhashi 0 + 1 + 1 + 0 + 0 + 1 = 3 (0-8); Tomita 4 + 4 + 2 = 10 (8-10).
    case = {
        **SPINE_CASE,
        "patient": {"age_years": 70, "sex": "male", "weight_kg": 70, "ecog": 3, "kps": 40},
        "cancer": {
            "history": "known_primary",
            "primary": "lung",
            "targeted_therapy": False,
            "prior_chemotherapy": True,
            "visceral_metastases": "disseminated",
        },
        "presentation": {"bone_pain": True, "neurologic_deficit": "incomplete", "neurologic_deficit_new": False},
    }
    outlook = run(case).prognosis
    assert outlook is not None
    spine = {e.score: e for e in outlook.spine}
    assert spine[ScoreName.tokuhashi_revised].band == "0-8: predicted survival under 6 months"
    assert spine[ScoreName.tomita].band == "8-10: terminal care"
    # Katagiri 3 + 2 + 0 + 1 + 1 + 1 = 8: high risk.
    assert outlook.band == "7-10: high risk"
    assert outlook.survival == {"6_months": 0.27, "12_months": 0.06, "24_months": 0.02}


def test_no_spine_estimates_without_spinal_disease() -> None:
    # Same patient, pelvic disease only: Katagiri (same 4 points) without Tokuhashi or Tomita.
    case = {**SPINE_CASE, "skeletal_burden": {"total_lesions": 3}, "lesions": [{"bone": "pelvis", "pattern": "lytic"}]}
    case["presentation"] = {"bone_pain": True}
    a = run(case)
    assert a.prognosis is not None
    assert a.prognosis.band == "4-6: intermediate risk"
    assert a.prognosis.spine == []
    assert not {ScoreName.tokuhashi_revised, ScoreName.tomita} & {s.name for s in a.scores}


# --- Patient summary -------------------------------------------------------------------------------------


def test_patient_summary_for_established_metastases_follows_the_plan_in_plain_words() -> None:
    a = run(SPINE_CASE)
    summary = a.patient_summary
    assert summary.startswith("Your cancer has spread to some of your bones. This is called bone metastasis.")
    assert summary.endswith("Ask them about anything that is not clear.")
    assert {"rt.sbrt", "bma.zoledronic_acid", "bma.dental_evaluation"} <= codes(a)  # renal cell: SBRT (NOMS)
    radiotherapy = summary.index("Radiotherapy to the painful bone eases pain")
    medicine = summary.index("A bone-strengthening medicine")
    dentist = summary.index("See a dentist before starting the bone medicine")
    assert radiotherapy < medicine < dentist
    assert "spinal cord" not in summary  # no cord compression in this plan
    assert not re.search(r"\d", summary)  # no numbers, no doses, no scores
    for jargon in ("zoledronic", "denosumab", "Katagiri", "Tokuhashi", "SINS", "ESCC", "mg"):
        assert jargon not in summary


def test_patient_summary_for_cord_compression_puts_the_emergency_first() -> None:
    case = {
        **SPINE_CASE,
        "presentation": {"bone_pain": True, "neurologic_deficit": "incomplete", "neurologic_deficit_new": True},
        "lesions": [{**SPINE_CASE["lesions"][0], "escc_grade": "3"}],
    }
    a = run(case)
    assert "urgent.mscc" in codes(a)
    sentences = a.patient_summary.split(". ")
    opening_end = next(i for i, s in enumerate(sentences) if s.startswith("It can often be treated well"))
    assert sentences[opening_end + 1].startswith("The cancer may be pressing on your spinal cord")
    assert "cannot pass urine or control your bowels" in a.patient_summary


def test_patient_summary_says_nothing_the_plan_does_not() -> None:
    # Castration-sensitive prostate cancer: no bone-modifying agent, so no medicine or dentist sentence.
    case = {
        **SPINE_CASE,
        "patient": {"age_years": 70, "sex": "male", "weight_kg": 80, "ecog": 1},
        "cancer": {"history": "known_primary", "primary": "prostate", "hormone_dependent": True},
    }
    a = run(case)
    assert not codes(a) & {"bma.zoledronic_acid", "bma.denosumab", "bma.pamidronate"}
    assert "bone-strengthening medicine" not in a.patient_summary
    assert "dentist" not in a.patient_summary


def test_patient_summary_for_low_suspicion_is_reassuring_and_short() -> None:
    case = {
        "patient": {"age_years": 45, "sex": "female"},
        "cancer": {"history": "none"},
        "presentation": {"bone_pain": True, "pain_unexplained": False, "pain_site_count": 1},
    }
    a = run(case)
    assert a.suspicion.level.value == "low"
    assert a.patient_summary.startswith("Nothing found so far points to cancer in your bones.")
    assert "Your cancer has spread" not in a.patient_summary
