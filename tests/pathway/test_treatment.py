"""Treatment: radiation, bone-modifying agents, surgery and procedures (DESIGN pathway step 5)."""

from __future__ import annotations

from typing import Any

from tests.conftest import codes, declined, missing_fields, rec, run


def established(primary: str = "breast", **extra: Any) -> dict[str, Any]:
    """Multiple lesions in known cancer: bone metastases established."""
    case: dict[str, Any] = {
        "patient": {"age_years": 60, "sex": "female", "weight_kg": 70, "ecog": 1},
        "cancer": {"history": "known_primary", "primary": primary},
        "presentation": {"bone_pain": True, "pain_unexplained": True},
        "skeletal_burden": {"total_lesions": 4},
        "labs": {"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.5, "albumin_g_dl": 4.0},
    }
    case.update(extra)
    return case


FEMUR = {"bone": "femur", "segment": "peritrochanteric", "pattern": "lytic", "cortical_involvement": 0.8}


def test_painful_bone_metastases_get_palliative_radiotherapy() -> None:
    assert "rt.palliative" in codes(run(established()))


def test_short_expected_survival_gets_a_single_fraction() -> None:
    case = established(
        "lung",
        patient={"age_years": 70, "sex": "male", "weight_kg": 70, "ecog": 3},
        cancer={
            "history": "known_primary",
            "primary": "lung",
            "prior_chemotherapy": True,
            "visceral_metastases": "disseminated",
            "targeted_therapy": False,
        },
        labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.5, "albumin_g_dl": 3.0, "platelets_10e9_l": 80},
        lesions=[{"bone": "pelvis", "pattern": "lytic"}, {"bone": "rib", "pattern": "lytic"}],
    )
    a = run(case)
    assert a.prognosis is not None and a.prognosis.band is not None and "high" in a.prognosis.band
    assert "8 Gy x 1 preferred" in rec(a, "rt.palliative").text


def test_a_single_unconfirmed_lesion_is_not_treated_before_biopsy() -> None:
    a = run(established(skeletal_burden={"total_lesions": 1}, lesions=[{"bone": "rib"}]))
    assert "biopsy.bone" in codes(a)
    assert not codes(a) & {"rt.palliative", "bma.zoledronic_acid", "bma.denosumab"}


def test_zoledronic_acid_dose_follows_the_renal_table() -> None:
    # Cockcroft-Gault: (140-78) x 55 / (72 x 1.3) x 0.85 = 31.0 mL/min -> 3.0 mg (Zometa label).
    case = established(patient={"age_years": 78, "sex": "female", "weight_kg": 55}, labs={"creatinine_mg_dl": 1.3})
    dose = rec(run(case), "bma.zoledronic_acid").dose
    assert dose is not None and dose.value == 3.0 and dose.unit == "mg"
    assert "31.0 mL/min" in dose.basis


def test_normal_renal_function_gets_the_full_4_mg() -> None:
    dose = rec(run(established()), "bma.zoledronic_acid").dose
    assert dose is not None and dose.value == 4.0


def test_severe_renal_impairment_excludes_zoledronic_acid_and_leaves_denosumab() -> None:
    # (140-81) x 62 / (72 x 2.6) = 19.5 mL/min.
    case = established(
        "prostate",
        patient={"age_years": 81, "sex": "male", "weight_kg": 62},
        cancer={"history": "known_primary", "primary": "prostate", "hormone_dependent": False},
        labs={"creatinine_mg_dl": 2.6, "calcium_mg_dl": 9.0, "albumin_g_dl": 4.0},
    )
    a = run(case)
    assert "bma.zoledronic_acid" in declined(a)
    assert rec(a, "bma.denosumab").priority.value == "routine"
    assert any("hypocalcaemia" in r.lower() for r in rec(a, "bma.denosumab").reasons)


