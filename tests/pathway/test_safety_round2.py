"""Clinical safety round 2: rules that fired wrongly, late or not at all (issue 10), through `assess`."""

from __future__ import annotations

from typing import Any

from bonemet.model import parse_case
from bonemet.pathway import assess
from tests.conftest import TODAY, codes, declined, missing_fields, rec, run

BREAST = {"history": "known_primary", "primary": "breast", "hormone_dependent": True, "visceral_metastases": "none"}
LUNG = {"history": "known_primary", "primary": "lung", "targeted_therapy": False, "visceral_metastases": "none"}
ADULT = {"age_years": 60, "sex": "female", "weight_kg": 70, "ecog": 1}
TWO_LESIONS = [
    {"bone": "pelvis", "side": "left", "pattern": "lytic", "pain": "moderate"},
    {"bone": "rib", "side": "right", "pattern": "lytic", "pain": "none"},
]
SPINE = {
    "bone": "spine",
    "level": "T8",
    "pattern": "lytic",
    "spinal_pain": "non_mechanical",
    "alignment": "normal",
    "vertebral_collapse": "none",
    "posterolateral_involvement": "none",
}


def metastatic(**overrides: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": ADULT,
        "cancer": BREAST,
        "presentation": {"bone_pain": True, "neurologic_deficit": "none"},
        "lesions": TWO_LESIONS,
        "labs": {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.4, "albumin_g_dl": 4.0},
        "treatment": {"bone_modifying_agent": "none", "dental_evaluation_done": True},
    }
    case.update(overrides)
    return case


# --- 1. Low calcium -----------------------------------------------------------------------------------


def test_low_corrected_calcium_is_graded_with_the_value_and_holds_denosumab() -> None:
    a = run(metastatic(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 7.8, "albumin_g_dl": 4.0}))
    hypo = rec(a, "urgent.hypocalcemia")
    assert "CTCAE grade 2" in hypo.text and "7.8" in hypo.text
    assert "bma.denosumab" in declined(a) and "bma.denosumab" not in codes(a)
    assert rec(a, "bma.zoledronic_acid").priority.value == "consider"
    assert "lab.hypocalcemia_workup" in codes(a)
    assert "Correct the low calcium first" in rec(a, "bma.calcium_vitamin_d").text


def test_severe_hypocalcaemia_is_an_emergency_for_iv_calcium() -> None:
    a = run(metastatic(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 6.5, "albumin_g_dl": 4.0}))
    hypo = rec(a, "urgent.hypocalcemia")
    assert hypo.priority.value == "emergency" and "calcium gluconate" in hypo.text


def test_known_vitamin_d_and_magnesium_are_not_reordered() -> None:
    labs = {
        "creatinine_mg_dl": 0.9,
        "calcium_mg_dl": 8.2,
        "albumin_g_dl": 4.0,
        "vitamin_d_25oh_ng_ml": 9,
        "magnesium_mg_dl": 1.1,
    }
    a = run(metastatic(labs=labs))
    assert "lab.hypocalcemia_workup" not in codes(a)
    assert any("25-OH vitamin D 9" in r for r in rec(a, "urgent.hypocalcemia").reasons)


# --- 2. Steroids without neurology -------------------------------------------------------------------


def test_high_grade_escc_with_normal_neurology_is_urgent_without_steroids() -> None:
    a = run(metastatic(cancer=LUNG, lesions=[{**SPINE, "escc_grade": "3"}]))
    mscc = rec(a, "urgent.mscc")
    assert mscc.priority.value == "urgent"
    assert mscc.dose is None and "Dexamethasone" not in mscc.text
    assert any("not routine" in r for r in mscc.reasons)


def test_possible_lymphoma_asks_for_haematology_before_further_steroids() -> None:
    a = run(
        {
            "patient": ADULT,
            "cancer": {"history": "none"},
            "presentation": {"neurologic_deficit": "incomplete"},
            "lesions": [{**SPINE, "escc_grade": "2"}],
        }
    )
    assert "discuss with haematology" in rec(a, "urgent.mscc").text


# --- 3. Unfit for SBRT: conventional RT ----------------------------------------------------------------


