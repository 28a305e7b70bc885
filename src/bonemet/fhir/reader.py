"""FHIR R4 → Case: read a patient's resources into the Case the engine reasons with.

What the reader knows it reads; what it does not know it reports (`unknown_codes`,
`warnings`) instead of guessing. Missing stays unknown: no medication record is not "no
bone-modifying agent" unless the caller says the medication list is complete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bonemet.fhir import codes
from bonemet.fhir.recency import LABEL, Kind, Windows, env_name
from bonemet.fhir.report_reader import enrich_case_function
from bonemet.fhir.resources import (
    Resource,
    as_dict,
    as_list,
    attachment_text,
    clinical_time,
    codings,
    concept_text,
    flatten,
    number_of,
    parse_date,
    reference_of,
    text_of,
)
from bonemet.fhir.units import convert
from bonemet.model import Case, FactFromReport, salvage_case
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

# The longest oncology dosing interval of a bone-modifying agent is zoledronic acid every
# 12 weeks (ASCO 2017 breast update; CALGB/Alliance 70604, Himelstein 2017): a completed
# order or administration within 120 days still means the patient is on the agent.
CURRENT_AGENT_WINDOW_DAYS = 120

_SKIPPED_STATUSES = {"entered-in-error", "cancelled", "stopped", "not-done", "draft", "unknown", "revoked"}
_OBSERVATION_STATUSES = {"final", "amended", "corrected", "preliminary", "appended"}
_ACTIVE_CLINICAL = {"active", "recurrence", "relapse"}
_MEDICATION_ORDER_INTENTS = {"order", "original-order", "reflex-order", "filler-order", "instance-order"}
_LOW_FLAGS = {"L", "LL", "LU"}
_HIGH_FLAGS = {"H", "HH", "HU"}
_SECTIONS = ("patient", "cancer", "presentation", "skeletal_burden", "labs", "treatment")
_MODALITY_PRIORITY = (
    Modality.psma_pet,
    Modality.pet_ct,
    Modality.bone_scan,
    Modality.mri,
    Modality.ct,
    Modality.xray,
)
_BONE_WORDS: tuple[tuple[Bone, str], ...] = (
    (Bone.acetabulum, r"acetabul"),
    (Bone.sacrum, r"\bsacr(um|al)\b"),
    (Bone.spine, r"\bspine\b|\bspinal\b|vertebra|\b[CTL]\d{1,2}\b"),
    (Bone.femur, r"\bfemur\b|\bfemoral\b"),
    (Bone.humerus, r"\bhumer(us|al)\b"),
    (Bone.tibia, r"\btibia"),
    (Bone.fibula, r"\bfibula"),
    (Bone.radius, r"\bradius\b|\bradial\b"),
    (Bone.ulna, r"\bulna"),
    (Bone.pelvis, r"\bpelvi[sc]\b|\bilium\b|\biliac\b|\bischi|\bpubi"),
    (Bone.rib, r"\bribs?\b"),
    (Bone.sternum, r"\bstern(um|al)\b"),
    (Bone.scapula, r"\bscapula"),
    (Bone.clavicle, r"\bclavic"),
    (Bone.skull, r"\bskull\b|\bcalvari|\bcranial\b"),
    (Bone.hand, r"\bhand\b|metacarp|phalan"),
    (Bone.foot, r"\bfoot\b|metatars|\btars|calcane"),
)
_LEVEL = re.compile(r"\b([CTLS])(\d{1,2})\b")


class UnknownCode(BaseModel):
    """A code the reader does not know, with where it was found (never the patient's data)."""

    model_config = ConfigDict(frozen=True)

    resource_type: str
    element: str = Field(description="Element holding the code, e.g. 'code' or 'bodySite'")
    system: str | None = None
    code: str | None = None
    display: str | None = None
    count: int = Field(default=1, description="How many resources carried it")


class CodedCondition(BaseModel):
    """A condition the reader recognised that the Case has no field for (cards may show it)."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="bone_metastasis | pathologic_fracture | cord_compression | hypercalcemia | ...")
    system: str
    code: str
    display: str | None = None
    onset: dt.date | None = None
    active: bool = True
    resource: str = ""


class HistoricValue(BaseModel):
    """A recorded value older than its recency window: shown as history, never used in the Case."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="Case field it would have filled, e.g. 'labs.calcium_mg_dl', or 'imaging'")
    value: float | str | None = None
    date: dt.date
    days_old: int
    window_days: int
    kind: str = Field(description="Recency kind (BONEMET_RECENCY_<KIND>_DAYS)")
    source: str = ""


class FhirImport(BaseModel):
    """The Case read from FHIR, and everything the reader could not use."""

    model_config = ConfigDict(frozen=True)

    case: Case
    deceased: bool = Field(
        default=False, description="The Patient resource records death on or before the evaluation date"
    )
    deceased_on: dt.date | None = Field(default=None, description="Date of death, when recorded")
    history: list[HistoricValue] = Field(
        default=[], description="Values older than their recency window: shown, never used"
    )
    unknown_codes: list[UnknownCode] = []
    warnings: list[str] = []
    facts_from_reports: list[FactFromReport] = []
    lab_flags: dict[str, str] = Field(
        default={}, description="Case field -> 'low' or 'high', from the laboratory's own flag or range"
    )
    conditions: list[CodedCondition] = []
    provenance: dict[str, str] = Field(default={}, description="Case field -> FHIR resource it came from")


@dataclass
class _Dated:
    value: Any
    when: dt.datetime | None
    source: str


@dataclass
class _AgentRecord:
    agent: BoneModifyingAgent
    when: dt.datetime | None
    active: bool
    osteoporosis_product: bool
    source: str


@dataclass
class _Study:
    modality: Modality
    date: dt.date | None
    region: str | None
    texts: list[str] = field(default_factory=list)


@dataclass
class _Reader:
    reference_date: dt.date
    medications_complete: bool | None
    windows: Windows = field(default_factory=Windows.defaults)
    history: list[HistoricValue] = field(default_factory=list)
    deceased: bool = False
    deceased_on: dt.date | None = None
    chemotherapy_sources: list[str] = field(default_factory=list)
    # Primaries a bone metastasis names through mCODE's RelatedPrimaryCancerCondition.
    related_primaries: set[str] = field(default_factory=set)
    primary_keys: dict[str, list[str]] = field(default_factory=dict)  # primary's reference -> reference and fullUrl
    tnm_bone_category: list[str] = field(default_factory=list)  # TNM M1b sources (bone in prostate cancer)
    # One warning per kind: message -> the resources it applies to (shown with the count).
    grouped: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, _Dated] = field(default_factory=dict)
    explicit: dict[str, _Dated] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unknown: dict[tuple[str, str, str | None, str | None], UnknownCode] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)
    conditions: list[CodedCondition] = field(default_factory=list)
    birth_date: dt.date | None = None
    primaries: list[tuple[Primary, dt.datetime | None, dt.date | None, str]] = field(default_factory=list)
    unknown_primary: bool = False
    lesions: list[dict[str, Any]] = field(default_factory=list)
    lesion_sources: list[str] = field(default_factory=list)
    # Conditions already turned into a lesion: one Condition coded in both SNOMED CT and
    # ICD-10-CM is one lesion, not two.
    lesion_resources: set[int] = field(default_factory=set)
    fracture_sites: list[tuple[Bone | None, str]] = field(default_factory=list)
    visceral: VisceralMetastases | None = None
    brain_metastases: bool | None = None
    agents: list[_AgentRecord] = field(default_factory=list)
    medication_resources: int = 0
    irradiated_sites: list[str] = field(default_factory=list)
    prior_courses: list[dict[str, Any]] = field(default_factory=list)
    dental_done: bool | None = None
    studies: list[_Study] = field(default_factory=list)
    study_keys: dict[str, int] = field(default_factory=dict)
    patients: set[str] = field(default_factory=set)

    # --- bookkeeping ------------------------------------------------------------------
    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def warn_about(self, source: str, message: str) -> None:
        """A warning that may repeat over many resources: said once, with the count (see `final_warnings`)."""
        sources = self.grouped.get(message)
        if sources is None:
            self.grouped[message] = [source]
            self.warnings.append(_GROUP_MARK + message)
        elif source not in sources:
            sources.append(source)

    def final_warnings(self) -> list[str]:
        return [
            _grouped_text(w[len(_GROUP_MARK) :], self.grouped) if w.startswith(_GROUP_MARK) else w
            for w in self.warnings
        ]

    def stale(self, kind: Kind, field_path: str, value: Any, when: dt.date | None, source: str) -> bool:
        """True (and kept as history) when the value is older than its window on the evaluation date."""
        if not self.windows.is_stale(kind, when, self.reference_date):
            return False
        assert when is not None
        shown = value if isinstance(value, float | str) or value is None else str(value)
        self.history.append(
            HistoricValue(
                field=field_path,
                value=shown,
                date=when,
                days_old=(self.reference_date - when).days,
                window_days=self.windows.window(kind),
                kind=kind.value,
                source=source,
            )
        )
        return True

    def report_unknown(self, resource: Resource, element: str, coding: dict[str, Any]) -> None:
        kind = str(resource.get("resourceType", "Resource"))
        system, code = text_of(coding.get("system")), text_of(coding.get("code"))
        key = (kind, element, system, code)
        seen = self.unknown.get(key)
        if seen is None:
            self.unknown[key] = UnknownCode(
                resource_type=kind,
                element=element,
                system=system,
                code=code,
                display=text_of(coding.get("display")),
            )
        else:
            self.unknown[key] = seen.model_copy(update={"count": seen.count + 1})

    def report_unknown_concept(self, resource: Resource, element: str, concept: Any) -> None:
        found = codings(concept)
        if not found:
            text = text_of(as_dict(concept).get("text"))
            found = [{"display": text}] if text else [{}]
        for coding in found:
            self.report_unknown(resource, element, coding)

    def offer(self, path: str, value: Any, when: dt.datetime | None, source: str) -> None:
        """Keep the newest value of a field (an undated value never replaces a dated one)."""
        current = self.values.get(path)
        if current is None or _newer(when, current.when):
            self.values[path] = _Dated(value, when, source)

    # --- resources ----------------------------------------------------------------------
    def read(self, resource: Resource) -> None:
        handler = {
            "Patient": self.patient,
            "Observation": self.observation,
            "Condition": self.condition,
            "MedicationRequest": self.medication,
            "MedicationStatement": self.medication,
            "MedicationAdministration": self.medication,
            "Procedure": self.procedure,
            "ImagingStudy": self.imaging_study,
            "OperationOutcome": self.operation_outcome,
        }.get(str(resource.get("resourceType")))
        if handler is not None:
            handler(resource)

    def operation_outcome(self, resource: Resource) -> None:
        self.warn("The FHIR data held an OperationOutcome (an error while it was gathered): data may be missing.")

    def patient(self, resource: Resource) -> None:
        self.patients.add(text_of(resource.get("id")) or "")
        gender = resource.get("gender")
        if gender in ("female", "male"):
            self.offer("patient.sex", gender, None, reference_of(resource))
        elif gender is not None:
            self.warn(f"Patient.gender '{gender}' has no Case equivalent (female or male): sex left unknown.")
        birth = parse_date(resource.get("birthDate"))
        if birth is not None:
            self.birth_date = birth
        self.death(resource)

    def death(self, resource: Resource) -> None:
        """deceasedBoolean or deceasedDateTime; a death after the evaluation date does not count on that date."""
        died_on = parse_date(resource.get("deceasedDateTime"))
        if died_on is not None:
            if died_on <= self.reference_date:
                self.deceased, self.deceased_on = True, died_on
        elif resource.get("deceasedBoolean") is True:
            self.deceased = True

    def observation(self, resource: Resource) -> None:
        if text_of(resource.get("status")) not in _OBSERVATION_STATUSES:
            return
        concept = resource.get("code")
        if self.mcode_observation(resource):
            return
        for coding in codings(concept):
            system = coding.get("system")
            code = text_of(coding.get("code")) or ""
            if system == codes.CASE_FIELD_SYSTEM:
                self.case_field(code, resource)
                return
            if system == codes.system("loinc"):
                known = codes.observation_code(code)
                if known is not None:
                    self.measurement(known, resource)
                    return
                reason = codes.observation_not_used(code)
                if reason is not None:
                    self.warn(f"Observation LOINC {code} not used: {reason}.")
                    return
        self.report_unknown_concept(resource, "code", concept)

    def mcode_observation(self, resource: Resource) -> bool:
        """mCODE STU4 observations with no lab value: TNM M category, history of metastatic cancer, disease status."""
        mcode = codes.mcode()
        for coding in codings(resource.get("code")):
            system = text_of(coding.get("system")) or ""
            code = text_of(coding.get("code")) or ""
            if codes.is_tnm_m_category(system, code):
                self.tnm_distant_metastasis(resource)
                return True
            if system == codes.system("snomed") and code == mcode["history_of_metastatic_cancer_snomed"]:
                if resource.get("valueBoolean") is not False:
                    self.note_condition("distant_metastasis", resource, "History of metastatic cancer")
                return True
            if system == codes.system("loinc") and code == mcode["disease_status_loinc"]:
                self.note_condition("cancer_disease_status", resource, None)
                return True
        return False

    def note_condition(self, kind: str, resource: Resource, display: str | None) -> None:
        """A recognised fact with no Case field, kept with the coded conditions (cards and the page show them)."""
        value = codings(resource.get("valueCodeableConcept"))
        first = value[0] if value else {}
        self.conditions.append(
            CodedCondition(
                kind=kind,
                system=text_of(first.get("system")) or "",
                code=text_of(first.get("code")) or "",
                display=display or text_of(first.get("display")) or concept_text(resource.get("valueCodeableConcept")),
                onset=parse_date(resource.get("effectiveDateTime")),
                resource=reference_of(resource),
            )
        )

    def tnm_distant_metastasis(self, resource: Resource) -> None:
        text = " ".join(
            f"{text_of(c.get('code')) or ''} {text_of(c.get('display')) or ''}"
            for c in codings(resource.get("valueCodeableConcept"))
        )
        text += " " + (text_of(as_dict(resource.get("valueCodeableConcept")).get("text")) or "")
        category = _TNM_M1.search(text)
        if category is None:
            return
        self.note_condition("distant_metastasis", resource, f"TNM {category.group(0)}")
        if category.group(1).lower() == "b":
            self.tnm_bone_category.append(reference_of(resource))

    def measurement(self, known: codes.ObservationCode, resource: Resource) -> None:
        value = _observation_value(known.analyte, resource)
        if value is None and known.field == "patient.ecog":
            value = _ecog_answer(resource)
        source = reference_of(resource)
        if value is None:
            quantity = as_dict(resource.get("valueQuantity"))
            if quantity:
                unit = quantity.get("code") or quantity.get("unit")
                self.warn_about(source, f"{known.display}: unit '{unit}' is not one bonemet converts; value not used")
            return
        when = clinical_time(resource)
        kind = self.windows.kind_of(known.field)
        if kind is not None and self.stale(kind, known.field, value, when.date() if when else None, source):
            return
        if known.field in self.values and not _newer(when, self.values[known.field].when):
            return
        self.offer(known.field, value, when, source)
        flag = _lab_flag(resource)
        if flag is not None:
            self.flags[known.field] = flag
        else:
            self.flags.pop(known.field, None)

    def case_field(self, path: str, resource: Resource) -> None:
        section = path.partition(".")[0]
        if section not in _SECTIONS and path not in ("id", "as_of"):
            self.warn(f"{reference_of(resource)}: case field '{path}' is not one bonemet reads.")
            return
        value = _any_value(resource)
        current = self.explicit.get(path)
        when = clinical_time(resource)
        if current is None or _newer(when, current.when):
            self.explicit[path] = _Dated(value, when, reference_of(resource))

    def condition(self, resource: Resource) -> None:
        verification = {text_of(c.get("code")) for c in codings(resource.get("verificationStatus"))}
        if verification & {"refuted", "entered-in-error"}:
            return
        clinical = {text_of(c.get("code")) for c in codings(resource.get("clinicalStatus"))}
        active = not clinical or bool(clinical & _ACTIVE_CLINICAL)
        lesion = _lesion_from_extension(resource)
        if lesion is not None:
            self.lesions.append(lesion)
            self.lesion_sources.append(reference_of(resource))
            return
        recognised = False
        for coding in codings(resource.get("code")):
            recognised |= self.condition_coding(resource, coding, active)
        if not recognised:
            self.report_unknown_concept(resource, "code", resource.get("code"))

    def condition_coding(self, resource: Resource, coding: dict[str, Any], active: bool) -> bool:
        system = text_of(coding.get("system")) or ""
        code = text_of(coding.get("code")) or ""
        when = clinical_time(resource)
        onset = parse_date(resource.get("onsetDateTime")) or parse_date(
            as_dict(resource.get("onsetPeriod")).get("start")
        )
        if system == codes.PRIMARY_SYSTEM and code in Primary.__members__:
            self.primaries.append((Primary(code), when, onset, reference_of(resource)))
            return True
        is_icd = system in (codes.system("icd10cm"), codes.system("icd10"))
        if is_icd and codes.is_unknown_primary_icd10(code):
            self.unknown_primary = True
            return True
        primary = (
            codes.primary_from_icd10(code)
            if is_icd
            else codes.primary_from_snomed(code)
            if system == codes.system("snomed")
            else None
        )
        if primary is not None:
            self.primaries.append((primary, when, onset, reference_of(resource)))
            self.primary_keys[reference_of(resource)] = _keys_of(resource)
            return True
        kind = codes.condition_kind(system, code) or _secondary_cancer_kind(resource, system, code)
        if kind is None:
            return False
        self.conditions.append(
            CodedCondition(
                kind=kind,
                system=system,
                code=code,
                display=text_of(coding.get("display")),
                onset=onset,
                active=active,
                resource=reference_of(resource),
            )
        )
        self.condition_kind(kind, resource, active)
        return True

    def condition_kind(self, kind: str, resource: Resource, active: bool) -> None:
        if kind == "bone_metastasis":
            self.bone_metastasis(resource)
        elif kind == "pathologic_fracture":
            bone, _, _ = _site(resource)
            self.fracture_sites.append((bone, reference_of(resource)))
        elif kind == "brain_metastasis" and active:
            self.brain_metastases = True
        elif kind == "visceral_disseminated" and active:
            self.visceral = VisceralMetastases.disseminated
        elif kind == "visceral_nodular" and active and self.visceral is not VisceralMetastases.disseminated:
            self.visceral = VisceralMetastases.nodular
        elif kind == "cord_compression":
            self.warn(
                f"{reference_of(resource)}: spinal cord compression is coded. The Case records compression "
                "as a Bilsky ESCC grade on a spinal lesion and as the neurological status; add them so the "
                "plan can account for it."
            )
        elif kind == "hypercalcemia":
            self.warn(
                f"{reference_of(resource)}: hypercalcaemia is coded; bonemet decides on hypercalcaemia from "
                "the serum calcium and albumin values, so make sure a recent calcium result is included."
            )

    def bone_metastasis(self, resource: Resource) -> None:
        if id(resource) in self.lesion_resources:
            return
        self.lesion_resources.add(id(resource))
        for extension in as_list(resource.get("extension")):
            item = as_dict(extension)
            if item.get("url") == codes.mcode()["related_primary_extension"]:
                reference = text_of(as_dict(item.get("valueReference")).get("reference"))
                if reference:
                    self.related_primaries.add(reference)
        bone, side, level = _site(resource)
        if bone is None:
            self.warn_about(
                reference_of(resource),
                "bone metastasis coded without a body site bonemet can read; no lesion was added. Add the lesion "
                "(bone, and level for the spine)",
            )
            return
        lesion: dict[str, Any] = {"bone": bone.value}
        if side is not None:
            lesion["side"] = side.value
        if level is not None and bone in (Bone.spine, Bone.sacrum):
            lesion["level"] = level.value
        self.lesions.append(lesion)
        self.lesion_sources.append(reference_of(resource))

    def medication(self, resource: Resource) -> None:
        self.medication_resources += 1
        status = str(resource.get("status", ""))
        if status in _SKIPPED_STATUSES:
            return
        kind = resource.get("resourceType")
        if kind == "MedicationRequest" and text_of(resource.get("intent")) not in _MEDICATION_ORDER_INTENTS:
            return
        concept = _medication_concept(resource)
        rx = [str(c.get("code")) for c in codings(concept) if c.get("system") == codes.system("rxnorm")]
        atc = [str(c.get("code")) for c in codings(concept) if c.get("system") == codes.system("atc")]
        text = concept_text(concept)
        if codes.is_antineoplastic(rx, atc, text):
            self.chemotherapy_sources.append(reference_of(resource))
            return
        agent = next((a for code in rx if (a := codes.agent_from_rxnorm(code)) is not None), None)
        agent = agent or codes.agent_from_text(text)
        if agent is None:
            return
        active = status == "active" and kind != "MedicationAdministration"
        self.agents.append(
            _AgentRecord(
                agent=agent,
                when=clinical_time(resource),
                active=active,
                osteoporosis_product=codes.is_osteoporosis_product(rx, text),
                source=reference_of(resource),
            )
        )

    def procedure(self, resource: Resource) -> None:
        if resource.get("status") not in ("completed", "in-progress"):
            return
        concept = resource.get("code")
        text = concept_text(concept).lower()
        snomed = [str(c.get("code")) for c in codings(concept) if c.get("system") == codes.system("snomed")]
        chemotherapy = any(codes.is_chemotherapy_snomed(code) for code in snomed) or _has_word(text, "chemotherapy")
        if chemotherapy:
            self.chemotherapy_sources.append(reference_of(resource))
        if any(codes.is_radiotherapy_snomed(code) for code in snomed) or _has_word(text, "radiotherapy"):
            self.radiotherapy(resource)
        elif chemotherapy:
            return
        elif _has_word(text, "dental"):
            self.dental_done = True
        elif _has_word(text, "fixation"):
            self.warn(
                f"{reference_of(resource)}: a fixation procedure is recorded; the Case has no field for "
                "surgery already done, so check the plan against it."
            )
        else:
            self.report_unknown_concept(resource, "code", concept)

    def radiotherapy(self, resource: Resource) -> None:
        course = _extension_parts(resource, codes.PRIOR_RADIOTHERAPY_EXTENSION)
        if course is not None:
            self.prior_courses.append(course)
            return
        summary = _mcode_course(resource)
        if summary is not None:
            self.prior_courses.append(summary)
            return
        sites = [concept_text(site) for site in as_list(resource.get("bodySite"))]
        sites = [s for s in sites if s]
        if not sites:
            self.warn_about(reference_of(resource), "radiotherapy recorded without a body site; not added")
        for site in sites:
            if site not in self.irradiated_sites:
                self.irradiated_sites.append(site)

    def imaging_study(self, resource: Resource) -> None:
        if resource.get("status") in ("cancelled", "entered-in-error"):
            return
        description = " ".join(
            t for t in [text_of(resource.get("description")), concept_text_list(resource.get("procedureCode"))] if t
        )
        modality = _study_modality(resource, description)
        if modality is None:
            self.report_unknown_concept(resource, "modality", {"coding": _modality_codings(resource)})
            return
        study = _Study(
            modality=modality,
            date=parse_date(resource.get("started")),
            region=text_of(resource.get("description")),
        )
        if self.stale(Kind.imaging, "imaging", modality.value, study.date, reference_of(resource)):
            return
        self.studies.append(study)
        for key in _keys_of(resource):
            self.study_keys[key] = len(self.studies) - 1

    def diagnostic_report(self, resource: Resource) -> None:
        if resource.get("status") not in (
            "final",
            "amended",
            "corrected",
            "preliminary",
            "appended",
            "partial",
        ):
            return
        text = "\n\n".join(t for f in as_list(resource.get("presentedForm")) if (t := attachment_text(f)))
        text = text or (text_of(resource.get("conclusion")) or "")
        if not text:
            return
        for ref in as_list(resource.get("imagingStudy")):
            index = self.study_keys.get(str(as_dict(ref).get("reference")))
            if index is not None:
                self.studies[index].texts.append(text)
                return
        concept = resource.get("code")
        modality = _bonemet_modality(concept) or codes.modality_from_text(concept_text(concept))
        if modality is None:
            self.warn(
                f"{reference_of(resource)}: report text found but the imaging modality could not be read "
                "from its code; report not used."
            )
            return
        date = parse_date(resource.get("effectiveDateTime")) or parse_date(resource.get("issued"))
        if self.stale(Kind.imaging, "imaging", modality.value, date, reference_of(resource)):
            return
        self.studies.append(_Study(modality=modality, date=date, region=None, texts=[text]))


