"""Case → FHIR Bundle and Assessment → FHIR Bundle (R4; validated with fhir.resources R4B).

A Case becomes standard resources wherever a standard code exists (LOINC observations,
ICD-10-CM and SNOMED CT conditions, RxNorm medications, DICOM modalities) and bonemet
case-field Observations / a lesion extension for facts no terminology names, so the
Bundle reads back into the same Case.

An Assessment becomes RiskAssessments (one per score, one for the prognosis) and
proposed ServiceRequests and MedicationRequests (one per recommendation, with the
structured dose) in a collection Bundle.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from enum import Enum
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from bonemet.fhir import codes
from bonemet.model import Assessment, Case, Lesion, Recommendation, ScoreOut
from bonemet.model.vocabulary import (
    CODE_MEANING,
    BoneModifyingAgent,
    CancerHistory,
    Code,
    Priority,
)

Resource = dict[str, Any]

_NAMESPACE = uuid.UUID("6f1c1b8e-8d4e-4c55-9a43-4b0f3b1c9e21")

_LAB_LOINC: dict[str, tuple[str, str]] = {
    # Case field -> (LOINC code written, UCUM unit of the Case field)
    "creatinine_mg_dl": ("2160-0", "mg/dL"),
    "calcium_mg_dl": ("17861-6", "mg/dL"),
    "albumin_g_dl": ("1751-7", "g/dL"),
    "psa_ng_ml": ("2857-1", "ng/mL"),
    "ldh_u_l": ("2532-0", "U/L"),
    "crp_mg_dl": ("1988-5", "mg/dL"),
    "platelets_10e9_l": ("777-3", "10*9/L"),
    "bilirubin_mg_dl": ("1975-2", "mg/dL"),
    "alkaline_phosphatase_u_l": ("6768-6", "U/L"),
    "ionized_calcium_mmol_l": ("1994-3", "mmol/L"),
    "vitamin_d_25oh_ng_ml": ("62292-8", "ng/mL"),
    "magnesium_mg_dl": ("19123-9", "mg/dL"),
}

# Case fields with no standard code: written as bonemet case-field Observations.
_CASE_FIELDS: dict[str, tuple[str, ...]] = {
    "patient": ("dialysis", "life_expectancy_months"),
    "cancer": (
        "castration_resistant",
        "history",
        "histology",
        "hormone_dependent",
        "targeted_therapy",
        "primary_treated",
        "prior_chemotherapy",
        "visceral_metastases",
        "visceral_metastases_resectable",
        "bone_biopsy",
    ),
    "presentation": (
        "bone_pain",
        "pain_unexplained",
        "pain_site_count",
        "neurologic_deficit",
        "neurologic_deficit_new",
        "hours_since_loss_of_ambulation",
        "hypercalcemia_symptoms",
    ),
    "treatment": ("jaw_osteonecrosis_history", "dental_extraction", "androgen_deprivation"),
    "skeletal_burden": ("total_lesions", "vertebral_bodies", "extraspinal_lesions"),
}

_REQUEST_PRIORITY = {
    # FHIR request-priority has no 'consider': a suggestion to consider is routine in urgency.
    Priority.emergency: "stat",
    Priority.urgent: "urgent",
    Priority.routine: "routine",
    Priority.consider: "routine",
}

_MEDICATION_CODES = {
    Code.bma_zoledronic_acid: BoneModifyingAgent.zoledronic_acid,
    Code.bma_denosumab: BoneModifyingAgent.denosumab,
    Code.bma_pamidronate: BoneModifyingAgent.pamidronate,
}
_SUPPLEMENT_CODES = {Code.bma_calcium_vitamin_d}


def stable_uuid(*parts: object) -> str:
    """A UUID fixed by content, so the same input always gives the same Bundle."""
    return str(uuid.uuid5(_NAMESPACE, json.dumps([str(p) for p in parts])))


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


# --------------------------------------------------------------------------------------
# Case -> Bundle
# --------------------------------------------------------------------------------------


class _CaseWriter:
    def __init__(self, case: Case, patient_id: str) -> None:
        self.case = case
        self.patient_ref = f"Patient/{patient_id}"
        self.patient_id = patient_id
        self.entries: list[Resource] = []
        self.when = case.as_of.isoformat() if case.as_of else None

    def add(self, resource: Resource, *key: object) -> str:
        rid = stable_uuid(self.case.id, resource["resourceType"], *key)
        resource = {"resourceType": resource["resourceType"], "id": rid, **resource}
        self.entries.append(resource)
        return f"{resource['resourceType']}/{rid}"

    def subject(self) -> dict[str, str]:
        return {"reference": self.patient_ref}

    def observation(self, code: dict[str, Any], value: dict[str, Any], *key: object) -> None:
        resource: Resource = {"resourceType": "Observation", "status": "final", "code": code}
        resource["subject"] = self.subject()
        if self.when:
            resource["effectiveDateTime"] = self.when
        resource.update(value)
        self.add(resource, *key)

    def loinc_quantity(self, loinc: str, value: float, unit: str) -> None:
        display = codes.observation_code(loinc)
        self.observation(
            {"coding": [_coding(codes.system("loinc"), loinc, display.display if display else None)]},
            {"valueQuantity": {"value": value, "unit": unit, "system": codes.system("ucum"), "code": unit}},
            loinc,
        )

    def loinc_integer(self, loinc: str, value: int) -> None:
        display = codes.observation_code(loinc)
        self.observation(
            {"coding": [_coding(codes.system("loinc"), loinc, display.display if display else None)]},
            {"valueInteger": value},
            loinc,
        )

    def case_field(self, path: str, value: Any) -> None:
        value = _plain(value)
        if isinstance(value, bool):
            typed: dict[str, Any] = {"valueBoolean": value}
        elif isinstance(value, int):
            typed = {"valueInteger": value}
        elif isinstance(value, float):
            typed = {"valueQuantity": {"value": value}}
        elif isinstance(value, dt.date):
            typed = {"valueDateTime": value.isoformat()}
        else:
            typed = {"valueString": str(value)}
        self.observation({"coding": [_coding(codes.CASE_FIELD_SYSTEM, path)], "text": path}, typed, path)

    def condition(self, code: dict[str, Any], *key: object, **extra: Any) -> None:
        resource: Resource = {
            "resourceType": "Condition",
            "clinicalStatus": {
                "coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")]
            },
            "verificationStatus": {
                "coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")]
            },
            "code": code,
            "subject": self.subject(),
            **extra,
        }
        self.add(resource, *key)

    # --- sections -----------------------------------------------------------------------
    def write(self) -> list[Resource]:
        self.patient()
        self.cancer()
        for index, lesion in enumerate(self.case.lesions):
            self.lesion(index, lesion)
        self.treatment()
        self.prior_radiotherapy()
        for index, study in enumerate(self.case.imaging):
            self.imaging(index, study)
        for section, names in _CASE_FIELDS.items():
            model = getattr(self.case, section)
            for name in names:
                value = getattr(model, name)
                if value is not None:
                    self.case_field(f"{section}.{name}", value)
        return self.entries

    def patient(self) -> None:
        patient: Resource = {"resourceType": "Patient", "id": self.patient_id}
        if self.case.patient.sex is not None:
            patient["gender"] = self.case.patient.sex.value
        self.entries.append(patient)
        p = self.case.patient
        if p.age_years is not None:
            self.loinc_quantity("30525-0", p.age_years, "a")
        if p.weight_kg is not None:
            self.loinc_quantity("29463-7", p.weight_kg, "kg")
        if p.ecog is not None:
            self.loinc_integer("89247-1", p.ecog)
        if p.kps is not None:
            self.loinc_integer("89243-0", p.kps)
        for name, (loinc, unit) in _LAB_LOINC.items():
            value = getattr(self.case.labs, name)
            if value is not None:
                self.loinc_quantity(loinc, value, unit)

    def cancer(self) -> None:
        cancer = self.case.cancer
        onset = {"onsetDateTime": cancer.diagnosed_on.isoformat()} if cancer.diagnosed_on else {}
        if cancer.primary is not None:
            coding = [_coding(codes.PRIMARY_SYSTEM, cancer.primary.value, f"Primary cancer: {cancer.primary.value}")]
            icd = codes.primary_icd10_for_writer(cancer.primary)
            if icd is not None:
                coding.insert(0, _coding(codes.system("icd10cm"), *icd))
            self.condition({"coding": coding}, "primary", **onset)
        elif cancer.diagnosed_on is not None:
            self.case_field("cancer.diagnosed_on", cancer.diagnosed_on)
        if cancer.history is CancerHistory.unknown_primary:
            self.condition(
                {"coding": [_coding(codes.system("icd10cm"), "C80.1", "Malignant (primary) neoplasm, unspecified")]},
                "unknown-primary",
            )
        if cancer.brain_metastases:
            self.condition(
                {"coding": [_coding(codes.system("icd10cm"), "C79.31", "Secondary malignant neoplasm of brain")]},
                "brain",
            )
        elif cancer.brain_metastases is False:
            self.case_field("cancer.brain_metastases", False)

    def lesion(self, index: int, lesion: Lesion) -> None:
        site_text = _site_text(lesion)
        site: dict[str, Any] = {"text": site_text}
        bone_code = codes.bone_snomed(lesion.bone)
        site_codings = [_coding(codes.system("snomed"), bone_code, lesion.bone.value)] if bone_code else []
        if lesion.side is not None and (side_code := codes.side_snomed(lesion.side)):
            site_codings.append(_coding(codes.system("snomed"), side_code, lesion.side.value))
        if site_codings:
            site["coding"] = site_codings
        details = [_extension_part(name, value) for name, value in lesion.model_dump(exclude_none=True).items()]
        self.condition(
            {
                "coding": [
                    _coding(codes.system("snomed"), "94222008", "Secondary malignant neoplasm of bone"),
                    _coding(codes.system("icd10cm"), "C79.51", "Secondary malignant neoplasm of bone"),
                ]
            },
            "lesion",
            index,
            bodySite=[site],
            extension=[{"url": codes.LESION_EXTENSION, "extension": details}],
        )

    def treatment(self) -> None:
        treatment = self.case.treatment
        agent = treatment.bone_modifying_agent
        if agent is BoneModifyingAgent.none:
            self.case_field("treatment.bone_modifying_agent", agent)
        elif agent is not None:
            code, display = codes.agent_ingredient(agent)
            self.add(
                {
                    "resourceType": "MedicationStatement",
                    "status": "active",
                    "medicationCodeableConcept": {
                        "coding": [_coding(codes.system("rxnorm"), code, display)],
                        "text": display,
                    },
                    "subject": self.subject(),
                    **({"dateAsserted": self.when} if self.when else {}),
                },
                "agent",
            )
        if treatment.dental_evaluation_done:
            self.add(
                {
                    "resourceType": "Procedure",
                    "status": "completed",
                    "code": {"text": "Dental examination before a bone-modifying agent"},
                    "subject": self.subject(),
                },
                "dental",
            )
        elif treatment.dental_evaluation_done is False:
            self.case_field("treatment.dental_evaluation_done", False)
        for index, site in enumerate(treatment.irradiated_sites):
            self.add(
                {
                    "resourceType": "Procedure",
                    "status": "completed",
                    "code": {
                        "coding": [
                            _coding(
                                codes.system("snomed"),
                                codes.radiotherapy_snomed(),
                                "Teleradiotherapy procedure",
                            )
                        ]
                    },
                    "subject": self.subject(),
                    "bodySite": [{"text": site}],
                },
                "radiotherapy",
                index,
            )

    def prior_radiotherapy(self) -> None:
        """Each earlier course as a radiotherapy Procedure, with the structured course in an extension."""
        for index, course in enumerate(self.case.treatment.prior_radiotherapy):
            site: dict[str, Any] = {"text": course.site or (course.bone.value if course.bone else "")}
            bone_code = codes.bone_snomed(course.bone) if course.bone else None
            if bone_code:
                site["coding"] = [
                    _coding(codes.system("snomed"), bone_code, course.bone.value if course.bone else None)
                ]
            details = [_extension_part(k, v) for k, v in course.model_dump(exclude_none=True).items()]
            resource: Resource = {
                "resourceType": "Procedure",
                "status": "completed",
                "code": {
                    "coding": [
                        _coding(codes.system("snomed"), codes.radiotherapy_snomed(), "Teleradiotherapy procedure")
                    ]
                },
                "subject": self.subject(),
                "bodySite": [site],
                "extension": [{"url": codes.PRIOR_RADIOTHERAPY_EXTENSION, "extension": details}],
            }
            if course.completed_on is not None:
                resource["performedPeriod"] = {"end": course.completed_on.isoformat()}
            self.add(resource, "prior-radiotherapy", index)

    def imaging(self, index: int, study: Any) -> None:
        resource: Resource = {
            "resourceType": "ImagingStudy",
            "status": "available",
            "subject": self.subject(),
            "modality": [_coding(codes.system("dicom"), codes.modality_dicom(study.modality))],
            "procedureCode": [
                {
                    "coding": [_coding(codes.MODALITY_SYSTEM, study.modality.value)],
                    "text": study.modality.value.replace("_", " "),
                }
            ],
        }
        if study.date is not None:
            resource["started"] = study.date.isoformat()
        if study.region:
            resource["description"] = study.region
        reference = self.add(resource, "imaging", index)
        if study.report_text:
            report: Resource = {
                "resourceType": "DiagnosticReport",
                "status": "final",
                "code": {
                    "coding": [_coding(codes.MODALITY_SYSTEM, study.modality.value)],
                    "text": f"{study.modality.value.replace('_', ' ')} report",
                },
                "subject": self.subject(),
                "imagingStudy": [{"reference": reference}],
                "presentedForm": [
                    {
                        "contentType": "text/plain",
                        "data": base64.b64encode(study.report_text.encode("utf-8")).decode("ascii"),
                    }
                ],
            }
            if study.date is not None:
                report["effectiveDateTime"] = study.date.isoformat()
            self.add(report, "report", index)


def _site_text(lesion: Lesion) -> str:
    parts = [lesion.side.value if lesion.side else None, lesion.bone.value]
    if lesion.level is not None:
        parts = [lesion.level.value, "vertebra" if lesion.bone.value == "spine" else lesion.bone.value]
    if lesion.segment is not None:
        parts.append(f"({lesion.segment.value})")
    return " ".join(p for p in parts if p)


def _extension_part(name: str, value: Any) -> dict[str, Any]:
    value = _plain(value)
    if isinstance(value, bool):
        return {"url": name, "valueBoolean": value}
    if isinstance(value, float):
        return {"url": name, "valueDecimal": value}
    if isinstance(value, int):
        return {"url": name, "valueInteger": value}
    return {"url": name, "valueString": str(value)}


def _bundle(entries: list[Resource], **header: Any) -> Bundle:
    data: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        **header,
        "entry": [{"fullUrl": f"urn:uuid:{e['id']}" if _is_uuid(e["id"]) else e["id"], "resource": e} for e in entries],
    }
    return Bundle.model_validate(data)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def from_case(case: Case, patient_id: str = "patient") -> Bundle:
    """The Case as a FHIR R4 collection Bundle that `to_case` reads back into the same Case."""
    entries = _CaseWriter(case, patient_id).write()
    header: dict[str, Any] = {}
    if case.id:
        header["identifier"] = {"system": codes.CASE_ID_SYSTEM, "value": case.id}
    if case.as_of:
        header["timestamp"] = f"{case.as_of.isoformat()}T00:00:00Z"
    return _bundle(entries, **header)


def case_resources(case: Case, patient_id: str = "patient") -> list[Resource]:
    """The Case's resources as plain dicts (what a FHIR server would return for the patient)."""
    return _CaseWriter(case, patient_id).write()