def test_castration_sensitive_prostate_cancer_gets_no_bone_agent() -> None:
    case = established(
        "prostate", cancer={"history": "known_primary", "primary": "prostate", "hormone_dependent": True}
    )
    a = run(case)
    assert not codes(a) & {"bma.zoledronic_acid", "bma.denosumab"}
    assert "bma.zoledronic_acid" in declined(a)


def test_dental_examination_comes_before_a_bone_agent() -> None:
    assert "bma.dental_evaluation" in codes(run(established()))
    done = established(treatment={"dental_evaluation_done": True})
    assert "bma.dental_evaluation" not in codes(run(done))


def test_calcium_and_vitamin_d_accompany_the_agent_unless_hypercalcaemic() -> None:
    assert "bma.calcium_vitamin_d" in codes(run(established()))
    high = run(established(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 12.5, "albumin_g_dl": 4.0}))
    assert "bma.calcium_vitamin_d" in declined(high)


def test_patient_already_on_an_agent_is_not_started_on_another() -> None:
    a = run(established(treatment={"bone_modifying_agent": "denosumab", "dental_evaluation_done": True}))
    assert not codes(a) & {"bma.zoledronic_acid", "bma.denosumab", "bma.pamidronate"}


def test_mirels_9_or_more_gets_prophylactic_fixation_then_postoperative_radiation() -> None:
    a = run(established(lesions=[{**FEMUR, "pain": "functional"}]))
    fix = rec(a, "surgery.prophylactic_fixation", lesion_index=0)
    assert fix.priority.value == "urgent"
    assert "rt.postoperative" in codes(a)
    assert any(s.name.value == "mirels" and s.total == 12 for s in a.scores)


def test_mirels_8_is_borderline() -> None:
    lesion = {"bone": "femur", "segment": "shaft", "pattern": "mixed", "cortical_involvement": 0.5, "pain": "moderate"}
    a = run(established(lesions=[lesion]))
    assert rec(a, "surgery.prophylactic_fixation").priority.value == "consider"


def test_mirels_7_or_less_is_not_fixed() -> None:
    lesion = {"bone": "humerus", "segment": "shaft", "pattern": "blastic", "cortical_involvement": 0.2, "pain": "mild"}
    a = run(established(lesions=[lesion]))
    assert "surgery.prophylactic_fixation" in declined(a)


def test_unknown_mirels_items_are_asked_for() -> None:
    a = run(established(lesions=[{"bone": "femur", "segment": "shaft", "pattern": "lytic"}]))
    assert {"lesions[0].cortical_involvement", "lesions[0].pain"} <= missing_fields(a)


def test_actual_pathologic_fracture_is_fixed() -> None:
    a = run(established(lesions=[{"bone": "humerus", "segment": "shaft", "pathologic_fracture": True}]))
    assert rec(a, "surgery.fixation").priority.value == "urgent"
    assert "rt.postoperative" in codes(a)


def test_renal_cell_metastasis_is_embolised_before_surgery() -> None:
    a = run(established("kidney", lesions=[{"bone": "femur", "segment": "shaft", "pathologic_fracture": True}]))
    assert any("Embolise" in r for r in rec(a, "surgery.fixation").reasons)


def test_unstable_spine_gets_an_urgent_spine_surgery_consultation() -> None:
    unstable = {
        "bone": "spine",
        "level": "L1",
        "pattern": "lytic",
        "spinal_pain": "mechanical",
        "alignment": "kyphosis_or_scoliosis",
        "vertebral_collapse": "over_50pct",
        "posterolateral_involvement": "bilateral",
        "escc_grade": "1a",
    }
    a = run(established("kidney", lesions=[unstable], presentation={"bone_pain": True, "neurologic_deficit": "none"}))
    assert rec(a, "surgery.spine_consult").priority.value == "urgent"
    assert any(s.name.value == "sins" and s.total == 16 for s in a.scores)


