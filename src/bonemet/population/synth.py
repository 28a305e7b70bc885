"""A synthetic health-system export in FHIR Bulk Data NDJSON, with planted care gaps.

Public Synthea data has no bone metastases, so this is the test and benchmark population.
`synthesize(patients, seed, out)` writes one NDJSON file per resource type (Patient,
Condition, Observation, MedicationRequest, Procedure, DiagnosticReport with report text,
ImagingStudy), a Bulk Data export manifest, and `ground-truth.json` beside them: every
planted care gap by patient, and every malformed line by file and line number.

What is clinical fact and what is a design choice
- Clinical facts, cited in bonemet.knowledge.primaries: how often advanced disease of each
  primary involves bone (Coleman 2006, the midpoint of the published range is used), and the
  radiographic pattern of each primary's metastases (Radiopaedia shares and the project's
  labelled estimates). Drug doses come from bonemet.knowledge.drugs (Zometa renal table,
  Xgeva 120 mg); scores are computed with bonemet.scores, so a lesion is planted above or
  below the Mirels and SINS thresholds by the published scoring itself.
- Design choices of the test population, not clinical claims: the share of patients with a
  cancer on record, the case mix of primaries, the share with advanced disease, the number
  and sites of lesions, and lab values drawn from reference ranges. They are named
  constants below and say so.

Every patient draws from its own random stream (seed and patient number), so the output
does not depend on how the work is split, and the same arguments give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from bonemet.fhir import codes as fhir_codes
from bonemet.knowledge import drugs
from bonemet.knowledge.primaries import bone_metastasis_frequency, pattern_likelihood, possible_in_sex
from bonemet.model import Case, Lesion
from bonemet.model.vocabulary import (
    Alignment,
    Bone,
    LimbPain,
    Pattern,
    PosterolateralInvolvement,
    Primary,
    Segment,
    Sex,
    Side,
    SpinalLevel,
    SpinalPain,
    VertebralCollapse,
)
from bonemet.pathway.scoring import lesion_scores
from bonemet.population.gaps import GapKind
from bonemet.scores import crcl as crcl_score
from bonemet.scores.mirels import FIXATION_THRESHOLD as MIRELS_FIXATION_THRESHOLD
from bonemet.scores.sins import UNSTABLE_FROM as SINS_UNSTABLE_FROM

RESOURCE_TYPES: tuple[str, ...] = (
    "Patient",
    "Condition",
    "Observation",
    "MedicationRequest",
    "Procedure",
    "DiagnosticReport",
    "ImagingStudy",
)
GROUND_TRUTH_FILE = "ground-truth.json"
MANIFEST_FILE = "manifest.json"
DEFAULT_AS_OF = dt.date(2026, 6, 30)

# --- Design choices of the synthetic population (not clinical facts) ---------------------------
CANCER_SHARE = 0.08  # patients with a cancer on record, in a general health-system export
ADVANCED_SHARE = 0.35  # of patients with cancer, those with advanced (metastatic) disease
CASE_MIX: tuple[tuple[Primary, float], ...] = (
    (Primary.breast, 0.28),
    (Primary.prostate, 0.24),
    (Primary.lung, 0.22),
    (Primary.kidney, 0.08),
    (Primary.thyroid, 0.05),
    (Primary.colon, 0.08),
    (Primary.melanoma, 0.05),
)
# Lesion sites among bone metastases: axial skeleton first (a design choice, weights not sourced).
LESION_SITES: tuple[tuple[Bone, float], ...] = (
    (Bone.spine, 0.40),
    (Bone.pelvis, 0.18),
    (Bone.femur, 0.14),
    (Bone.rib, 0.12),
    (Bone.humerus, 0.08),
    (Bone.skull, 0.04),
    (Bone.sternum, 0.04),
)
PLANTED_SHARE = 0.01  # planted gap patients, at least PLANTED_MINIMUM_PER_KIND of each kind
PLANTED_MINIMUM_PER_KIND = 3
MALFORMED_PER_PATIENTS = 1000  # one malformed line per this many patients, at least four
BONE_PAIN_SHARE = 0.12  # of patients with cancer and no bone metastases

_LONG_BONES_WITH_SEGMENTS = (Bone.femur, Bone.humerus)
_ZA_ORDER_TEXT = "Zoledronic acid 4 mg/100 mL solution for infusion"
_DENOSUMAB_TEXT = "Denosumab 120 mg/1.7 mL solution for injection (Xgeva)"
_SUPPLEMENT_TEXT = "Calcium carbonate 1250 mg (500 mg calcium) and cholecalciferol 400 IU tablet"


@dataclass
class _Writer:
    """Open NDJSON files with their line counts (for malformed-line numbers)."""

    out: Path
    handles: dict[str, IO[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def open(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for kind in RESOURCE_TYPES:
            self.handles[kind] = (self.out / f"{kind}.ndjson").open("w", encoding="utf-8", newline="\n")
            self.lines[kind] = 0

    def write(self, resource: dict[str, Any]) -> None:
        kind = str(resource["resourceType"])
        self.handles[kind].write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False) + "\n")
        self.lines[kind] += 1

    def write_raw(self, kind: str, text: str) -> int:
        self.handles[kind].write(text + "\n")
        self.lines[kind] += 1
        return self.lines[kind]

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


@dataclass
class _Patient:
    """One synthetic patient's resources, built up by the scenario functions."""

    pid: str
    rng: random.Random
    as_of: dt.date
    resources: list[dict[str, Any]] = field(default_factory=list)
    counter: int = 0

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{self.pid}-{prefix}{self.counter}"

    def day(self, days_ago: int) -> str:
        return (self.as_of - dt.timedelta(days=days_ago)).isoformat()

    def subject(self) -> dict[str, str]:
        return {"reference": f"Patient/{self.pid}"}

    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        self.resources.append(resource)
        return resource


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