# --------------------------------------------------------------------------------------
# Assessment -> Bundle
# --------------------------------------------------------------------------------------


def score_risk_assessment(score: ScoreOut, assessment: Assessment, patient_ref: str) -> Resource:
    resource: Resource = {
        "resourceType": "RiskAssessment",
        "id": stable_uuid(assessment.case_id, assessment.as_of, "score", score.name.value, score.lesion_index),
        "status": "final" if score.total is not None else "preliminary",
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": assessment.as_of,
        "code": {"coding": [_coding(codes.SCORE_SYSTEM, score.name.value)], "text": score.name.value},
        "method": {"coding": [_coding(codes.SCORE_SYSTEM, score.name.value)], "text": score.citation or None},
    }
    prediction: dict[str, Any] = {}
    if score.band:
        prediction["qualitativeRisk"] = {"text": score.band}
    if score.interpretation:
        prediction["rationale"] = score.interpretation
    if prediction:
        resource["prediction"] = [prediction]
    if score.total is not None:
        resource["extension"] = [{"url": codes.SCORE_TOTAL_EXTENSION, "valueDecimal": score.total}]
    items = "; ".join(f"{i.item}: {i.value} ({i.points})" for i in score.items)
    notes = [n for n in (items, f"Lesion {score.lesion_index + 1}" if score.lesion_index is not None else "") if n]
    if score.missing_items:
        notes.append("Missing: " + ", ".join(score.missing_items))
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    if resource["method"]["text"] is None:
        del resource["method"]["text"]
    return resource