_GROUP_MARK = "\x00"
_TNM_M1 = re.compile(r"(?<![A-Za-z0-9])[cpy]{0,2}M1([abcd]?)(?![0-9])", re.IGNORECASE)


def _secondary_cancer_kind(resource: Resource, system: str, code: str) -> str | None:
    """mCODE SecondaryCancerCondition: the generic SNOMED CT code, or any code under the profile."""
    mcode = codes.mcode()
    generic = system == codes.system("snomed") and code == mcode["secondary_generic_snomed"]
    profiled = mcode["secondary_profile"] in {
        str(p).split("|")[0] for p in as_list(as_dict(resource.get("meta")).get("profile"))
    }
    if not (generic or profiled):
        return None
    bone, _, _ = _site(resource)
    return "bone_metastasis" if bone is not None else "distant_metastasis" if generic else None


def _matches_reference(source: str, references: set[str]) -> bool:
    """'Condition/abc' against references given as 'Condition/abc' or a full URL ending in it."""
    return any(ref == source or ref.endswith("/" + source) for ref in references)


def _ecog_answer(resource: Resource) -> float | None:
    for concept in (resource.get("valueCodeableConcept"), *as_list(resource.get("interpretation"))):
        for coding in codings(concept):
            grade = codes.ecog_from_answer(text_of(coding.get("code")) or "")
            if grade is not None:
                return float(grade)
    return None