def test_painful_spine_lesion_unfit_for_sbrt_gets_conventional_radiotherapy() -> None:
    kidney = {"history": "known_primary", "primary": "kidney", "visceral_metastases": "none"}
    a = run(
        metastatic(
            patient={**ADULT, "ecog": 3},
            cancer=kidney,
            lesions=[{**SPINE, "escc_grade": "0"}, TWO_LESIONS[0]],
        )
    )
    assert "rt.sbrt" not in codes(a)
    palliative = rec(a, "rt.palliative")
    assert "T8" in palliative.text
    assert any("SBRT does not fit" in r for r in palliative.reasons)


def test_every_painful_lesion_has_a_treatment_line_or_a_reason() -> None:
    a = run(metastatic(lesions=[*TWO_LESIONS, {**SPINE, "escc_grade": "1b"}]))
    texts = " ".join(r.text for r in a.recommendations)
    by_lesion = {r.lesion_index for r in a.recommendations} | {n.lesion_index for n in a.not_recommended}
    for index, label in ((0, "pelvis"), (2, "T8")):
        assert label in texts or index in by_lesion


# --- 4. Age ----------------------------------------------------------------------------------------------


def test_child_with_a_bone_lesion_goes_to_a_sarcoma_centre_not_an_adult_work_up() -> None:
    a = run(
        {
            "patient": {"age_years": 12, "sex": "male"},
            "cancer": {"history": "none"},
            "presentation": {"bone_pain": True},
            "lesions": [{"bone": "tibia", "segment": "proximal", "pattern": "lytic"}],
        }
    )
    assert rec(a, "referral.orthopedic_oncology").priority.value == "urgent"
    assert not {"lab.psa", "lab.myeloma_screen", "imaging.bone_scan", "biopsy.bone"} & codes(a)
    assert not a.likely_primaries


def test_young_adult_solitary_lesion_without_history_is_a_possible_sarcoma() -> None:
    a = run(
        {
            "patient": {"age_years": 30, "sex": "male"},
            "cancer": {"history": "none"},
            "lesions": [{"bone": "femur", "segment": "shaft", "pattern": "lytic", "cortical_involvement": 0.7}],
        }
    )
    assert "referral.orthopedic_oncology" in codes(a)
    assert "surgery.prophylactic_fixation" in declined(a)
    assert "lab.psa" not in codes(a)


def test_adult_over_40_keeps_the_carcinoma_search() -> None:
    a = run(
        {
            "patient": {"age_years": 65, "sex": "male"},
            "cancer": {"history": "none"},
            "lesions": [{"bone": "pelvis", "pattern": "lytic"}, {"bone": "rib", "pattern": "lytic"}],
        }
    )
    assert {"lab.psa", "lab.myeloma_screen"} <= codes(a)


# --- 5. Treatment blocked by an unknown history -----------------------------------------------------------


def test_unknown_history_with_a_fracture_says_what_blocks_treatment() -> None:
    a = run({"patient": ADULT, "lesions": [{"bone": "humerus", "segment": "shaft", "pathologic_fracture": True}]})
    assert "surgery.fixation" in codes(a)
    why = next(m.why for m in a.missing if m.field == "cancer.history")
    assert "waits for the diagnosis" in why


def test_a_primary_without_the_history_field_counts_as_known_cancer() -> None:
    a = run(metastatic(cancer={"primary": "breast"}))
    assert a.suspicion.level.value == "established"


# --- 6. Re-irradiation ------------------------------------------------------------------------------


def test_previously_irradiated_painful_site_gets_reirradiation_advice() -> None:
    prior = [{"bone": "pelvis", "side": "left", "dose_gy": 8, "fractions": 1, "completed_on": "2026-08-01"}]
    a = run(metastatic(treatment={"bone_modifying_agent": "zoledronic_acid", "prior_radiotherapy": prior}))
    re_rt = rec(a, "rt.reirradiation")
    assert "24 Gy in 6 fractions" in re_rt.text and "20 Gy in 8 fractions" not in re_rt.text
    assert any("months since the first course" in r for r in re_rt.reasons)
    assert "rt.palliative" not in codes(a) or "pelvis" not in rec(a, "rt.palliative").text


def test_free_text_irradiated_site_is_read() -> None:
    a = run(
        metastatic(
            lesions=[{**SPINE, "escc_grade": "0", "spinal_pain": "non_mechanical"}],
            skeletal_burden={"total_lesions": 3},
            treatment={"bone_modifying_agent": "denosumab", "irradiated_sites": ["T7-T9"]},
        )
    )
    assert "rt.reirradiation" in codes(a)