def prognosis_risk_assessment(assessment: Assessment, patient_ref: str) -> Resource | None:
    prognosis = assessment.prognosis
    if prognosis is None:
        return None
    predictions: list[dict[str, Any]] = []
    for horizon, probability in sorted(prognosis.survival.items()):
        months = int(horizon.split("_")[0]) if horizon.split("_")[0].isdigit() else None
        prediction: dict[str, Any] = {
            "outcome": {"text": f"Alive at {horizon.replace('_', ' ')}"},
            "probabilityDecimal": probability,
        }
        if months is not None:
            prediction["whenRange"] = {
                "high": {"value": months, "unit": "months", "system": codes.system("ucum"), "code": "mo"}
            }
        if prognosis.band:
            prediction["qualitativeRisk"] = {"text": prognosis.band}
        predictions.append(prediction)
    resource: Resource = {
        "resourceType": "RiskAssessment",
        "id": stable_uuid(assessment.case_id, assessment.as_of, "prognosis", prognosis.score.value),
        "status": "final",
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": assessment.as_of,
        "code": {
            "coding": [_coding(codes.SCORE_SYSTEM, prognosis.score.value)],
            "text": "Survival prognosis",
        },
    }
    if predictions:
        resource["prediction"] = predictions
    notes = [n for n in (prognosis.interpretation, prognosis.citation) if n]
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def _reasons(rec: Recommendation) -> list[dict[str, str]]:
    return [{"text": reason} for reason in rec.reasons]


