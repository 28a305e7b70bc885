"""Emergencies first: cord compression and hypercalcaemia (DESIGN pathway step 7)."""

from __future__ import annotations

from tests.conftest import codes, rec, run

SPINE = {"bone": "spine", "level": "T8"}
KNOWN_LUNG = {"history": "known_primary", "primary": "lung"}


def test_high_grade_epidural_compression_with_unknown_neurology_is_an_emergency_to_examine() -> None:
    a = run({"cancer": KNOWN_LUNG, "lesions": [{**SPINE, "escc_grade": "2"}]})
    mscc = rec(a, "urgent.mscc")
    assert mscc.priority.value == "emergency"
    assert a.recommendations[0].code.value == "urgent.mscc"
    # Steroids depend on the examination (NICE NG234): conditional in the text, no standing dose.
    assert "examine now" in mscc.text and mscc.dose is None


def test_cord_compression_with_a_deficit_gets_dexamethasone_16_mg() -> None:
    a = run(
        {
            "cancer": KNOWN_LUNG,
            "lesions": [{**SPINE, "escc_grade": "2"}],
            "presentation": {"neurologic_deficit": "incomplete"},
        }
    )
    mscc = rec(a, "urgent.mscc")
    assert mscc.priority.value == "emergency"
    assert mscc.dose is not None and mscc.dose.value == 16


def test_grade_3_given_as_a_number_is_accepted_and_urgent() -> None:
    a = run({"cancer": KNOWN_LUNG, "lesions": [{**SPINE, "escc_grade": 3}]})
    assert "urgent.mscc" in codes(a)


def test_new_neurological_deficit_in_known_cancer_is_an_emergency() -> None:
    a = run(
        {"cancer": KNOWN_LUNG, "presentation": {"neurologic_deficit": "incomplete", "neurologic_deficit_new": True}}
    )
    assert rec(a, "urgent.mscc").priority.value == "emergency"


def test_whole_spine_mri_is_asked_for_only_when_not_done() -> None:
    without = run({"cancer": KNOWN_LUNG, "lesions": [{**SPINE, "escc_grade": "2"}]})
    with_mri = run({"cancer": KNOWN_LUNG, "lesions": [{**SPINE, "escc_grade": "2"}], "imaging": [{"modality": "mri"}]})
    assert "MRI of the whole spine" in rec(without, "urgent.mscc").text
    assert "MRI" not in rec(with_mri, "urgent.mscc").text


def test_low_grade_compression_without_deficit_is_not_an_emergency() -> None:
    a = run(
        {
            "cancer": KNOWN_LUNG,
            "lesions": [{**SPINE, "escc_grade": "1b"}],
            "presentation": {"neurologic_deficit": "none"},
        }
    )
    assert "urgent.mscc" not in codes(a)


def test_radiosensitive_tumour_is_not_a_patchell_surgical_candidate() -> None:
    a = run(
        {
            "cancer": {"history": "known_primary", "primary": "myeloma"},
            "lesions": [{**SPINE, "escc_grade": "3"}],
            "presentation": {"neurologic_deficit": "incomplete"},
        }
    )
    assert any("Does not meet the Patchell" in r for r in rec(a, "urgent.mscc").reasons)


def test_hypercalcaemia_is_judged_on_albumin_corrected_calcium() -> None:
    # 11.0 measured with albumin 2.0: corrected 11.0 + 0.8 x 2.0 = 12.6 mg/dL, moderate.
    a = run(
        {
            "cancer": {"history": "known_primary", "primary": "breast"},
            "labs": {"calcium_mg_dl": 11.0, "albumin_g_dl": 2.0},
        }
    )
    hcm = rec(a, "urgent.hypercalcemia")
    assert hcm.priority.value == "emergency"
    assert any("12.6" in r for r in hcm.reasons)


def test_normal_corrected_calcium_is_not_hypercalcaemia() -> None:
    a = run({"labs": {"calcium_mg_dl": 10.2, "albumin_g_dl": 4.4}})
    assert "urgent.hypercalcemia" not in codes(a)


def test_mild_hypercalcaemia_is_urgent_not_an_emergency() -> None:
    a = run({"labs": {"calcium_mg_dl": 11.0, "albumin_g_dl": 4.0}})
    assert rec(a, "urgent.hypercalcemia").priority.value == "urgent"


def test_severe_hypercalcaemia_adds_calcitonin() -> None:
    a = run({"labs": {"calcium_mg_dl": 14.6, "albumin_g_dl": 4.0}})
    assert "calcitonin" in rec(a, "urgent.hypercalcemia").text


def test_emergencies_come_before_everything_else() -> None:
    a = run(
        {
            "cancer": KNOWN_LUNG,
            "presentation": {"bone_pain": True},
            "lesions": [{**SPINE, "escc_grade": "3"}],
            "labs": {"calcium_mg_dl": 13.5, "albumin_g_dl": 3.5},
        }
    )
    assert [r.priority.value for r in a.recommendations[:2]] == ["emergency", "emergency"]
