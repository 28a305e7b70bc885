"""Unknown primary: DESIGN pathway step 3 (Merck 2022, Rougraff 1993, BOAST 2022, ESMO CUP 2015)."""

from __future__ import annotations

from tests.conftest import codes, declined, missing_fields, rec, run

NO_CANCER = {"history": "none"}
MULTIPLE_LYTIC = {
    "cancer": NO_CANCER,
    "presentation": {"bone_pain": True, "pain_unexplained": True},
    "skeletal_burden": {"total_lesions": 4},
    "lesions": [{"bone": "pelvis", "pattern": "lytic"}, {"bone": "rib", "pattern": "lytic"}],
}


def test_multiple_lytic_lesions_without_cancer_start_the_primary_search() -> None:
    a = run({**MULTIPLE_LYTIC, "patient": {"sex": "male"}})
    assert {"exam.primary_search", "imaging.chest_xray", "imaging.ct_chest_abdomen_pelvis"} <= codes(a)


def test_women_get_mammography_not_psa() -> None:
    a = run({**MULTIPLE_LYTIC, "patient": {"sex": "female"}})
    assert "imaging.mammography" in codes(a)
    assert "lab.psa" not in codes(a)


def test_men_get_psa_not_mammography() -> None:
    a = run({**MULTIPLE_LYTIC, "patient": {"sex": "male"}})
    assert "lab.psa" in codes(a)
    assert "imaging.mammography" not in codes(a)


def test_unknown_sex_is_asked_for() -> None:
    a = run(MULTIPLE_LYTIC)
    assert "patient.sex" in missing_fields(a)


def test_lytic_lesions_need_a_myeloma_screen() -> None:
    a = run({**MULTIPLE_LYTIC, "patient": {"sex": "male"}})
    assert "lab.myeloma_screen" in codes(a)


def test_purely_blastic_lesions_do_not_need_a_myeloma_screen() -> None:
    case = {**MULTIPLE_LYTIC, "lesions": [{"bone": "pelvis", "pattern": "blastic"}], "patient": {"sex": "male"}}
    a = run(case)
    assert "lab.myeloma_screen" in declined(a)


def test_biopsy_with_immunohistochemistry_comes_last_if_primary_still_unknown() -> None:
    a = run({**MULTIPLE_LYTIC, "patient": {"sex": "male"}})
    biopsy = rec(a, "biopsy.bone")
    assert "still unknown" in biopsy.text and "PSA" in biopsy.text


def test_solitary_lesion_without_cancer_history_is_referred_before_biopsy() -> None:
    a = run(
        {
            "cancer": NO_CANCER,
            "skeletal_burden": {"total_lesions": 1},
            "lesions": [{"bone": "femur", "segment": "distal", "pattern": "lytic"}],
        }
    )
    assert rec(a, "referral.orthopedic_oncology").priority.value == "urgent"
    assert "biopsy.bone" in declined(a)
    assert "biopsy.bone" not in codes(a)


def test_studies_already_done_are_not_reordered_in_the_search() -> None:
    a = run(
        {
            **MULTIPLE_LYTIC,
            "patient": {"sex": "male"},
            "labs": {"psa_ng_ml": 1.2},
            "imaging": [{"modality": "ct", "region": "chest, abdomen and pelvis"}],
        }
    )
    assert not codes(a) & {"lab.psa", "imaging.ct_chest_abdomen_pelvis", "imaging.chest_xray"}


def test_known_primary_gets_no_primary_search() -> None:
    a = run({**MULTIPLE_LYTIC, "cancer": {"history": "known_primary", "primary": "lung"}})
    assert "exam.primary_search" not in codes(a)
    assert a.likely_primaries == []