def _notes(rec: Recommendation) -> list[dict[str, str]]:
    return [{"text": f"Source: {citation}"} for citation in rec.citations]


def service_request(rec: Recommendation, assessment: Assessment, patient_ref: str) -> Resource:
    """A proposed ServiceRequest for a recommendation (work-up, referral, procedure, radiotherapy)."""
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": stable_uuid(assessment.case_id, assessment.as_of, "rec", rec.code.value, rec.lesion_index),
        "status": "draft",
        "intent": "proposal",
        "priority": _REQUEST_PRIORITY[rec.priority],
        "code": {
            # bonemet's own code first (existing clients read coding[0]), the standard code beside it.
            "coding": [
                _coding(codes.RECOMMENDATION_SYSTEM, rec.code.value, CODE_MEANING.get(rec.code)),
                *([standard] if (standard := codes.order_coding(rec.code.value)) else []),
            ],
            "text": rec.text or CODE_MEANING.get(rec.code, rec.code.value),
        },
        "subject": {"reference": patient_ref},
        "authoredOn": assessment.as_of,
    }
    detail = codes.order_detail(rec.code.value)
    if detail:
        resource["orderDetail"] = [{"coding": [coding], "text": coding["display"]} for coding in detail]
    if rec.reasons:
        resource["reasonCode"] = _reasons(rec)
    if rec.citations:
        resource["note"] = _notes(rec)
    return resource