def _mcode_course(resource: Resource) -> dict[str, Any] | None:
    """An mCODE RadiotherapyCourseSummary as one prior course: site, dose (cGy to Gy), fractions, end date."""
    mcode = codes.mcode()
    extensions = [as_dict(e) for e in as_list(resource.get("extension"))]
    sessions = next(
        (
            number_of(e.get("valueUnsignedInt"))
            for e in extensions
            if e.get("url") == mcode["radiotherapy_sessions_extension"]
        ),
        None,
    )
    dose_cgy = 0.0
    fractions: float | None = None
    volumes: list[str] = []
    for extension in extensions:
        if extension.get("url") != mcode["radiotherapy_dose_extension"]:
            continue
        parts = {as_dict(p).get("url"): as_dict(p) for p in as_list(extension.get("extension"))}
        total = number_of(as_dict(parts.get("totalDoseDelivered", {}).get("valueQuantity")).get("value"))
        dose_cgy += total or 0.0
        delivered = number_of(parts.get("fractionsDelivered", {}).get("valueUnsignedInt"))
        fractions = delivered if delivered is not None else fractions
        volume = text_of(as_dict(parts.get("volume", {}).get("valueReference")).get("display"))
        if volume:
            volumes.append(volume)
    if sessions is None and not dose_cgy and not volumes:
        return None
    bone, side, level = _site(resource)
    site = " ".join(t for s in as_list(resource.get("bodySite")) if (t := concept_text(s))) or ", ".join(volumes)
    if bone is None and volumes:
        bone, side, level = _site({"bodySite": [{"text": v} for v in volumes]})
    course: dict[str, Any] = {"site": site[:200] or None}
    if bone is not None:
        course["bone"] = bone.value
    if side is not None:
        course["side"] = side.value
    if level is not None and bone in (Bone.spine, Bone.sacrum):
        course["level"] = level.value
    if dose_cgy:
        course["dose_gy"] = round(dose_cgy / 100, 2)
    if fractions or sessions:
        course["fractions"] = int(fractions or sessions or 0)
    ended = parse_date(as_dict(resource.get("performedPeriod")).get("end")) or parse_date(
        resource.get("performedDateTime")
    )
    if ended is not None:
        course["completed_on"] = ended.isoformat()
    return course if course.get("site") or course.get("bone") else None