# --- 7. Life-expectancy gates ------------------------------------------------------------------------------


def test_clinician_estimate_under_3_months_declines_the_agent_in_lung_cancer() -> None:
    a = run(metastatic(cancer=LUNG, patient={**ADULT, "life_expectancy_months": 2}))
    assert "bma.zoledronic_acid" in declined(a)
    assert not {"bma.zoledronic_acid", "bma.denosumab"} & codes(a)


def test_breast_cancer_agent_is_not_gated_by_the_3_month_rule() -> None:
    a = run(metastatic(patient={**ADULT, "life_expectancy_months": 2}))
    assert "bma.zoledronic_acid" in codes(a)


def test_under_4_weeks_softens_radiotherapy_for_quality_of_life() -> None:
    a = run(metastatic(patient={**ADULT, "life_expectancy_months": 0.5}))
    palliative = rec(a, "rt.palliative")
    assert palliative.priority.value == "consider"
    assert any("under 4 weeks" in r for r in palliative.reasons)


# --- 8. Cord compression schedules and separation surgery ----------------------------------------------------


def test_radiosensitive_cord_compression_uses_the_mscc_schedules() -> None:
    myeloma = {"history": "known_primary", "primary": "myeloma"}
    a = run(metastatic(cancer=myeloma, lesions=[{**SPINE, "escc_grade": "2"}], skeletal_burden={"total_lesions": 3}))
    assert "16 Gy in 2 fractions" in rec(a, "rt.palliative").text


def test_separation_surgery_is_followed_by_postoperative_stereotactic_radiotherapy() -> None:
    kidney = {"history": "known_primary", "primary": "kidney", "visceral_metastases": "none"}
    a = run(metastatic(cancer=kidney, lesions=[{**SPINE, "escc_grade": "3"}]))
    assert "Stereotactic" in rec(a, "rt.postoperative").text


# --- 9. Whole-spine MRI as an order -------------------------------------------------------------------------


def test_suspected_mscc_emits_the_whole_spine_mri_as_its_own_order() -> None:
    a = run(metastatic(presentation={"neurologic_deficit": "incomplete"}, lesions=[{**SPINE, "escc_grade": "2"}]))
    mri = rec(a, "imaging.mri")
    assert mri.priority.value == "emergency" and "whole spine" in mri.text


# --- 11. Hypercalcaemia with CrCl < 30 ------------------------------------------------------------------------


def test_hypercalcaemia_in_renal_failure_names_denosumab_consistently() -> None:
    a = run(
        metastatic(
            patient={**ADULT, "age_years": 80, "weight_kg": 50},
            labs={"creatinine_mg_dl": 3.0, "calcium_mg_dl": 13.0, "albumin_g_dl": 4.0},
        )
    )
    hcm = rec(a, "urgent.hypercalcemia")
    assert "denosumab 120 mg" in hcm.text and "zoledronic acid 4 mg" not in hcm.text
    assert "bma.zoledronic_acid" in declined(a)


# --- 12. Lymphoma staging -----------------------------------------------------------------------------------


def test_lymphoma_is_staged_by_pet_ct_without_the_myeloma_aside() -> None:
    lymphoma = {"history": "known_primary", "primary": "lymphoma"}
    a = run(metastatic(cancer=lymphoma))
    pet = rec(a, "imaging.pet_ct")
    assert "Lugano" in pet.text and "myeloma" not in pet.text
    assert "imaging.bone_scan" not in codes(a)


# --- 13. Low albumin ---------------------------------------------------------------------------------------


def test_low_albumin_asks_for_ionised_calcium_and_says_the_limit_is_a_default() -> None:
    a = run(metastatic(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 10.2, "albumin_g_dl": 2.2}))
    assert "lab.ionized_calcium" in codes(a)
    assert any("only a default" in r for r in rec(a, "urgent.hypercalcemia").reasons)


def test_normal_ionised_calcium_stands_hypercalcaemia_down() -> None:
    labs = {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 10.2, "albumin_g_dl": 2.2, "ionized_calcium_mmol_l": 1.2}
    a = run(metastatic(labs=labs))
    assert "urgent.hypercalcemia" not in codes(a) and "urgent.hypercalcemia" in declined(a)


# --- 14. Bogus missing data ----------------------------------------------------------------------------------