def medication_request(rec: Recommendation, assessment: Assessment, patient_ref: str) -> Resource:
    """A proposed MedicationRequest with the structured dose when the engine gave one."""
    agent = _MEDICATION_CODES.get(rec.code)
    if agent is not None:
        code, display = codes.agent_ingredient(agent)
        medication = {"coding": [_coding(codes.system("rxnorm"), code, display)], "text": display}
    else:
        medication = {"text": CODE_MEANING.get(rec.code, rec.code.value)}
    dosage: dict[str, Any] = {"text": rec.text}
    if rec.dose is not None:
        dosage["doseAndRate"] = [
            {
                "doseQuantity": {
                    "value": rec.dose.value,
                    "unit": rec.dose.unit,
                    "system": codes.system("ucum"),
                    "code": rec.dose.unit,
                }
            }
        ]
        route = codes.route_coding(rec.dose.route)
        dosage["route"] = {"coding": [route], "text": rec.dose.route} if route else {"text": rec.dose.route}
        dosage["timing"] = timing_of(rec.dose.interval)
        # The clinician's dose basis (e.g. the creatinine clearance band) is structured, not a patient instruction.
        dosage["extension"] = [{"url": codes.DOSE_BASIS_EXTENSION, "valueString": rec.dose.basis}]
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "id": stable_uuid(assessment.case_id, assessment.as_of, "rec", rec.code.value, rec.lesion_index),
        "status": "draft",
        "intent": "proposal",
        "priority": _REQUEST_PRIORITY[rec.priority],
        "medicationCodeableConcept": medication,
        "subject": {"reference": patient_ref},
        "authoredOn": assessment.as_of,
        "dosageInstruction": [dosage],
    }
    if rec.reasons:
        resource["reasonCode"] = _reasons(rec)
    if rec.citations:
        resource["note"] = _notes(rec)
    return resource