T = TypeVar("T")


def _choice(rng: random.Random, weighted: tuple[tuple[T, float], ...]) -> T:
    values = [value for value, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass(frozen=True)
class _Body:
    age: int
    sex: Sex
    weight_kg: float
    creatinine_mg_dl: float

    def crcl(self) -> float:
        case = Case.model_validate(
            {
                "patient": {"age_years": float(self.age), "sex": self.sex.value, "weight_kg": self.weight_kg},
                "labs": {"creatinine_mg_dl": self.creatinine_mg_dl},
            }
        )
        total = crcl_score.compute(crcl_score.items_from_case(case)).total
        assert total is not None
        return total


# --- Resources --------------------------------------------------------------------------------


def _patient_resource(p: _Patient, body: _Body) -> None:
    """The Patient, born so that the completed age on the as-of date is the body's age."""
    birthday = p.as_of.replace(year=p.as_of.year - body.age) if (p.as_of.month, p.as_of.day) != (2, 29) else p.as_of
    birth = birthday - dt.timedelta(days=p.rng.randrange(360))
    p.add({"resourceType": "Patient", "id": p.pid, "gender": body.sex.value, "birthDate": birth.isoformat()})


def _condition(
    p: _Patient, codings: list[dict[str, str]], onset_days_ago: int, text: str, **extra: Any
) -> dict[str, Any]:
    return p.add(
        {
            "resourceType": "Condition",
            "id": p.next_id("c"),
            "clinicalStatus": {
                "coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")]
            },
            "verificationStatus": {
                "coding": [
                    _coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")
                ]
            },
            "code": {"coding": codings, "text": text},
            "subject": p.subject(),
            "onsetDateTime": p.day(onset_days_ago),
            **extra,
        }
    )


def _quantity_observation(p: _Patient, loinc: str, value: float, unit: str, days_ago: int) -> None:
    known = fhir_codes.observation_code(loinc)
    display = known.display if known else loinc
    p.add(
        {
            "resourceType": "Observation",
            "id": p.next_id("o"),
            "status": "final",
            "code": {"coding": [_coding(fhir_codes.system("loinc"), loinc, display)], "text": display},
            "subject": p.subject(),
            "effectiveDateTime": p.day(days_ago),
            "valueQuantity": {"value": value, "unit": unit, "system": fhir_codes.system("ucum"), "code": unit},
        }
    )