def _grouped_text(message: str, grouped: dict[str, list[str]]) -> str:
    sources = grouped[message]
    if len(sources) == 1:
        return f"{sources[0]}: {message}."
    shown = ", ".join(sources[:3]) + (", …" if len(sources) > 3 else "")
    return f"{message[0].upper()}{message[1:]} ({len(sources)} resources: {shown})."


def _history_warnings(reader: _Reader) -> list[str]:
    """One line per recency kind: how many values were too old to use, and the setting that decides."""
    lines = []
    for kind in Kind:
        old = [h for h in reader.history if h.kind == kind.value]
        if not old:
            continue
        newest = max(h.date for h in old)
        lines.append(
            f"{len(old)} {LABEL[kind]} record{'s' if len(old) > 1 else ''} older than "
            f"{reader.windows.window(kind)} days (newest {newest.isoformat()}) shown as history, not used "
            f"({env_name(kind)})."
        )
    return lines


def concept_text_list(concepts: Any) -> str:
    return " ".join(t for c in as_list(concepts) if (t := concept_text(c)))


def _newer(when: dt.datetime | None, than: dt.datetime | None) -> bool:
    if when is None:
        return than is None
    return than is None or when >= than


def _has_word(text: str, kind: str) -> bool:
    return any(word in text for word in codes.procedure_words(kind))