_EVERY = re.compile(r"every\s+(\d+)(?:\s*-\s*(\d+))?\s*(day|week|month)s?", re.IGNORECASE)
_UNITS = {"day": "d", "week": "wk", "month": "mo"}


def timing_of(interval: str) -> dict[str, Any]:
    """Timing with the interval as text and, when it reads as a schedule, Timing.repeat
    ('every 3-4 weeks' -> period 3, periodMax 4, wk; 'daily' -> once a day; 'monthly')."""
    timing: dict[str, Any] = {"code": {"text": interval}}
    lowered = interval.lower()
    match = _EVERY.search(lowered)
    repeat: dict[str, Any] | None = None
    if match:
        repeat = {"frequency": 1, "period": int(match.group(1)), "periodUnit": _UNITS[match.group(3).lower()]}
        if match.group(2):
            repeat["periodMax"] = int(match.group(2))
    elif lowered.startswith("daily") or lowered.startswith("once daily"):
        repeat = {"frequency": 1, "period": 1, "periodUnit": "d"}
    elif lowered.startswith("monthly"):
        repeat = {"frequency": 1, "period": 1, "periodUnit": "mo"}
    if repeat is not None:
        timing["repeat"] = repeat
    return timing


def request_for(rec: Recommendation, assessment: Assessment, patient_ref: str) -> Resource:
    """The FHIR request proposing one recommendation: MedicationRequest for drugs, else ServiceRequest."""
    if rec.code in _MEDICATION_CODES or rec.code in _SUPPLEMENT_CODES:
        return medication_request(rec, assessment, patient_ref)
    return service_request(rec, assessment, patient_ref)


def assessment_resources(assessment: Assessment, patient_ref: str) -> Iterator[Resource]:
    for score in assessment.scores:
        yield score_risk_assessment(score, assessment, patient_ref)
    prognosis = prognosis_risk_assessment(assessment, patient_ref)
    if prognosis is not None:
        yield prognosis
    for rec in assessment.recommendations:
        yield request_for(rec, assessment, patient_ref)


def from_assessment(assessment: Assessment, patient_ref: str, patient: Resource | None = None) -> Bundle:
    """The Assessment as FHIR R4: the Patient, RiskAssessments, proposed ServiceRequests and
    MedicationRequests. The Patient is the caller's resource when given, else a stub with the
    referenced id, so every `subject` resolves inside the Bundle."""
    header: dict[str, Any] = {}
    if assessment.case_id:
        header["identifier"] = {"system": codes.CASE_ID_SYSTEM, "value": assessment.case_id}
    subject = dict(patient) if patient is not None else {"resourceType": "Patient", "id": patient_ref.split("/")[-1]}
    subject.pop("_fullUrl", None)
    return _bundle([subject, *assessment_resources(assessment, patient_ref)], **header)