def _integer_observation(p: _Patient, loinc: str, value: int, days_ago: int) -> None:
    known = fhir_codes.observation_code(loinc)
    display = known.display if known else loinc
    p.add(
        {
            "resourceType": "Observation",
            "id": p.next_id("o"),
            "status": "final",
            "code": {"coding": [_coding(fhir_codes.system("loinc"), loinc, display)], "text": display},
            "subject": p.subject(),
            "effectiveDateTime": p.day(days_ago),
            "valueInteger": value,
        }
    )


def _case_field(p: _Patient, path: str, value: bool) -> None:
    """A fact with no standard code, written as bonemet's FHIR writer writes it."""
    p.add(
        {
            "resourceType": "Observation",
            "id": p.next_id("o"),
            "status": "final",
            "code": {"coding": [{"system": fhir_codes.CASE_FIELD_SYSTEM, "code": path}], "text": path},
            "subject": p.subject(),
            "effectiveDateTime": p.day(10),
            "valueBoolean": value,
        }
    )


def _medication(
    p: _Patient,
    text: str,
    days_ago: int,
    rxnorm: tuple[str, str] | None = None,
    dose_mg: float | None = None,
    status: str = "active",
) -> None:
    concept: dict[str, Any] = {"text": text}
    if rxnorm is not None:
        concept["coding"] = [_coding(fhir_codes.system("rxnorm"), *rxnorm)]
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": p.next_id("m"),
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": p.subject(),
        "authoredOn": p.day(days_ago),
    }
    if dose_mg is not None:
        resource["dosageInstruction"] = [
            {
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": dose_mg,
                            "unit": "mg",
                            "system": fhir_codes.system("ucum"),
                            "code": "mg",
                        }
                    }
                ]
            }
        ]
    p.add(resource)


def _procedure(p: _Patient, text: str, days_ago: int, snomed: tuple[str, str] | None = None) -> None:
    concept: dict[str, Any] = {"text": text}
    if snomed is not None:
        concept["coding"] = [_coding(fhir_codes.system("snomed"), *snomed)]
    p.add(
        {
            "resourceType": "Procedure",
            "id": p.next_id("pr"),
            "status": "completed",
            "code": concept,
            "subject": p.subject(),
            "performedDateTime": p.day(days_ago),
        }
    )


def _imaging(p: _Patient, dicom: str, description: str, days_ago: int, report: str | None) -> None:
    study_id = p.next_id("i")
    p.add(
        {
            "resourceType": "ImagingStudy",
            "id": study_id,
            "status": "available",
            "subject": p.subject(),
            "started": p.day(days_ago),
            "modality": [_coding(fhir_codes.system("dicom"), dicom, dicom)],
            "description": description,
        }
    )
    if report is None:
        return
    p.add(
        {
            "resourceType": "DiagnosticReport",
            "id": p.next_id("r"),
            "status": "final",
            "code": {"text": description},
            "subject": p.subject(),
            "effectiveDateTime": p.day(days_ago),
            "imagingStudy": [{"reference": f"ImagingStudy/{study_id}"}],
            "conclusion": report.split("IMPRESSION:")[-1].strip(),
            "presentedForm": [
                {"contentType": "text/plain", "data": base64.b64encode(report.encode("utf-8")).decode("ascii")}
            ],
        }
    )


# --- Clinical content ---------------------------------------------------------------------------


def _sex_for(rng: random.Random, primary: Primary | None) -> Sex:
    sex = rng.choice((Sex.female, Sex.male))
    if primary is Primary.breast:
        # About 1 in 100 breast cancers is in a man (knowledge.primaries, ACS): drawn as such.
        return Sex.male if rng.random() < 0.01 else Sex.female
    if primary is not None and not possible_in_sex(primary, sex):
        return Sex.male if sex is Sex.female else Sex.female
    return sex


def _primary_condition(p: _Patient, primary: Primary) -> None:
    icd = fhir_codes.primary_icd10_for_writer(primary)
    assert icd is not None
    _condition(p, [_coding(fhir_codes.system("icd10cm"), *icd)], 365 + p.rng.randrange(4 * 365), icd[1])


