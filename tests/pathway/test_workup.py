"""Work-up: DESIGN pathway step 2 — and nothing the case shows is done is ordered again."""

from __future__ import annotations

from tests.conftest import codes, declined, rec, run

KNOWN = {"history": "known_primary", "primary": "breast"}


def test_painful_site_gets_plain_radiographs() -> None:
    a = run({"cancer": KNOWN, "presentation": {"bone_pain": True}})
    assert "imaging.xray" in codes(a)


def test_radiographs_are_not_reordered_when_done() -> None:
    a = run({"cancer": KNOWN, "presentation": {"bone_pain": True}, "imaging": [{"modality": "xray"}]})
    assert "imaging.xray" not in codes(a)


def test_whole_body_bone_scan_for_staging() -> None:
    a = run({"cancer": KNOWN, "presentation": {"bone_pain": True}})
    assert "imaging.bone_scan" in codes(a)
    assert rec(a, "imaging.pet_ct").priority.value == "consider"


def test_prostate_cancer_is_staged_with_psma_pet() -> None:
    a = run({"cancer": {"history": "known_primary", "primary": "prostate"}, "presentation": {"bone_pain": True}})
    assert rec(a, "imaging.psma_pet").priority.value == "routine"
    assert rec(a, "imaging.bone_scan").priority.value == "consider"


def test_lung_cancer_is_staged_with_pet_ct() -> None:
    a = run({"cancer": {"history": "known_primary", "primary": "lung"}, "presentation": {"bone_pain": True}})
    assert rec(a, "imaging.pet_ct").priority.value == "routine"
    assert "imaging.bone_scan" not in codes(a)


def test_myeloma_is_not_staged_with_a_bone_scan() -> None:
    a = run({"cancer": {"history": "known_primary", "primary": "myeloma"}, "presentation": {"bone_pain": True}})
    assert "imaging.bone_scan" in declined(a)
    assert "imaging.pet_ct" in codes(a)


def test_renal_cancer_prefers_pet_ct_because_bone_scans_miss_lytic_disease() -> None:
    a = run({"cancer": {"history": "known_primary", "primary": "kidney"}, "presentation": {"bone_pain": True}})
    assert rec(a, "imaging.pet_ct").priority.value == "routine"
    assert any("Renal cell" in r for r in rec(a, "imaging.pet_ct").reasons)


def test_whole_body_staging_is_not_reordered() -> None:
    a = run({"cancer": KNOWN, "presentation": {"bone_pain": True}, "imaging": [{"modality": "pet_ct"}]})
    assert not codes(a) & {"imaging.bone_scan", "imaging.pet_ct", "imaging.psma_pet"}


def test_spinal_lesion_without_epidural_grade_gets_mri() -> None:
    a = run({"cancer": KNOWN, "lesions": [{"bone": "spine", "level": "T9"}]})
    assert rec(a, "imaging.mri", lesion_index=0)


def test_long_bone_lesion_without_cortical_measure_gets_ct() -> None:
    a = run({"cancer": KNOWN, "lesions": [{"bone": "femur", "segment": "shaft"}]})
    assert rec(a, "imaging.ct", lesion_index=0)


def test_single_lesion_in_known_cancer_is_biopsied() -> None:
    a = run({"cancer": KNOWN, "lesions": [{"bone": "rib"}], "skeletal_burden": {"total_lesions": 1}})
    assert "biopsy.bone" in codes(a)


def test_multiple_lesions_in_known_cancer_are_presumed_metastases() -> None:
    a = run({"cancer": KNOWN, "skeletal_burden": {"total_lesions": 5}})
    assert "biopsy.bone" not in codes(a)
    assert "biopsy.bone" in declined(a)


def test_nondiagnostic_biopsy_is_repeated() -> None:
    a = run(
        {
            "cancer": {**KNOWN, "bone_biopsy": "nondiagnostic"},
            "lesions": [{"bone": "rib"}],
            "skeletal_burden": {"total_lesions": 1},
        }
    )
    assert "Repeat" in rec(a, "biopsy.bone").text


def test_baseline_bloods_name_what_is_missing() -> None:
    a = run({"cancer": KNOWN, "presentation": {"bone_pain": True}, "labs": {"calcium_mg_dl": 9.5}})
    text = rec(a, "lab.baseline").text
    assert "creatinine" in text and "calcium," not in text


def test_spinal_lesions_only_get_no_plain_spine_radiographs_nice_ng234() -> None:
    a = run(
        {
            "patient": {"age_years": 62, "sex": "female", "ecog": 1},
            "cancer": {"history": "known_primary", "primary": "breast"},
            "presentation": {"bone_pain": True, "neurologic_deficit": "incomplete"},
            "lesions": [{"bone": "spine", "level": "T10"}],
        }
    )
    assert "imaging.xray" not in codes(a)
    refusal = next(n for n in a.not_recommended if n.code.value == "imaging.xray")
    assert any("plain radiographs of the spine" in r for r in refusal.reasons)
    # The cord-compression rule orders the whole-spine MRI once, as an emergency; the work-up does not repeat it.
    mri = [r for r in a.recommendations if r.code.value == "imaging.mri"]
    assert [r.priority.value for r in mri] == ["emergency"]


def test_spine_and_limb_lesions_radiograph_only_the_sites_outside_the_spine() -> None:
    a = run(
        {
            "patient": {"age_years": 62, "sex": "female", "ecog": 1},
            "cancer": {"history": "known_primary", "primary": "breast"},
            "presentation": {"bone_pain": True, "neurologic_deficit": "none"},
            "lesions": [{"bone": "spine", "level": "T10"}, {"bone": "femur", "segment": "shaft", "pain": "mild"}],
        }
    )
    xray = rec(a, "imaging.xray")
    assert "outside the spine" in xray.text
    mri = [r for r in a.recommendations if r.code.value == "imaging.mri"]
    assert [r.priority.value for r in mri] == ["routine"]