def test_stable_spine_gets_no_spine_surgery_consultation() -> None:
    stable = {
        "bone": "spine",
        "level": "T6",
        "pattern": "blastic",
        "spinal_pain": "none",
        "alignment": "normal",
        "vertebral_collapse": "none",
        "posterolateral_involvement": "none",
        "escc_grade": "0",
    }
    a = run(established("prostate", lesions=[stable], presentation={"bone_pain": True, "neurologic_deficit": "none"}))
    assert "surgery.spine_consult" not in codes(a)


PAINFUL_FRACTURE = {
    "bone": "spine",
    "level": "T12",
    "pattern": "mixed",
    "spinal_pain": "mechanical",
    "alignment": "normal",
    "vertebral_collapse": "under_50pct",
    "posterolateral_involvement": "none",
}


def test_vertebral_augmentation_for_a_painful_compression_fracture_without_epidural_extension() -> None:
    a = run(established(lesions=[{**PAINFUL_FRACTURE, "escc_grade": "0"}], presentation={"neurologic_deficit": "none"}))
    assert "spine.vertebral_augmentation" in codes(a)


def test_no_vertebral_augmentation_with_epidural_extension() -> None:
    a = run(
        established(lesions=[{**PAINFUL_FRACTURE, "escc_grade": "1b"}], presentation={"neurologic_deficit": "none"})
    )
    assert "spine.vertebral_augmentation" in declined(a)
    assert "spine.vertebral_augmentation" not in codes(a)


def test_radioresistant_spinal_metastasis_gets_sbrt() -> None:
    lesion = {
        "bone": "spine",
        "level": "T6",
        "pattern": "lytic",
        "spinal_pain": "non_mechanical",
        "alignment": "normal",
        "vertebral_collapse": "none",
        "posterolateral_involvement": "unilateral",
        "escc_grade": "1a",
    }
    a = run(established("melanoma", lesions=[lesion], presentation={"bone_pain": True, "neurologic_deficit": "none"}))
    assert "rt.sbrt" in codes(a)


def test_limited_late_metastasis_with_controlled_primary_is_considered_for_en_bloc_excision() -> None:
    case = established(
        "kidney",
        cancer={
            "history": "known_primary",
            "primary": "kidney",
            "diagnosed_on": "2022-01-01",
            "primary_treated": True,
            "visceral_metastases": "none",
            "bone_biopsy": "metastasis_confirmed",
        },
        skeletal_burden={"total_lesions": 1},
        lesions=[{"bone": "humerus", "segment": "shaft"}],
    )
    assert rec(run(case), "surgery.en_bloc_resection").priority.value == "routine"


def test_one_listed_lesion_is_not_solitary_until_whole_body_staging_has_looked() -> None:
    case = established(
        "kidney",
        cancer={
            "history": "known_primary",
            "primary": "kidney",
            "diagnosed_on": "2022-01-01",
            "primary_treated": True,
            "visceral_metastases": "none",
            "bone_biopsy": "metastasis_confirmed",
        },
        lesions=[{"bone": "humerus", "segment": "shaft"}],
        skeletal_burden={},
        imaging=[],
    )
    line = rec(run(case), "surgery.en_bloc_resection")
    assert line.priority.value == "consider"
    assert "solitary bone metastasis on whole-body staging" in line.text


def test_early_metastasis_is_not_excised_en_bloc() -> None:
    case = established(
        "kidney",
        cancer={
            "history": "known_primary",
            "primary": "kidney",
            "diagnosed_on": "2026-06-01",
            "primary_treated": True,
            "visceral_metastases": "none",
            "bone_biopsy": "metastasis_confirmed",
        },
        skeletal_burden={"total_lesions": 1},
        lesions=[{"bone": "humerus", "segment": "shaft"}],
    )
    assert "surgery.en_bloc_resection" in declined(run(case))


def test_systemic_therapy_referral_names_hormonal_therapy_for_hormone_dependent_tumours() -> None:
    case = established(cancer={"history": "known_primary", "primary": "breast", "hormone_dependent": True})
    assert "hormonal therapy" in rec(run(case), "systemic.oncology_referral").text