def _body(p: _Patient, sex: Sex, target_crcl: float | None = None, youngest: int = 45) -> _Body:
    age = youngest + p.rng.randrange(85 - youngest)
    weight = float(round(55 + p.rng.random() * 40, 1))
    if target_crcl is None:
        creatinine = round(0.7 + p.rng.random() * 0.5, 2)
    else:
        factor = crcl_score.FEMALE_FACTOR if sex is Sex.female else 1.0
        creatinine = round(
            (crcl_score.AGE_CONSTANT - age) * weight * factor / (crcl_score.CREATININE_FACTOR * target_crcl), 2
        )
    return _Body(age, sex, weight, creatinine)


def _labs(p: _Patient, body: _Body, primary: Primary | None, calcium: float | None = None) -> None:
    days = 5 + p.rng.randrange(20)
    # Calcium, albumin and creatinine are current within days (bonemet.fhir.recency: 7 by default).
    chemistry_days = 1 + p.rng.randrange(6)
    _quantity_observation(p, "29463-7", body.weight_kg, "kg", days)
    _quantity_observation(p, "2160-0", body.creatinine_mg_dl, "mg/dL", chemistry_days)
    _quantity_observation(
        p,
        "17861-6",
        calcium if calcium is not None else round(8.8 + p.rng.random() * 1.3, 1),
        "mg/dL",
        min(3, chemistry_days) if calcium is not None else chemistry_days,
    )
    _quantity_observation(p, "1751-7", round(3.8 + p.rng.random() * 0.6, 1), "g/dL", chemistry_days)
    if primary is None:
        return
    _quantity_observation(p, "1988-5", round(0.1 + p.rng.random() * 0.3, 2), "mg/dL", days)
    _quantity_observation(p, "2532-0", float(150 + p.rng.randrange(80)), "U/L", days)
    _quantity_observation(p, "777-3", float(160 + p.rng.randrange(180)), "10*9/L", days)
    _quantity_observation(p, "1975-2", round(0.3 + p.rng.random() * 0.6, 2), "mg/dL", days)
    _quantity_observation(p, "6768-6", float(70 + p.rng.randrange(150)), "U/L", days)
    _integer_observation(p, "89247-1", p.rng.choice((0, 1, 1, 2)), days)
    if primary is Primary.prostate:
        _quantity_observation(p, "2857-1", round(5 + p.rng.random() * 80, 1), "ng/mL", days)


def _cancer_context(p: _Patient, primary: Primary, bone_metastases: bool) -> None:
    """Chemotherapy, hormone dependence and targeted therapy: what the Katagiri score reads."""
    if p.rng.random() < 0.6:
        _procedure(p, "Chemotherapy", 200 + p.rng.randrange(300), ("367336001", "Chemotherapy (procedure)"))
    else:
        _case_field(p, "cancer.prior_chemotherapy", False)
    if primary is Primary.breast:
        _case_field(p, "cancer.hormone_dependent", p.rng.random() < 0.7)
    elif primary is Primary.prostate:
        # With bone metastases the test population is castration-resistant, where the
        # guidelines (ASCO 2020, ESMO 2020) support a bone-modifying agent.
        _case_field(p, "cancer.hormone_dependent", not bone_metastases)
    elif primary is Primary.lung:
        _case_field(p, "cancer.targeted_therapy", p.rng.random() < 0.3)


def _pattern(p: _Patient, primary: Primary) -> Pattern:
    return _choice(p.rng, tuple((pattern, pattern_likelihood(primary, pattern)) for pattern in Pattern))


