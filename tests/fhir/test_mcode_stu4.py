"""mCODE STU4 records (issue 12.2): secondary cancer conditions, the link to the primary, TNM M,
history of metastatic cancer, disease status, radiotherapy course summaries and ECOG answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bonemet.fhir import to_case
from bonemet.model import parse_case
from bonemet.pathway import assess
from tests.fhir.synthea_shaped import bundle, condition

TODAY = dt.date(2026, 12, 5)
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
FEMUR = [{"coding": [{"system": SNOMED, "code": "71341001", "display": "Bone structure of femur"}]}]
LIVER = [{"coding": [{"system": SNOMED, "code": "10200004", "display": "Liver structure"}]}]


def secondary(code: str, site: list[dict[str, Any]], system: str = SNOMED, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"sec-{code}",
        "meta": {"profile": [MCODE + "mcode-secondary-cancer-condition"]},
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": system, "code": code}]},
        "bodySite": site,
        **extra,
    }


def observation(system: str, code: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"obs-{code}",
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "effectiveDateTime": "2026-12-01",
        **value,
    }


def test_generic_secondary_malignancy_with_a_bone_site_is_a_bone_metastasis() -> None:
    case = to_case(bundle(secondary("128462008", FEMUR)), as_of=TODAY).case
    assert [lesion.bone.value for lesion in case.lesions] == ["femur"]


def test_generic_secondary_malignancy_of_the_liver_is_not_a_bone_lesion_but_is_kept() -> None:
    imported = to_case(bundle(secondary("128462008", LIVER)), as_of=TODAY)
    assert imported.case.lesions == []
    assert [c.kind for c in imported.conditions] == ["distant_metastasis"]


def test_any_code_under_the_mcode_profile_with_a_bone_site_and_icd10cm_c7b03() -> None:
    descendant = secondary("369538008", FEMUR)  # a site-specific descendant bonemet has no table entry for
    assert len(to_case(bundle(descendant), as_of=TODAY).case.lesions) == 1
    carcinoid = secondary("C7B.03", FEMUR, system="http://hl7.org/fhir/sid/icd-10-cm")
    carcinoid["meta"] = {}
    assert len(to_case(bundle(carcinoid), as_of=TODAY).case.lesions) == 1


def test_the_bone_metastasis_names_its_primary_over_the_most_recent_cancer() -> None:
    lung = condition("254637007", "Non-small cell lung cancer", "2019-02-10")
    breast = condition("254837009", "Malignant neoplasm of breast", "2024-04-10")
    link = {
        "url": MCODE + "mcode-related-primary-cancer-condition",
        "valueReference": {"reference": f"Condition/{lung['id']}"},
    }
    imported = to_case(bundle(lung, breast, secondary("94222008", FEMUR, extension=[link])), as_of=TODAY)
    assert imported.case.cancer.primary is not None and imported.case.cancer.primary.value == "lung"
    assert any("RelatedPrimaryCancerCondition" in w for w in imported.warnings)
    unlinked = to_case(bundle(lung, breast, secondary("94222008", FEMUR)), as_of=TODAY).case
    assert unlinked.cancer.primary is not None and unlinked.cancer.primary.value == "breast"


def test_tnm_m1b_is_distant_metastasis_and_in_prostate_cancer_asks_for_the_bone_lesions() -> None:
    prostate = condition("399068003", "Malignant tumor of prostate", "2025-01-01")
    m1b = observation(LOINC, "21907-1", valueCodeableConcept={"coding": [{"code": "cM1b", "display": "cM1b"}]})
    imported = to_case(bundle(prostate, m1b), as_of=TODAY)
    assert [(c.kind, c.display) for c in imported.conditions] == [("distant_metastasis", "TNM cM1b")]
    assert any("M1b in prostate cancer means bone metastasis" in w for w in imported.warnings)
    m0 = observation(LOINC, "21907-1", valueCodeableConcept={"coding": [{"code": "cM0"}]})
    assert to_case(bundle(prostate, m0), as_of=TODAY).conditions == []


def test_history_of_metastatic_cancer_and_disease_status_are_read() -> None:
    history = observation(SNOMED, "1287652008", valueBoolean=True)
    worse = observation(
        LOINC, "97509-4", valueCodeableConcept={"coding": [{"system": SNOMED, "code": "271299001", "display": "Worse"}]}
    )
    none = observation(SNOMED, "1287652008", valueBoolean=False)
    kinds = [(c.kind, c.display) for c in to_case(bundle(history, worse, none), as_of=TODAY).conditions]
    assert kinds == [("distant_metastasis", "History of metastatic cancer"), ("cancer_disease_status", "Worse")]


def test_a_radiotherapy_course_summary_becomes_prior_radiotherapy_and_drives_reirradiation() -> None:
    course = {
        "resourceType": "Procedure",
        "id": "rt-course",
        "status": "completed",
        "code": {"coding": [{"system": SNOMED, "code": "1217123003", "display": "Radiotherapy course of treatment"}]},
        "bodySite": [{"text": "Thoracic spine T10"}],
        "performedPeriod": {"start": "2026-03-02", "end": "2026-03-06"},
        "extension": [
            {"url": MCODE + "mcode-radiotherapy-sessions", "valueUnsignedInt": 5},
            {
                "url": MCODE + "mcode-radiotherapy-dose-delivered-to-volume",
                "extension": [
                    {"url": "volume", "valueReference": {"reference": "BodyStructure/v1", "display": "T10"}},
                    {"url": "totalDoseDelivered", "valueQuantity": {"value": 2000, "code": "cGy"}},
                    {"url": "fractionsDelivered", "valueUnsignedInt": 5},
                ],
            },
        ],
    }
    imported = to_case(bundle(course), as_of=TODAY)
    (prior,) = imported.case.treatment.prior_radiotherapy
    assert (prior.bone, prior.level, prior.dose_gy, prior.fractions) == ("spine", "T10", 20.0, 5)
    assert prior.completed_on == dt.date(2026, 3, 6)
    data = imported.case.model_dump(mode="json", exclude_none=True)
    data["cancer"] = {"history": "known_primary", "primary": "breast"}
    data["presentation"] = {"bone_pain": True, "neurologic_deficit": "none"}
    data["skeletal_burden"] = {"total_lesions": 4}
    data["lesions"] = [{"bone": "spine", "level": "T10", "spinal_pain": "non_mechanical", "escc_grade": "0"}]
    plan = assess(parse_case(data), today=TODAY)
    assert "rt.reirradiation" in {r.code.value for r in plan.recommendations}


def test_ecog_coded_as_a_loinc_answer() -> None:
    ecog = observation(LOINC, "89247-1", interpretation=[{"coding": [{"system": LOINC, "code": "LA9625-0"}]}])
    assert to_case(bundle(ecog), as_of=TODAY).case.patient.ecog == 3
    coded = observation(LOINC, "89247-1", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9623-5"}]})
    assert to_case(bundle(coded), as_of=TODAY).case.patient.ecog == 1