def test_blastic_prostate_lesions_are_expected_to_heal_better() -> None:
    case = established(
        "prostate",
        cancer={"history": "known_primary", "primary": "prostate", "hormone_dependent": False},
        lesions=[{"bone": "pelvis", "pattern": "blastic"}],
    )
    assert any("heal after radiation" in r for r in rec(run(case), "rt.palliative").reasons)


def test_possible_primary_bone_sarcoma_is_not_fixed_locally() -> None:
    case = {
        "cancer": {"history": "none"},
        "skeletal_burden": {"total_lesions": 1},
        "lesions": [{**FEMUR, "pain": "functional"}],
    }
    a = run(case)
    assert "surgery.prophylactic_fixation" in declined(a)
    assert "referral.orthopedic_oncology" in codes(a)


def test_every_recommendation_has_a_reason_and_a_source() -> None:
    a = run(established(lesions=[{**FEMUR, "pain": "functional"}]))
    for r in a.recommendations:
        assert r.reasons and r.citations, r.code
    cited = {c for r in a.recommendations for c in r.citations}
    assert cited <= {s.citation for s in a.sources}


def test_missing_katagiri_labs_are_named_one_by_one() -> None:
    a = run(established(labs={"creatinine_mg_dl": 0.9, "calcium_mg_dl": 9.5, "albumin_g_dl": 4.0}))
    assert {"labs.crp_mg_dl", "labs.ldh_u_l", "labs.platelets_10e9_l", "labs.bilirubin_mg_dl"} <= missing_fields(a)
    assert "labs.albumin_g_dl" not in missing_fields(a)


def test_unknown_neurological_status_is_asked_for_with_a_spinal_lesion() -> None:
    a = run(established(lesions=[{"bone": "spine", "level": "L2"}]))
    assert "presentation.neurologic_deficit" in missing_fields(a)


# --- Palliative radiotherapy: a painful lesion is bone pain ---------------------------------------------


def _without_bone_pain_recorded(*lesions: dict[str, Any]) -> dict[str, Any]:
    return established(presentation={"pain_unexplained": True}, lesions=list(lesions))


def test_a_painful_limb_lesion_counts_as_bone_pain_for_palliative_radiotherapy() -> None:
    lesion = {"bone": "humerus", "segment": "shaft", "pattern": "blastic", "cortical_involvement": 0.2, "pain": "mild"}
    a = run(_without_bone_pain_recorded(lesion))
    assert "lesion 1 (humerus, shaft)" in rec(a, "rt.palliative").text
    assert "presentation.bone_pain" not in missing_fields(a)


def test_a_painful_spinal_lesion_counts_as_bone_pain_for_palliative_radiotherapy() -> None:
    # SINS 1 + 1 + 1 + 0 + 0 + 0 = 3 (stable), ESCC 0: NOMS conventional radiation.
    lesion = {
        "bone": "spine",
        "level": "T6",
        "pattern": "blastic",
        "spinal_pain": "non_mechanical",
        "alignment": "normal",
        "vertebral_collapse": "none",
        "posterolateral_involvement": "none",
        "escc_grade": "0",
    }
    case = _without_bone_pain_recorded(lesion)
    case["presentation"]["neurologic_deficit"] = "none"
    a = run(case)
    assert "lesion 1 (spine, T6)" in rec(a, "rt.palliative").text


def test_bone_pain_read_from_lesions_targets_only_the_painful_ones() -> None:
    painful = {"bone": "humerus", "segment": "shaft", "pattern": "blastic", "cortical_involvement": 0.2, "pain": "mild"}
    a = run(_without_bone_pain_recorded(painful, {"bone": "rib", "pattern": "blastic"}))
    rt = rec(a, "rt.palliative")
    assert "(lesion 1 (humerus, shaft))" in rt.text and "rib" not in rt.text
    assert "Bone pain not recorded in the presentation, but painful: lesion 1 (humerus, shaft)." in rt.reasons