def _lesion(p: _Patient, primary: Primary, bone: Bone) -> Lesion:
    pattern = _pattern(p, primary)
    side = p.rng.choice((Side.left, Side.right))
    if bone is Bone.spine:
        level = p.rng.choice(list(SpinalLevel)[2:24])
        return Lesion(
            bone=bone,
            level=level,
            pattern=pattern,
            spinal_pain=p.rng.choice((SpinalPain.none, SpinalPain.non_mechanical)),
            alignment=Alignment.normal,
            vertebral_collapse=p.rng.choice((VertebralCollapse.none, VertebralCollapse.none_over_50pct_involved)),
            posterolateral_involvement=PosterolateralInvolvement.none,
        )
    if bone in _LONG_BONES_WITH_SEGMENTS:
        return Lesion(
            bone=bone,
            segment=p.rng.choice((Segment.shaft, Segment.distal, Segment.proximal)),
            side=side,
            pattern=pattern,
            pain=p.rng.choice((LimbPain.none, LimbPain.mild, LimbPain.moderate)),
            cortical_involvement=round(0.1 + p.rng.random() * 0.2, 2),
            size_cm=round(1 + p.rng.random() * 2, 1),
        )
    return Lesion(bone=bone, side=None if bone in (Bone.skull, Bone.sternum) else side, pattern=pattern)


def _impending_femoral_fracture(p: _Patient, primary: Primary) -> Lesion:
    """Peritrochanteric lytic lesion, functional pain, two-thirds of the cortex: Mirels 12 (Mirels 1989)."""
    return Lesion(
        bone=Bone.femur,
        segment=Segment.peritrochanteric,
        side=p.rng.choice((Side.left, Side.right)),
        pattern=Pattern.lytic,
        pain=LimbPain.functional,
        cortical_involvement=0.7,
        size_cm=3.5,
    )


def _unstable_spine(p: _Patient) -> Lesion:
    """Junctional lytic lesion with mechanical pain, subluxation and collapse: SINS 15 (Fisher 2010)."""
    return Lesion(
        bone=Bone.spine,
        level=p.rng.choice((SpinalLevel.T12, SpinalLevel.L1, SpinalLevel.T11)),
        pattern=Pattern.lytic,
        spinal_pain=SpinalPain.mechanical,
        alignment=Alignment.subluxation_or_translation,
        vertebral_collapse=VertebralCollapse.over_50pct,
        posterolateral_involvement=PosterolateralInvolvement.none,
    )


def _lesion_extension(lesion: Lesion) -> dict[str, Any]:
    parts = []
    for name, value in lesion.model_dump(mode="json", exclude_none=True).items():
        if isinstance(value, bool):
            parts.append({"url": name, "valueBoolean": value})
        elif isinstance(value, float):
            parts.append({"url": name, "valueDecimal": value})
        elif isinstance(value, int):
            parts.append({"url": name, "valueInteger": value})
        else:
            parts.append({"url": name, "valueString": str(value)})
    return {"url": fhir_codes.LESION_EXTENSION, "extension": parts}


def _site_text(lesion: Lesion) -> str:
    if lesion.level is not None:
        return f"{lesion.level.value} vertebral body"
    side = lesion.side.value if lesion.side else ""
    words = [side, lesion.segment.value if lesion.segment else "", lesion.bone.value]
    return " ".join(w for w in words if w)


def _bone_metastasis(p: _Patient, lesion: Lesion, with_details: bool) -> None:
    site: dict[str, Any] = {"text": _site_text(lesion)}
    bone_code = fhir_codes.bone_snomed(lesion.bone)
    codings = [_coding(fhir_codes.system("snomed"), bone_code, lesion.bone.value)] if bone_code else []
    if lesion.side is not None and (side_code := fhir_codes.side_snomed(lesion.side)):
        codings.append(_coding(fhir_codes.system("snomed"), side_code, lesion.side.value))
    if codings:
        site["coding"] = codings
    extra: dict[str, Any] = {"bodySite": [site]}
    if with_details:
        extra["extension"] = [_lesion_extension(lesion)]
    _condition(
        p,
        [
            _coding(fhir_codes.system("snomed"), "94222008", "Secondary malignant neoplasm of bone"),
            _coding(fhir_codes.system("icd10cm"), "C79.51", "Secondary malignant neoplasm of bone"),
        ],
        30 + p.rng.randrange(200),
        "Bone metastases",
        **extra,
    )