def _observation_value(analyte: str, resource: Resource) -> float | None:
    if analyte == "score":
        integer = number_of(resource.get("valueInteger"))
        if integer is not None:
            return integer
    quantity = as_dict(resource.get("valueQuantity"))
    value = number_of(quantity.get("value"))
    if value is None:
        return None
    return convert(analyte, value, text_of(quantity.get("code")), text_of(quantity.get("unit")))


def _lab_flag(resource: Resource) -> str | None:
    """'low' or 'high' as the laboratory flagged it (interpretation), else against its own range."""
    for concept in as_list(resource.get("interpretation")):
        for coding in codings(concept):
            if text_of(coding.get("code")) in _LOW_FLAGS:
                return "low"
            if text_of(coding.get("code")) in _HIGH_FLAGS:
                return "high"
    quantity = as_dict(resource.get("valueQuantity"))
    value = number_of(quantity.get("value"))
    for bounds in as_list(resource.get("referenceRange")):
        low = as_dict(as_dict(bounds).get("low"))
        high = as_dict(as_dict(bounds).get("high"))
        same_unit = quantity.get("code") in (None, low.get("code") or high.get("code"))
        if value is None or not same_unit:
            continue
        if (low_value := number_of(low.get("value"))) is not None and value < low_value:
            return "low"
        if (high_value := number_of(high.get("value"))) is not None and value > high_value:
            return "high"
    return None