def test_a_painful_lesion_outweighs_bone_pain_recorded_as_absent() -> None:
    painful = {"bone": "humerus", "segment": "shaft", "pattern": "blastic", "cortical_involvement": 0.2, "pain": "mild"}
    case = established(presentation={"bone_pain": False}, lesions=[painful])
    rt = rec(run(case), "rt.palliative")
    assert "Bone pain recorded as absent in the presentation, but painful: lesion 1 (humerus, shaft)." in rt.reasons


def test_painless_lesions_and_no_recorded_bone_pain_get_no_palliative_radiotherapy() -> None:
    lesion = {"bone": "humerus", "segment": "shaft", "pattern": "blastic", "cortical_involvement": 0.2, "pain": "none"}
    a = run(_without_bone_pain_recorded(lesion))
    assert "rt.palliative" not in codes(a)
    assert "presentation.bone_pain" not in missing_fields(a)


def test_unknown_bone_pain_and_unknown_lesion_pain_ask_for_bone_pain() -> None:
    a = run(_without_bone_pain_recorded({"bone": "pelvis", "pattern": "lytic"}))
    assert "rt.palliative" not in codes(a)
    assert "presentation.bone_pain" in missing_fields(a)
    why = next(m.why for m in a.missing if m.field == "presentation.bone_pain")
    assert "radiotherapy" in why.lower()


# --- Pamidronate: the Aredia regimen follows the primary ----------------------------------------------


def test_breast_pamidronate_is_90_mg_over_2_hours_every_3_to_4_weeks() -> None:
    pam = rec(run(established("breast")), "bma.pamidronate")
    assert "90 mg IV over 2 hours every 3-4 weeks" in pam.text
    assert pam.dose is not None
    assert (pam.dose.value, pam.dose.unit, pam.dose.route, pam.dose.interval) == (
        90.0,
        "mg",
        "IV over 2 hours",
        "every 3-4 weeks",
    )
    assert "breast" in pam.dose.basis
    assert any(c.startswith("Pamidronate (Aredia) US label") for c in pam.citations)


def test_myeloma_pamidronate_is_90_mg_over_4_hours_monthly() -> None:
    pam = rec(run(established("myeloma")), "bma.pamidronate")
    assert "90 mg IV over 4 hours monthly" in pam.text
    assert "2 hours" not in pam.text and "3-4 weeks" not in pam.text
    assert pam.dose is not None
    assert (pam.dose.value, pam.dose.route, pam.dose.interval) == (90.0, "IV over 4 hours", "monthly")
    assert "myeloma" in pam.dose.basis
    assert any("4-hour infusion" in r for r in pam.reasons)


def test_pamidronate_recommendation_carries_the_label_renal_rules() -> None:
    pam = rec(run(established("myeloma")), "bma.pamidronate")
    assert any("serum creatinine before each pamidronate dose" in r for r in pam.reasons)
    assert any(r.startswith("Withhold for renal deterioration") for r in pam.reasons)
    assert any("severe renal impairment is not recommended" in r for r in pam.reasons)


def test_the_printed_clearance_never_contradicts_its_renal_band() -> None:
    # Cockcroft-Gault (140-80) x 58 / (72 x 1.04) x 0.85 = 39.50 mL/min: band 30-39, and the printed number
    # must sit in it (a clearance of 39.46 once printed as '40' in the 30-39 band).
    case = established(patient={"age_years": 80, "sex": "female", "weight_kg": 58}, labs={"creatinine_mg_dl": 1.04})
    dose = rec(run(case), "bma.zoledronic_acid").dose
    assert dose is not None
    shown = float(dose.basis.split("creatinine clearance ")[1].split(" mL/min")[0])
    assert 30 <= shown < 40 and "30-39" in dose.basis


def test_a_clearance_just_under_a_band_edge_keeps_two_decimals() -> None:
    from bonemet.scores import crcl

    assert crcl.shown(39.46) == "39.5"
    assert crcl.shown(39.96) == "39.96"
    assert crcl.band_of(39.96) == crcl.band_of(float(crcl.shown(39.96)))
