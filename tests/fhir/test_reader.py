"""FHIR R4 -> Case, resource by resource, as EHRs and Synthea write them."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet.fhir import to_case
from bonemet.fhir.report_reader import enrich_case_function
from bonemet.model.vocabulary import (
    Bone,
    BoneModifyingAgent,
    CancerHistory,
    Modality,
    Primary,
    Side,
    SpinalLevel,
    VisceralMetastases,
)

TODAY = dt.date(2026, 11, 25)
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def lab(loinc: str, value: float, unit: str, when: str = "2026-11-20", **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
        **extra,
    }


def condition(system: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "code": {"coding": [{"system": system, "code": code}]}, **extra}


def site(*codes: str, text: str | None = None) -> list[dict[str, Any]]:
    concept: dict[str, Any] = {"coding": [{"system": SNOMED, "code": c} for c in codes]}
    if text:
        concept["text"] = text
    return [concept]


def read(*resources: dict[str, Any], **options: Any) -> Any:
    return to_case(bundle(*resources), as_of=TODAY, read_reports=False, **options)


# --- patient, observations and units -------------------------------------------------------------


def test_patient_sex_and_age_on_the_evaluation_date() -> None:
    imported = read({"resourceType": "Patient", "id": "p", "gender": "male", "birthDate": "1959-11-26"})
    assert imported.case.patient.sex == "male"
    assert imported.case.patient.age_years == 66  # one day before his 67th birthday


def test_other_gender_is_left_unknown_and_said() -> None:
    imported = read({"resourceType": "Patient", "gender": "other"})
    assert imported.case.patient.sex is None
    assert any("gender" in w for w in imported.warnings)


@pytest.mark.parametrize(
    ("loinc", "value", "unit", "field", "expected"),
    [
        ("2160-0", 88.4, "umol/L", "creatinine_mg_dl", 1.0),  # creatinine 113.12 g/mol
        ("38483-4", 1.2, "mg/dL", "creatinine_mg_dl", 1.2),
        ("17861-6", 2.5, "mmol/L", "calcium_mg_dl", 10.02),  # calcium 40.078 g/mol
        ("49765-1", 5.0, "meq/L", "calcium_mg_dl", 10.02),
        ("1751-7", 35, "g/L", "albumin_g_dl", 3.5),
        ("2857-1", 12, "ug/L", "psa_ng_ml", 12),
        ("2532-0", 4.0, "ukat/L", "ldh_u_l", 240),  # 1 µkat = 60 U
        ("1988-5", 25, "mg/L", "crp_mg_dl", 2.5),
        ("777-3", 250, "10*3/uL", "platelets_10e9_l", 250),
        ("26515-7", 180000, "/uL", "platelets_10e9_l", 180),
        ("1975-2", 17.1, "umol/L", "bilirubin_mg_dl", 1.0),  # bilirubin 584.66 g/mol
        ("6768-6", 120, "U/L", "alkaline_phosphatase_u_l", 120),
    ],
)
def test_labs_are_converted_from_ucum(loinc: str, value: float, unit: str, field: str, expected: float) -> None:
    imported = read(lab(loinc, value, unit))
    assert getattr(imported.case.labs, field) == pytest.approx(expected, abs=0.01)


def test_display_units_are_recognised_when_the_code_is_missing() -> None:
    observation = lab("2160-0", 97, "µmol/L")
    observation["valueQuantity"] = {"value": 97, "unit": "µmol/L"}
    assert read(observation).case.labs.creatinine_mg_dl == pytest.approx(1.097, abs=0.001)


def test_weight_in_pounds_and_age_observation() -> None:
    weight = lab("29463-7", 176, "[lb_av]")
    age = lab("30525-0", 67, "a")
    case = read(weight, age).case
    assert case.patient.weight_kg == pytest.approx(79.83, abs=0.01)
    assert case.patient.age_years == 67


def test_performance_status_scores() -> None:
    ecog = {**lab("89247-1", 0, "{score}"), "valueQuantity": None, "valueInteger": 2}
    kps = {**lab("89243-0", 0, "{score}"), "valueQuantity": None, "valueInteger": 60}
    case = read({k: v for k, v in ecog.items() if v is not None}, {k: v for k, v in kps.items() if v is not None}).case
    assert (case.patient.ecog, case.patient.kps) == (2, 60)


def test_the_newest_observation_is_used() -> None:
    older = lab("2160-0", 1.0, "mg/dL", when="2026-10-01")
    newer = lab("2160-0", 1.8, "mg/dL", when="2026-11-24T08:00:00Z")
    undated = {k: v for k, v in lab("2160-0", 0.5, "mg/dL").items() if k != "effectiveDateTime"}
    for order in ((older, newer, undated), (undated, newer, older), (newer, older, undated)):
        assert read(*order).case.labs.creatinine_mg_dl == 1.8


def test_entered_in_error_and_cancelled_observations_are_ignored() -> None:
    wrong = lab("2160-0", 9.0, "mg/dL", when="2026-11-24", status="entered-in-error")
    assert read(lab("2160-0", 1.0, "mg/dL"), wrong).case.labs.creatinine_mg_dl == 1.0


def test_an_unknown_unit_is_not_guessed() -> None:
    imported = read(lab("2160-0", 1.0, "mg/mL"))
    assert imported.case.labs.creatinine_mg_dl is None
    assert any("mg/mL" in w for w in imported.warnings)


def test_implausible_values_are_dropped_with_a_warning() -> None:
    imported = read(lab("29463-7", 900, "kg"), lab("2160-0", 1.1, "mg/dL"))
    assert imported.case.patient.weight_kg is None
    assert imported.case.labs.creatinine_mg_dl == 1.1
    assert any(w.startswith("patient.weight_kg") for w in imported.warnings)


def test_ionized_calcium_is_read_into_its_own_field_not_as_total_calcium() -> None:
    imported = read(lab("1994-3", 1.1, "mmol/L"))
    assert imported.case.labs.calcium_mg_dl is None
    assert imported.case.labs.ionized_calcium_mmol_l == 1.1
    in_mg_dl = read(lab("17864-0", 4.8, "mg/dL"))
    assert in_mg_dl.case.labs.ionized_calcium_mmol_l is not None
    assert abs(in_mg_dl.case.labs.ionized_calcium_mmol_l - 1.2) < 0.01


def test_vitamin_d_in_nmol_per_litre_and_magnesium_in_mmol_per_litre_are_converted() -> None:
    imported = read(lab("62292-8", 50, "nmol/L"), lab("19123-9", 0.8, "mmol/L"))
    assert abs((imported.case.labs.vitamin_d_25oh_ng_ml or 0) - 20.03) < 0.01
    assert abs((imported.case.labs.magnesium_mg_dl or 0) - 1.944) < 0.01


def test_unknown_codes_are_reported_once_with_a_count() -> None:
    pulse = lab("8867-4", 72, "/min")
    imported = read(pulse, lab("8867-4", 80, "/min"), condition(SNOMED, "38341003"))
    reported = {(u.resource_type, u.code): u.count for u in imported.unknown_codes}
    assert reported == {("Observation", "8867-4"): 2, ("Condition", "38341003"): 1}


@pytest.mark.parametrize(
    ("interpretation", "reference", "flag"),
    [
        ([{"coding": [{"code": "L"}]}], None, "low"),
        ([{"coding": [{"code": "HH"}]}], None, "high"),
        (None, [{"low": {"value": 8.6, "code": "mg/dL"}, "high": {"value": 10.3, "code": "mg/dL"}}], "low"),
        (None, [{"low": {"value": 7.0, "code": "mg/dL"}}], None),
    ],
)
def test_laboratory_flags(interpretation: Any, reference: Any, flag: str | None) -> None:
    extra: dict[str, Any] = {}
    if interpretation:
        extra["interpretation"] = interpretation
    if reference:
        extra["referenceRange"] = reference
    imported = read(lab("17861-6", 7.8, "mg/dL", **extra))
    assert imported.lab_flags.get("labs.calcium_mg_dl") == flag


# --- conditions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "code", "primary"),
    [
        (ICD10CM, "C61", Primary.prostate),
        (ICD10CM, "C50.911", Primary.breast),
        (ICD10CM, "C34.12", Primary.lung),
        (ICD10CM, "C64.1", Primary.kidney),
        (ICD10CM, "C73", Primary.thyroid),
        (ICD10CM, "C90.00", Primary.myeloma),
        (ICD10CM, "C7A.012", Primary.carcinoid),
        (SNOMED, "254837009", Primary.breast),
        (SNOMED, "399068003", Primary.prostate),
        (SNOMED, "254637007", Primary.lung),
    ],
)
def test_primary_cancer_codes(system: str, code: str, primary: Primary) -> None:
    case = read(condition(system, code, onsetDateTime="2021-03-10")).case
    assert case.cancer.history is CancerHistory.known_primary
    assert case.cancer.primary is primary
    assert case.cancer.diagnosed_on == dt.date(2021, 3, 10)


def test_c80_1_is_an_unknown_primary() -> None:
    assert read(condition(ICD10CM, "C80.1")).case.cancer.history is CancerHistory.unknown_primary


def test_several_primaries_use_the_newest_and_say_so() -> None:
    imported = read(
        condition(ICD10CM, "C61", onsetDateTime="2010-01-01"), condition(ICD10CM, "C34.90", onsetDateTime="2025-06-01")
    )
    assert imported.case.cancer.primary is Primary.lung
    assert any("Several primary cancers" in w for w in imported.warnings)


def test_refuted_conditions_are_ignored() -> None:
    refuted = condition(ICD10CM, "C61", verificationStatus={"coding": [{"code": "refuted"}]})
    assert read(refuted).case.cancer.primary is None


@pytest.mark.parametrize(
    ("codes", "text", "bone", "side", "level"),
    [
        (("71341001", "24028007"), None, Bone.femur, Side.right, None),
        (("85050009", "7771000"), None, Bone.humerus, Side.left, None),
        (("421060004",), "T10 vertebral body", Bone.spine, None, SpinalLevel.T10),
        ((), "Left iliac wing", Bone.pelvis, Side.left, None),
        ((), "Right acetabulum", Bone.acetabulum, Side.right, None),
    ],
)
def test_bone_metastasis_with_a_site_becomes_a_lesion(
    codes: tuple[str, ...], text: str | None, bone: Bone, side: Side | None, level: SpinalLevel | None
) -> None:
    (lesion,) = read(condition(SNOMED, "94222008", bodySite=site(*codes, text=text))).case.lesions
    assert (lesion.bone, lesion.side, lesion.level) == (bone, side, level)


def test_bone_metastasis_coded_in_two_systems_is_one_lesion() -> None:
    both = condition(SNOMED, "94222008", bodySite=site("71341001"))
    both["code"]["coding"].append({"system": ICD10CM, "code": "C79.51"})
    assert len(read(both).case.lesions) == 1


def test_bone_metastasis_without_a_site_is_recorded_but_adds_no_lesion() -> None:
    imported = read(condition(ICD10CM, "C79.51"))
    assert imported.case.lesions == []
    assert [c.kind for c in imported.conditions] == ["bone_metastasis"]
    assert any("without a body site" in w for w in imported.warnings)


def test_pathologic_fracture_is_tied_to_the_lesion_of_that_bone() -> None:
    met = condition(SNOMED, "94222008", bodySite=site("85050009"))
    fracture = condition(ICD10CM, "M84.521A", bodySite=site("85050009"))
    (lesion,) = read(met, fracture).case.lesions
    assert lesion.pathologic_fracture is True


def test_cord_compression_and_hypercalcaemia_are_reported_not_invented() -> None:
    imported = read(condition(ICD10CM, "G95.20"), condition(ICD10CM, "E83.52"))
    assert imported.case.lesions == [] and imported.case.presentation.neurologic_deficit is None
    assert {c.kind for c in imported.conditions} == {"cord_compression", "hypercalcemia"}
    assert any("ESCC" in w for w in imported.warnings) and any("calcium" in w for w in imported.warnings)


def test_visceral_and_brain_metastases() -> None:
    case = read(condition(ICD10CM, "C78.01"), condition(ICD10CM, "C79.31")).case
    assert case.cancer.visceral_metastases is VisceralMetastases.nodular and case.cancer.brain_metastases
    case = read(condition(ICD10CM, "C78.01"), condition(ICD10CM, "C78.6")).case
    assert case.cancer.visceral_metastases is VisceralMetastases.disseminated


# --- medications and procedures ------------------------------------------------------------------


def medication(kind: str, concept: dict[str, Any], status: str = "active", **extra: Any) -> dict[str, Any]:
    resource = {"resourceType": kind, "status": status, "medicationCodeableConcept": concept, **extra}
    if kind == "MedicationRequest":
        resource.setdefault("intent", "order")
    return resource


@pytest.mark.parametrize(
    ("concept", "agent"),
    [
        ({"coding": [{"system": RXNORM, "code": "77655"}]}, BoneModifyingAgent.zoledronic_acid),
        ({"coding": [{"system": RXNORM, "code": "1114085"}]}, BoneModifyingAgent.zoledronic_acid),
        ({"coding": [{"system": RXNORM, "code": "993449"}]}, BoneModifyingAgent.denosumab),
        ({"text": "XGEVA 120 mg/1.7 mL injection"}, BoneModifyingAgent.denosumab),
        ({"text": "Pamidronate disodium 90 mg"}, BoneModifyingAgent.pamidronate),
    ],
)
def test_current_bone_modifying_agent(concept: dict[str, Any], agent: BoneModifyingAgent) -> None:
    assert read(medication("MedicationStatement", concept)).case.treatment.bone_modifying_agent is agent


def test_administration_within_the_dosing_window_counts_as_current() -> None:
    given = medication(
        "MedicationAdministration", {"text": "zoledronic acid"}, status="completed", effectiveDateTime="2026-09-01"
    )
    old = {**given, "effectiveDateTime": "2025-01-01"}
    assert read(given).case.treatment.bone_modifying_agent is BoneModifyingAgent.zoledronic_acid
    imported = read(old)
    assert imported.case.treatment.bone_modifying_agent is BoneModifyingAgent.none
    assert any("not counted as current" in w for w in imported.warnings)


def test_no_medication_data_is_unknown_and_other_medicines_mean_none() -> None:
    assert read().case.treatment.bone_modifying_agent is None
    other = medication("MedicationRequest", {"text": "tamoxifen 20 mg"})
    assert read(other).case.treatment.bone_modifying_agent is BoneModifyingAgent.none
    assert read(other, medications_complete=False).case.treatment.bone_modifying_agent is None


def test_osteoporosis_dose_products_are_flagged() -> None:
    prolia = medication("MedicationStatement", {"coding": [{"system": RXNORM, "code": "993452"}], "text": "Prolia"})
    imported = read(prolia)
    assert imported.case.treatment.bone_modifying_agent is BoneModifyingAgent.denosumab
    assert any("osteoporosis" in w for w in imported.warnings)


def test_draft_and_proposed_orders_are_not_treatment() -> None:
    draft = medication("MedicationRequest", {"text": "zoledronic acid"}, status="draft")
    proposal = medication("MedicationRequest", {"text": "zoledronic acid"}, intent="proposal")
    assert (
        read(draft, proposal, medications_complete=True).case.treatment.bone_modifying_agent is BoneModifyingAgent.none
    )


def test_radiotherapy_sites_and_dental_examination() -> None:
    radiotherapy = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {"coding": [{"system": SNOMED, "code": "33195004"}]},
        "bodySite": [{"text": "T10-T12 vertebrae"}],
    }
    dental = {"resourceType": "Procedure", "status": "completed", "code": {"text": "Dental examination"}}
    treatment = read(radiotherapy, dental).case.treatment
    assert treatment.irradiated_sites == ["T10-T12 vertebrae"]
    assert treatment.dental_evaluation_done is True


# --- imaging and reports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modality", "description", "expected"),
    [
        ("MR", "MRI whole spine", Modality.mri),
        ("CR", "Right femur", Modality.xray),
        ("NM", "Whole body bone scan", Modality.bone_scan),
        ("PT", "PSMA PET-CT", Modality.psma_pet),
        ("PT", "FDG PET", Modality.pet_ct),
    ],
)
def test_imaging_study_modality(modality: str, description: str, expected: Modality) -> None:
    study = {
        "resourceType": "ImagingStudy",
        "status": "available",
        "started": "2026-11-20T10:00:00Z",
        "description": description,
        "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": modality}],
    }
    (read_study,) = read(study).case.imaging
    assert (read_study.modality, read_study.date, read_study.region) == (expected, dt.date(2026, 11, 20), description)


def test_nuclear_medicine_that_is_not_a_bone_scan_is_reported() -> None:
    study = {
        "resourceType": "ImagingStudy",
        "status": "available",
        "description": "Thyroid scintigraphy",
        "modality": [{"code": "NM"}],
    }
    imported = read(study)
    assert imported.case.imaging == [] and imported.unknown_codes[0].code == "NM"


def test_report_text_attaches_to_its_study_and_otherwise_stands_alone() -> None:
    study = {"resourceType": "ImagingStudy", "id": "s1", "status": "available", "modality": [{"code": "MR"}]}
    text = "Lytic lesion in the T10 vertebral body."
    linked = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"text": "MRI spine"},
        "imagingStudy": [{"reference": "ImagingStudy/s1"}],
        "presentedForm": [{"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}],
    }
    alone = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"text": "CT chest abdomen pelvis"},
        "effectiveDateTime": "2026-11-01",
        "conclusion": "No bone lesion.",
    }
    imaging = read(study, linked, alone).case.imaging
    assert [(s.modality, s.report_text) for s in imaging] == [(Modality.mri, text), (Modality.ct, "No bone lesion.")]


def test_report_reader_is_used_when_present_or_its_absence_said() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"text": "MRI thoracic spine"},
        "conclusion": "Multiple lytic lesions in T8 and T10 consistent with metastases.",
    }
    imported = to_case(bundle(report), as_of=TODAY)
    if enrich_case_function() is None:
        assert any("report reader" in w for w in imported.warnings)
    else:
        assert imported.facts_from_reports


def test_input_forms_a_list_of_resources_or_nested_bundles() -> None:
    nested = bundle(bundle(lab("2160-0", 1.3, "mg/dL")), {"resourceType": "Patient", "gender": "female"})
    assert to_case(nested, as_of=dt.date(2026, 11, 25)).case.labs.creatinine_mg_dl == 1.3
    assert to_case([lab("2160-0", 1.4, "mg/dL")], as_of=dt.date(2026, 11, 25)).case.labs.creatinine_mg_dl == 1.4
    assert to_case({"resourceType": "Observation"}).case.labs.creatinine_mg_dl is None


def test_garbage_never_raises() -> None:
    for junk in (None, 3, "x", [1, {"resourceType": 5}], {"resourceType": "Bundle", "entry": [None, {"resource": 3}]}):
        assert to_case(junk).case is not None


_KEYS = st.sampled_from(
    [
        *("resourceType", "code", "coding", "system", "valueQuantity", "value", "unit", "status", "bodySite"),
        *("entry", "resource", "gender", "birthDate", "effectiveDateTime", "medicationCodeableConcept", "text"),
        "modality",
    ]
)
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["Observation", "Condition", "Patient", "Bundle", "final", "2160-0", LOINC, "C79.51", "mg/dL"])
    | st.text(max_size=6)
)


@settings(max_examples=150, deadline=None)
@given(st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4)))
def test_any_json_is_read_without_raising(data: Any) -> None:
    imported = to_case(data, as_of=TODAY, read_reports=False)
    assert imported.case is not None


def test_albumin_corrected_calcium_is_not_total_calcium() -> None:
    imported = read(lab("29265-6", 2.4, "mmol/L"))
    assert imported.case.labs.calcium_mg_dl is None
    assert imported.unknown_codes == [] and any("29265-6" in w for w in imported.warnings)


@pytest.mark.parametrize("loinc", ["1995-0", "17864-0"])
def test_ionized_calcium_codes_fill_ionized_calcium_not_total(loinc: str) -> None:
    imported = read(lab(loinc, 1.25, "mmol/L"))
    assert imported.case.labs.calcium_mg_dl is None
    assert imported.case.labs.ionized_calcium_mmol_l == 1.25