def _any_value(resource: Resource) -> Any:
    for key in ("valueBoolean", "valueInteger", "valueString", "valueDateTime", "valueDate", "valueCode"):
        if key in resource:
            return resource[key]
    quantity = as_dict(resource.get("valueQuantity"))
    if quantity:
        return quantity.get("value")
    concept = as_dict(resource.get("valueCodeableConcept"))
    if concept:
        found = codings(concept)
        return found[0].get("code") if found else concept.get("text")
    return None


def _extension_value(extension: dict[str, Any]) -> Any:
    for key, value in extension.items():
        if key.startswith("value"):
            return value
    return None


def _lesion_from_extension(resource: Resource) -> dict[str, Any] | None:
    return _extension_parts(resource, codes.LESION_EXTENSION)


def _extension_parts(resource: Resource, url: str) -> dict[str, Any] | None:
    """The name/value parts of a bonemet complex extension, or None when the resource has none."""
    for extension in as_list(resource.get("extension")):
        ext = as_dict(extension)
        if ext.get("url") != url:
            continue
        return {
            str(as_dict(part).get("url")): _extension_value(as_dict(part))
            for part in as_list(ext.get("extension"))
            if as_dict(part).get("url")
        }
    return None


def _site(resource: Resource) -> tuple[Bone | None, Side | None, SpinalLevel | None]:
    """Bone, side and spinal level from Condition.bodySite (SNOMED CT codes, else the site text)."""
    bone: Bone | None = None
    side: Side | None = None
    text = ""
    for site in as_list(resource.get("bodySite")):
        for coding in codings(site):
            if coding.get("system") == codes.system("snomed"):
                code = str(coding.get("code"))
                bone = bone or codes.bone_from_snomed(code)
                side = side or codes.side_from_snomed(code)
        text += " " + concept_text(site)
    if bone is None:
        bone = next((b for b, pattern in _BONE_WORDS if re.search(pattern, text, re.IGNORECASE)), None)
    if side is None:
        lowered = text.lower()
        side = (
            Side.left if re.search(r"\bleft\b", lowered) else Side.right if re.search(r"\bright\b", lowered) else None
        )
    level = None
    match = _LEVEL.search(text.upper())
    if match and f"{match.group(1)}{int(match.group(2))}" in SpinalLevel.__members__:
        level = SpinalLevel(f"{match.group(1)}{int(match.group(2))}")
    return bone, side, level


def _medication_concept(resource: Resource) -> Any:
    concept = resource.get("medicationCodeableConcept")
    if concept is not None:
        return concept
    reference = str(as_dict(resource.get("medicationReference")).get("reference", ""))
    for contained in as_list(resource.get("contained")):
        item = as_dict(contained)
        if item.get("resourceType") == "Medication" and f"#{item.get('id')}" == reference:
            return item.get("code")
    display = text_of(as_dict(resource.get("medicationReference")).get("display"))
    return {"text": display} if display else None