def _bone_scan_report(lesions: list[Lesion]) -> str:
    sites = ", ".join(_site_text(lesion) for lesion in lesions)
    patterns = sorted({lesion.pattern.value for lesion in lesions if lesion.pattern})
    return (
        "WHOLE-BODY BONE SCAN AND CT CORRELATION\n"
        f"FINDINGS: Foci of abnormal uptake in the {sites}. CT shows {' and '.join(patterns) or 'osseous'} "
        "lesions at these sites.\n"
        f"IMPRESSION: {'Multiple osseous metastases' if len(lesions) > 1 else 'Solitary osseous lesion'}."
    )


def _skeletal_disease(p: _Patient, primary: Primary, lesions: list[Lesion]) -> list[Lesion]:
    """Conditions for the lesions (most with the lesion details, some with the site only) and the staging scan."""
    for lesion in lesions:
        _bone_metastasis(p, lesion, with_details=p.rng.random() < 0.8 or _high_risk(lesion))
    _imaging(p, "NM", "NM bone scan whole body", 40 + p.rng.randrange(100), _bone_scan_report(lesions))
    if p.rng.random() < 0.2:
        _condition(
            p,
            [_coding(fhir_codes.system("icd10cm"), "C78.00", "Secondary malignant neoplasm of unspecified lung")],
            60,
            "Lung metastases",
        )
    return lesions


def _high_risk(lesion: Lesion) -> bool:
    """Mirels or SINS at or above the threshold for surgery, by the published scoring itself."""
    case = Case(lesions=[lesion])
    found = lesion_scores(case).get(0, {})
    for name, score in found.items():
        if score.total is None:
            continue
        if name.value == "mirels" and score.total >= MIRELS_FIXATION_THRESHOLD:
            return True
        if name.value == "sins" and score.total >= SINS_UNSTABLE_FROM:
            return True
    return False


def _lesions(p: _Patient, primary: Primary, count: int) -> list[Lesion]:
    return [_lesion(p, primary, _choice(p.rng, LESION_SITES)) for _ in range(count)]


def _agent_orders(
    p: _Patient, body: _Body, agent: str, za_dose: float | None = None, days_ago: int = 14, status: str = "active"
) -> None:
    if agent == "zoledronic_acid":
        row = drugs.zoledronic_acid_dose(body.crcl())
        dose = za_dose if za_dose is not None else (row.dose_mg if row else drugs.ZOLEDRONIC_ACID_STANDARD_DOSE_MG)
        _medication(
            p, _ZA_ORDER_TEXT, days_ago, ("1114085", "zoledronic acid 0.04 MG/ML Injectable Solution"), dose, status
        )
    else:
        _medication(p, _DENOSUMAB_TEXT, days_ago, ("993449", "denosumab"), drugs.DENOSUMAB_DOSE_MG, status)


def _preferred_agent(p: _Patient, body: _Body) -> str:
    if body.crcl() < drugs.ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN:
        return "denosumab"
    return p.rng.choice(("zoledronic_acid", "denosumab"))


def _dental(p: _Patient) -> None:
    _procedure(p, "Dental examination before a bone-modifying agent", 30 + p.rng.randrange(60))


def _supplement(p: _Patient) -> None:
    _medication(p, _SUPPLEMENT_TEXT, 14)


def _surgical_review(p: _Patient, spine: bool) -> None:
    if spine:
        _procedure(p, "Spine surgery consultation", 7)
    else:
        _procedure(p, "Orthopaedic surgery consultation", 7, ("308481009", "Referral to orthopedic surgeon"))


# --- Patients -----------------------------------------------------------------------------------


def _cancer_patient(p: _Patient, primary: Primary, target_crcl: float | None = None) -> _Body:
    body = _body(p, _sex_for(p.rng, primary), target_crcl)
    _patient_resource(p, body)
    _primary_condition(p, primary)
    return body


def _complete_bone_metastases(p: _Patient, primary: Primary) -> None:
    """A patient with bone metastases who has had everything the pathway asks for."""
    body = _cancer_patient(p, primary)
    _labs(p, body, primary)
    _cancer_context(p, primary, bone_metastases=True)
    lesions = _lesions(p, primary, 2 + p.rng.randrange(4))
    _skeletal_disease(p, primary, lesions)
    for lesion in lesions:
        if _high_risk(lesion):
            _surgical_review(p, lesion.bone is Bone.spine)
    _agent_orders(p, body, _preferred_agent(p, body))
    _dental(p)
    _supplement(p)