def test_myeloma_does_not_ask_for_the_primary_and_no_agent_means_no_dental_question() -> None:
    myeloma = {"history": "known_primary", "primary": "myeloma"}
    a = run(metastatic(cancer=myeloma))
    assert "cancer.primary" not in missing_fields(a)
    castration_sensitive = {"history": "known_primary", "primary": "prostate", "castration_resistant": False}
    b = run(metastatic(cancer=castration_sensitive, treatment={"bone_modifying_agent": "none"}))
    assert "treatment.dental_evaluation_done" not in missing_fields(b)


# --- 15. Redundant staging ------------------------------------------------------------------------------------


def test_whole_body_counts_mean_no_new_bone_scan() -> None:
    a = run(metastatic(skeletal_burden={"total_lesions": 7}))
    assert not {"imaging.bone_scan", "imaging.pet_ct"} & codes(a)


# --- 16/17. Contract fields and supportive care ---------------------------------------------------------------


def test_dialysis_leaves_denosumab_only() -> None:
    a = run(metastatic(patient={**ADULT, "dialysis": True}))
    assert "bma.denosumab" in codes(a) and "bma.zoledronic_acid" not in codes(a)


def test_paraplegia_over_48_hours_fails_the_patchell_criteria() -> None:
    a = run(
        metastatic(
            cancer=LUNG,
            presentation={"neurologic_deficit": "complete", "hours_since_loss_of_ambulation": 72},
            lesions=[{**SPINE, "escc_grade": "3"}],
        )
    )
    assert any("paraplegic for more than 48 hours" in r for r in rec(a, "urgent.mscc").reasons)


def test_jaw_osteonecrosis_history_defers_the_agent() -> None:
    a = run(metastatic(treatment={"bone_modifying_agent": "none", "jaw_osteonecrosis_history": True}))
    za = rec(a, "bma.zoledronic_acid")
    assert za.priority.value == "consider" and "osteonecrosis of the jaw" in za.reasons[0]


def test_single_fraction_brings_pain_flare_dexamethasone_and_chow_retreatment() -> None:
    a = run(metastatic())
    palliative = rec(a, "rt.palliative")
    assert any("dexamethasone" in r for r in palliative.reasons)
    assert any(c.startswith("Chow 2012") for c in palliative.citations)


def test_dental_line_says_recall_and_no_elective_extractions() -> None:
    a = run(metastatic(treatment={"bone_modifying_agent": "none", "dental_evaluation_done": False}))
    assert "every 6 months" in rec(a, "bma.dental_evaluation").text


def test_new_fields_are_validated_with_the_field_named() -> None:
    import pytest

    from bonemet.model import CaseError

    with pytest.raises(CaseError) as err:
        parse_case({"treatment": {"prior_radiotherapy": [{"dose_gy": 8}]}})
    assert "prior_radiotherapy" in str(err.value)
    with pytest.raises(CaseError):
        parse_case({"patient": {"life_expectancy_months": -1}})
    assert assess(parse_case({"labs": {"magnesium_mg_dl": 1.8}}), today=TODAY).case_id is None


def test_a_child_with_known_bone_metastases_gets_no_adult_agent_doses() -> None:
    sarcoma = {"history": "known_primary", "primary": "sarcoma", "histology": "Ewing sarcoma"}
    a = run(metastatic(patient={"age_years": 14, "sex": "male", "weight_kg": 50}, cancer=sarcoma))
    assert not {"bma.zoledronic_acid", "bma.denosumab"} & codes(a)
    assert "bma.zoledronic_acid" in declined(a)
    assert not {"lab.psa", "lab.myeloma_screen"} & codes(a)


def test_adult_survival_scores_are_not_applied_to_a_child() -> None:
    sarcoma = {"history": "known_primary", "primary": "sarcoma", "histology": "Ewing sarcoma"}
    a = run(metastatic(patient={"age_years": 14, "sex": "male", "weight_kg": 50}, cancer=sarcoma))
    assert a.prognosis is None
    assert not {s.name.value for s in a.scores} & {"katagiri_new", "tokuhashi_revised", "tomita"}


def test_with_hypercalcaemia_the_agent_says_the_emergency_dose_is_the_first_dose() -> None:
    a = run(metastatic(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 13.0, "albumin_g_dl": 4.0}))
    za = rec(a, "bma.zoledronic_acid")
    assert za.priority.value == "routine"
    assert any("is the first dose" in r for r in za.reasons)