def _bonemet_modality(concept: Any) -> Modality | None:
    for coding in codings(concept):
        if coding.get("system") == codes.MODALITY_SYSTEM and text_of(coding.get("code")) in Modality.__members__:
            return Modality(str(coding.get("code")))
    return None


def _modality_codings(resource: Resource) -> list[dict[str, Any]]:
    found = [as_dict(m) for m in as_list(resource.get("modality"))]
    for series in as_list(resource.get("series")):
        modality = as_dict(as_dict(series).get("modality"))
        if modality:
            found.append(modality)
    return found


def _study_modality(resource: Resource, description: str) -> Modality | None:
    for concept in as_list(resource.get("procedureCode")):
        exact = _bonemet_modality(concept)
        if exact is not None:
            return exact
    candidates = {
        m
        for coding in _modality_codings(resource)
        if (m := codes.modality_from_dicom(str(coding.get("code", "")), description)) is not None
    }
    if not candidates:
        named = codes.modality_from_text(description)
        return named
    return next(m for m in _MODALITY_PRIORITY if m in candidates)


def _keys_of(resource: Resource) -> list[str]:
    keys = [reference_of(resource)]
    full_url = text_of(resource.get("_fullUrl"))
    if full_url:
        keys.append(full_url)
    return keys


def _age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on a given day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _resources_with_urls(source: Any) -> list[Resource]:
    """Flatten the input, remembering each entry's fullUrl (DiagnosticReports refer to studies by it)."""
    if isinstance(source, BaseModel):
        source = source.model_dump(mode="json", exclude_none=True)
    found: list[Resource] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict) and item.get("resourceType") == "Bundle":
            for entry in as_list(item.get("entry")):
                resource = as_dict(as_dict(entry).get("resource"))
                if resource.get("resourceType") == "Bundle":
                    walk(resource)
                elif resource:
                    full_url = text_of(as_dict(entry).get("fullUrl"))
                    found.append({**resource, "_fullUrl": full_url} if full_url else dict(resource))
        elif isinstance(item, dict | list | tuple):
            found.extend(flatten(item))

    walk(source)
    return found


def _bundle_header(source: Any) -> tuple[str | None, dt.date | None]:
    if isinstance(source, BaseModel):
        source = source.model_dump(mode="json", exclude_none=True)
    bundle = as_dict(source)
    if bundle.get("resourceType") != "Bundle":
        return None, None
    identifier = as_dict(bundle.get("identifier"))
    case_id = text_of(identifier.get("value")) if identifier.get("system") == codes.CASE_ID_SYSTEM else None
    return case_id, parse_date(bundle.get("timestamp"))


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    section, _, name = path.partition(".")
    if not name:
        data[section] = value
        return
    data.setdefault(section, {})[name] = value