def _cancer_without_bone_metastases(p: _Patient, primary: Primary) -> None:
    body = _cancer_patient(p, primary)
    _labs(p, body, primary)
    _cancer_context(p, primary, bone_metastases=False)
    if p.rng.random() >= BONE_PAIN_SHARE:
        return
    onset = 20 + p.rng.randrange(60)
    _condition(p, [_coding(fhir_codes.system("snomed"), "12584003", "Bone pain (finding)")], onset, "Bone pain")
    if p.rng.random() < 0.3:
        # Explained pain (osteoarthritis): imaging is not required by the pathway's suspicion rule.
        _condition(
            p,
            [_coding(fhir_codes.system("icd10cm"), "M19.90", "Unspecified osteoarthritis, unspecified site")],
            400,
            "Osteoarthritis",
        )
    else:
        _imaging(
            p,
            "DX",
            "XR painful site, two views",
            onset - 5,
            "RADIOGRAPH\nFINDINGS: No focal lytic or sclerotic lesion.\nIMPRESSION: No bone lesion.",
        )


def _background(p: _Patient) -> None:
    body = _body(p, _sex_for(p.rng, None), youngest=18)
    _patient_resource(p, body)
    _quantity_observation(p, "29463-7", body.weight_kg, "kg", 100 + p.rng.randrange(300))
    if p.rng.random() < 0.5:
        # Creatinine in µmol/L, as many laboratories report it (converted by the screen).
        _quantity_observation(p, "2160-0", float(round(body.creatinine_mg_dl / 0.011312)), "umol/L", 90)
    if p.rng.random() < 0.3:
        _condition(
            p, [_coding(fhir_codes.system("icd10cm"), "I10", "Essential (primary) hypertension")], 900, "Hypertension"
        )
        _medication(p, "Lisinopril 10 mg tablet", 60)
    if p.rng.random() < 0.05:
        _condition(p, [_coding(fhir_codes.system("snomed"), "12584003", "Bone pain (finding)")], 30, "Bone pain")
    if p.rng.random() < 0.1:
        _imaging(p, "CR", "XR chest PA", 200, None)


def _planted(p: _Patient, kind: GapKind) -> None:
    """A patient with exactly one care gap, of the given kind; everything else done."""
    primary = (Primary.breast, Primary.lung, Primary.kidney, Primary.prostate)[p.rng.randrange(4)]
    target = 45.0 if kind is GapKind.zoledronic_dose_above_renal_table else None
    body = _cancer_patient(p, primary, target)
    calcium = 13.0 if kind is GapKind.hypercalcaemia_untreated else None
    _labs(p, body, primary, calcium=calcium)
    if kind is GapKind.bone_pain_not_imaged:
        _cancer_context(p, primary, bone_metastases=False)
        # A CT from before the pain does not answer it.
        _imaging(p, "CT", "CT chest abdomen pelvis staging", 300, None)
        _condition(p, [_coding(fhir_codes.system("snomed"), "12584003", "Bone pain (finding)")], 21, "Bone pain")
        return
    _cancer_context(p, primary, bone_metastases=True)
    lesions = _lesions(p, primary, 2 + p.rng.randrange(3))
    if kind is GapKind.fracture_risk_without_surgical_review:
        lesions.append(_impending_femoral_fracture(p, primary) if p.rng.random() < 0.5 else _unstable_spine(p))
    _skeletal_disease(p, primary, lesions)
    if kind is GapKind.bma_missing:
        _dental(p)
        return
    agent = "denosumab" if kind is GapKind.denosumab_without_calcium_vitamin_d else "zoledronic_acid"
    if kind is GapKind.zoledronic_dose_above_renal_table:
        _agent_orders(p, body, agent, za_dose=drugs.ZOLEDRONIC_ACID_STANDARD_DOSE_MG)
    elif kind is GapKind.hypercalcaemia_untreated:
        # Last infusion 60 days before the raised calcium: current, but nothing given since.
        _agent_orders(p, body, agent, days_ago=60, status="completed")
    else:
        _agent_orders(p, body, agent)
    if kind is not GapKind.bma_without_dental:
        _dental(p)
    if kind is not GapKind.denosumab_without_calcium_vitamin_d:
        _supplement(p)