def _assemble(reader: _Reader, case_id: str | None, as_of: dt.date | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if case_id:
        data["id"] = case_id
    if as_of:
        data["as_of"] = as_of.isoformat()
    for path, dated in reader.values.items():
        _set_path(data, path, dated.value)
    if reader.birth_date is not None:
        _set_path(data, "patient.age_years", float(_age_on(reader.birth_date, reader.reference_date)))
    _assemble_cancer(reader, data)
    _assemble_lesions(reader, data)
    _assemble_treatment(reader, data)
    if reader.studies:
        data["imaging"] = [_study_dict(s) for s in reader.studies]
    for path, dated in reader.explicit.items():
        _set_path(data, path, dated.value)
    return data


def _assemble_cancer(reader: _Reader, data: dict[str, Any]) -> None:
    cancer: dict[str, Any] = data.setdefault("cancer", {})
    if reader.primaries:
        newest = max(reader.primaries, key=lambda p: p[1] or dt.datetime.min.replace(tzinfo=dt.UTC))
        distinct = sorted({p[0].value for p in reader.primaries})
        linked = [
            p
            for p in reader.primaries
            if any(_matches_reference(key, reader.related_primaries) for key in reader.primary_keys.get(p[3], [p[3]]))
        ]
        if linked:
            newest = max(linked, key=lambda p: p[1] or dt.datetime.min.replace(tzinfo=dt.UTC))
            if len(distinct) > 1:
                reader.warn(
                    f"Several primary cancers are coded ({', '.join(distinct)}); the bone metastasis names "
                    f"{newest[0].value} as its primary (mCODE RelatedPrimaryCancerCondition), so bonemet used it."
                )
        elif len(distinct) > 1:
            reader.warn(
                f"Several primary cancers are coded ({', '.join(distinct)}); bonemet used the most recent, "
                f"{newest[0].value}. Correct cancer.primary if another one is metastatic to bone."
            )
        cancer["history"] = CancerHistory.known_primary.value
        cancer["primary"] = newest[0].value
        if newest[0] is Primary.prostate and reader.tnm_bone_category and not reader.lesions:
            reader.warn(
                f"{reader.tnm_bone_category[0]}: TNM M1b in prostate cancer means bone metastasis (AJCC 8th "
                "edition); no lesion is coded, so add the lesions (bone, and level for the spine)."
            )
        if newest[2] is not None:
            cancer["diagnosed_on"] = newest[2].isoformat()
    elif reader.unknown_primary:
        cancer["history"] = CancerHistory.unknown_primary.value
    if reader.chemotherapy_sources:
        cancer["prior_chemotherapy"] = True
    if reader.visceral is not None:
        cancer["visceral_metastases"] = reader.visceral.value
    if reader.brain_metastases:
        cancer["brain_metastases"] = True


def _assemble_lesions(reader: _Reader, data: dict[str, Any]) -> None:
    lesions = [dict(lesion) for lesion in reader.lesions]
    for bone, source in reader.fracture_sites:
        matching = [lesion for lesion in lesions if bone is not None and lesion.get("bone") == bone.value]
        if len(matching) == 1:
            matching[0]["pathologic_fracture"] = True
        elif bone is not None and not matching:
            lesions.append({"bone": bone.value, "pathologic_fracture": True})
        else:
            reader.warn(
                f"{source}: pathological fracture coded but it cannot be tied to one lesion; "
                "set lesions[].pathologic_fracture on the right lesion."
            )
    if lesions:
        data["lesions"] = lesions


def _assemble_treatment(reader: _Reader, data: dict[str, Any]) -> None:
    treatment: dict[str, Any] = data.setdefault("treatment", {})
    agent = _current_agent(reader)
    if agent is not None:
        treatment["bone_modifying_agent"] = agent.value
    if reader.dental_done:
        treatment["dental_evaluation_done"] = True
    if reader.irradiated_sites:
        treatment["irradiated_sites"] = list(reader.irradiated_sites)
    if reader.prior_courses:
        treatment["prior_radiotherapy"] = list(reader.prior_courses)


def _current_agent(reader: _Reader) -> BoneModifyingAgent | None:
    window_start = reader.reference_date - dt.timedelta(days=CURRENT_AGENT_WINDOW_DAYS)
    current = [r for r in reader.agents if r.active or (r.when is not None and r.when.date() >= window_start)]
    if current:
        newest = max(current, key=lambda r: r.when or dt.datetime.min.replace(tzinfo=dt.UTC))
        if newest.osteoporosis_product:
            reader.warn(
                f"{newest.source}: the {newest.agent.value.replace('_', ' ')} product recorded is an "
                "osteoporosis preparation (Prolia 60 mg or Reclast/Aclasta 5 mg), not the oncology regimen."
            )
        return newest.agent
    complete = reader.medications_complete
    if complete is None:
        complete = reader.medication_resources > 0
    if reader.agents:
        past = max(reader.agents, key=lambda r: r.when or dt.datetime.min.replace(tzinfo=dt.UTC))
        reader.warn(
            f"{past.source}: {past.agent.value.replace('_', ' ')} recorded, but not within the last "
            f"{CURRENT_AGENT_WINDOW_DAYS} days; not counted as current."
        )
    return BoneModifyingAgent.none if complete else None


def _study_dict(study: _Study) -> dict[str, Any]:
    entry: dict[str, Any] = {"modality": study.modality.value}
    if study.region:
        entry["region"] = study.region
    if study.date:
        entry["date"] = study.date.isoformat()
    if study.texts:
        entry["report_text"] = "\n\n".join(study.texts)
    return entry


def _validated(data: dict[str, Any], reader: _Reader) -> Case:
    """The Case; a value the model rejects (e.g. an implausible weight) is dropped and reported."""
    case, dropped = salvage_case(data)
    for path, message in dropped:
        reader.warn(f"{path}: value from FHIR not used ({message}).")
    if case is None:
        reader.warn("The FHIR data could not be read into a valid case; an empty case was used.")
        return Case()
    return case


def _enrich(case: Case, reader: _Reader) -> tuple[Case, list[FactFromReport]]:
    if not any(study.report_text for study in case.imaging):
        return case, []
    enrich_case = enrich_case_function()
    if enrich_case is None:
        reader.warn("The report reader (bonemet.nlp.enrich_case) is not available: report texts were kept, not read.")
        return case, []
    enriched, facts = enrich_case(case)
    return enriched, list(facts)


def to_case(
    bundle: Any,
    *,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    medications_complete: bool | None = None,
    read_reports: bool = True,
    windows: Windows | None = None,
) -> FhirImport:
    """Read FHIR R4 resources (a Bundle, a list of resources or Bundles, or a model) into a Case.

    `as_of` is the evaluation date (default: the Bundle's timestamp); ages are computed on it,
    else on `today`. `medications_complete=True` means the medication list is the whole list,
    so no bone-modifying agent in it means none (default: True when any medication resource
    is present). With `read_reports`, report texts go through the report reader when it exists.
    Values older than their recency window (`windows`, default from the environment) are kept
    as history; a Patient who died on or before the evaluation date is flagged `deceased`.
    """
    case_id, stamped = _bundle_header(bundle)
    as_of = as_of or stamped
    reader = _Reader(
        reference_date=as_of or today or dt.date.today(),
        medications_complete=medications_complete,
        windows=windows or Windows.from_environment(),
    )
    resources = _resources_with_urls(bundle)
    for resource in resources:
        reader.read(resource)
    for resource in resources:
        if resource.get("resourceType") == "DiagnosticReport":
            reader.diagnostic_report(resource)
    if len(reader.patients - {""}) > 1:
        reader.warn("The data hold more than one Patient; facts from all of them were read as one patient.")
    case = _validated(_assemble(reader, case_id, as_of), reader)
    facts: list[FactFromReport] = []
    if read_reports:
        case, facts = _enrich(case, reader)
    provenance = {path: dated.source for path, dated in {**reader.values, **reader.explicit}.items()}
    provenance.update({f"lesions[{i}]": source for i, source in enumerate(reader.lesion_sources)})
    warnings = reader.final_warnings() + _history_warnings(reader)
    if reader.deceased:
        died = f" on {reader.deceased_on.isoformat()}" if reader.deceased_on else ""
        warnings.insert(0, f"The record says this patient died{died}: bonemet does not assess a deceased patient.")
    return FhirImport(
        case=case,
        deceased=reader.deceased,
        deceased_on=reader.deceased_on,
        history=reader.history,
        unknown_codes=list(reader.unknown.values()),
        warnings=warnings,
        facts_from_reports=facts,
        lab_flags=dict(reader.flags),
        conditions=reader.conditions,
        provenance=provenance,
    )


def resources_in(source: Any) -> Iterable[Resource]:
    """Every resource in `source` (public helper for callers that route resources by type)."""
    return flatten(source)