def _planted_kinds(patients: int) -> dict[int, GapKind]:
    kinds = list(GapKind)
    total = max(PLANTED_MINIMUM_PER_KIND * len(kinds), round(patients * PLANTED_SHARE))
    total = min(total, patients)
    step = patients / total if total else 0
    return {int(i * step): kinds[i % len(kinds)] for i in range(total)}


def _patient(index: int, seed: int, as_of: dt.date, planted: GapKind | None) -> _Patient:
    p = _Patient(pid=f"p{index:07d}", rng=random.Random(f"bonemet-synth:{seed}:{index}"), as_of=as_of)
    if planted is not None:
        _planted(p, planted)
        return p
    if p.rng.random() >= CANCER_SHARE:
        _background(p)
        return p
    primary = _choice(p.rng, CASE_MIX)
    frequency = bone_metastasis_frequency(primary)
    share = (frequency.low + frequency.high) / 200 if frequency else 0.1
    if p.rng.random() < ADVANCED_SHARE and p.rng.random() < share:
        _complete_bone_metastases(p, primary)
    else:
        _cancer_without_bone_metastases(p, primary)
    return p


_MALFORMED_KINDS: tuple[tuple[str, str], ...] = (
    ("Observation", '{"resourceType":"Observation","id":"broken-1","status":"final","code":{"coding":[{"sys'),
    ("Condition", "this line is not JSON: export interrupted"),
    ("MedicationRequest", '{"id":"no-type","status":"active"}'),
    ("Procedure", '["an", "array", "not", "a", "resource"]'),
)


def _write_malformed(writer: _Writer, number: int) -> dict[str, Any]:
    kind, text = _MALFORMED_KINDS[number % len(_MALFORMED_KINDS)]
    line = writer.write_raw(kind, text)
    return {"file": f"{kind}.ndjson", "line": line}


def _patients(count: int, seed: int, as_of: dt.date) -> Iterator[tuple[int, _Patient, GapKind | None]]:
    planted = _planted_kinds(count)
    for index in range(count):
        kind = planted.get(index)
        yield index, _patient(index, seed, as_of, kind), kind


def synthesize(patients: int, seed: int, out: Path, as_of: dt.date = DEFAULT_AS_OF) -> dict[str, Any]:
    """Write the export and its ground truth; return the ground truth."""
    malformed_every = max(1, min(MALFORMED_PER_PATIENTS, patients // 4))
    writer = _Writer(out)
    writer.open()
    planted: list[dict[str, str]] = []
    malformed: list[dict[str, Any]] = []
    try:
        for index, patient, kind in _patients(patients, seed, as_of):
            for resource in patient.resources:
                writer.write(resource)
            if kind is not None:
                planted.append({"patient_id": patient.pid, "gap": kind.value})
            if (index + 1) % malformed_every == 0:
                malformed.append(_write_malformed(writer, len(malformed)))
            if index == 0:
                writer.write_raw("Patient", "")  # a blank line: allowed, skipped silently
    finally:
        writer.close()
    truth = {
        "as_of": as_of.isoformat(),
        "patients": patients,
        "seed": seed,
        "planted_gaps": planted,
        "malformed_lines": malformed,
        "resource_counts": dict(writer.lines),
    }
    _write_manifest(out, as_of)
    (out / GROUND_TRUTH_FILE).write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return truth


def _write_manifest(out: Path, as_of: dt.date) -> None:
    """A Bulk Data export manifest (FHIR Bulk Data IG): its transactionTime is the screen's as-of date."""
    manifest = {
        "transactionTime": f"{as_of.isoformat()}T00:00:00Z",
        "request": "$export",
        "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{kind}.ndjson"} for kind in RESOURCE_TYPES],
        "error": [],
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
