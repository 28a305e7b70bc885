"""Cohort rows -> the Case the engine assesses, plus the care facts the Case has no field for.

This is assembly only: the rows were built set-based by the shared queries; here one
patient's handful of rows become a Case (as the FHIR reader would build it) and a
`CareFacts` record (supplements, surgical review, treatment dates) the gap rules need.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bonemet.fhir.resources import parse_date
from bonemet.model import Case, salvage_case
from bonemet.model.vocabulary import Bone, CancerHistory, Primary, SpinalLevel

# Case fields that a bonemet case-field Observation may set (bonemet.fhir.writer writes them
# for facts no standard terminology names; the FHIR reader reads them the same way).
CASE_FIELD_SECTIONS = ("patient", "cancer", "presentation", "skeletal_burden", "labs", "treatment")
_NUMBER_FIELDS = {"size_cm", "cortical_involvement"}
_BOOLEAN_FIELDS = {"pathologic_fracture"}


@dataclass(frozen=True)
class CareFacts:
    """What the export shows was done, beyond the Case's own fields."""

    patient_id: str
    current_agent: str | None
    agent_dose_mg: float | None
    agent_for_hypercalcaemia: bool
    supplement_current: bool
    dental_done: bool
    surgical_review: bool
    calcium_day: str | None
    hypercalcaemia_treated_after: bool
    bone_pain: bool
    pain_explained: bool
    imaging_since_pain: int


@dataclass(frozen=True)
class PatientRecord:
    case: Case
    facts: CareFacts
    dropped: tuple[str, ...]  # values the Case model rejected, reported and left out


def group_by_patient(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row["patient_id"])].append(row)
    return grouped


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    section, _, name = path.partition(".")
    if not name:
        data[section] = value
        return
    data.setdefault(section, {})[name] = value


def _flag(row: dict[str, Any], name: str) -> bool:
    return bool(row.get(name))


def _cancer(row: dict[str, Any]) -> dict[str, Any]:
    cancer: dict[str, Any] = {}
    primary = row.get("primary_site")
    if primary in Primary.__members__:
        cancer["history"] = CancerHistory.known_primary.value
        cancer["primary"] = primary
        onset = parse_date(row.get("primary_onset"))
        if onset is not None:
            cancer["diagnosed_on"] = onset.isoformat()
    elif _flag(row, "unknown_primary"):
        cancer["history"] = CancerHistory.unknown_primary.value
    if row.get("visceral"):
        cancer["visceral_metastases"] = row["visceral"]
    if _flag(row, "brain_metastases"):
        cancer["brain_metastases"] = True
    if _flag(row, "chemotherapy"):
        cancer["prior_chemotherapy"] = True
    return cancer


def _lesion(row: dict[str, Any]) -> dict[str, Any] | None:
    bone = row.get("bone")
    if bone not in Bone.__members__:
        return None
    lesion: dict[str, Any] = {"bone": bone}
    if not row.get("has_detail"):
        if row.get("side") is not None:
            lesion["side"] = row["side"]
        level = row.get("site_level")
        if level in SpinalLevel.__members__ and bone in (Bone.spine.value, Bone.sacrum.value):
            lesion["level"] = level
        return lesion
    for name in ("segment", "level", "side", "pattern", "pain", "spinal_pain", "alignment", "vertebral_collapse"):
        if row.get(name) is not None:
            lesion[name] = row[name]
    for name in ("posterolateral_involvement", "escc_grade"):
        if row.get(name) is not None:
            lesion[name] = row[name]
    for name in _NUMBER_FIELDS:
        if row.get(name) is not None:
            lesion[name] = float(row[name])
    for name in _BOOLEAN_FIELDS:
        if row.get(name) is not None:
            lesion[name] = str(row[name]).lower() == "true"
    return lesion


def _lesions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lesions, then pathological fractures tied to the one lesion of their bone (as the reader does)."""
    lesions = [lesion for row in rows if row["kind"] == "lesion" and (lesion := _lesion(row)) is not None]
    for row in rows:
        if row["kind"] != "fracture" or row.get("bone") not in Bone.__members__:
            continue
        matching = [lesion for lesion in lesions if lesion["bone"] == row["bone"]]
        if len(matching) == 1:
            matching[0]["pathologic_fracture"] = True
        elif not matching:
            lesions.append({"bone": row["bone"], "pathologic_fracture": True})
    return lesions


def _case_field_value(row: dict[str, Any]) -> Any:
    return row["value_text"] if row.get("value_text") is not None else row.get("value_number")


def _facts(row: dict[str, Any]) -> CareFacts:
    dose = row.get("agent_dose_value")
    unit = row.get("agent_dose_unit")
    return CareFacts(
        patient_id=str(row["patient_id"]),
        current_agent=row.get("current_agent"),
        agent_dose_mg=float(dose) if dose is not None and unit == "mg" else None,
        agent_for_hypercalcaemia=str(row.get("agent_reason_code") or "").upper() == "E83.52",
        supplement_current=_flag(row, "supplement_current"),
        dental_done=_flag(row, "dental_done"),
        surgical_review=_flag(row, "surgical_review"),
        calcium_day=row.get("calcium_day"),
        hypercalcaemia_treated_after=_flag(row, "hypercalcaemia_treated_after"),
        bone_pain=_flag(row, "bone_pain"),
        pain_explained=_flag(row, "pain_explained"),
        imaging_since_pain=int(row.get("imaging_since_pain") or 0),
    )


def case_data(
    row: dict[str, Any],
    labs: list[dict[str, Any]],
    fields: list[dict[str, Any]],
    lesions: list[dict[str, Any]],
    studies: list[dict[str, Any]],
    as_of: dt.date,
) -> dict[str, Any]:
    """The Case as plain data, before validation."""
    data: dict[str, Any] = {"id": str(row["patient_id"]), "as_of": as_of.isoformat()}
    patient: dict[str, Any] = {}
    if row.get("gender") in ("female", "male"):
        patient["sex"] = row["gender"]
    data["patient"] = patient
    for lab in labs:
        _set_path(data, str(lab["field"]), float(lab["value"]))
    birth = parse_date(row.get("birth_date"))
    if birth is not None:
        patient["age_years"] = float(_age_on(birth, as_of))
    data["cancer"] = _cancer(row)
    if _flag(row, "bone_pain"):
        data["presentation"] = {"bone_pain": True, "pain_unexplained": not _flag(row, "pain_explained")}
    found = _lesions(lesions)
    if found:
        data["lesions"] = found
    treatment: dict[str, Any] = {}
    if row.get("current_agent"):
        treatment["bone_modifying_agent"] = row["current_agent"]
    elif _flag(row, "has_medication_record"):
        treatment["bone_modifying_agent"] = "none"
    if _flag(row, "dental_done"):
        treatment["dental_evaluation_done"] = True
    data["treatment"] = treatment
    imaging = [
        {"modality": s["modality"], **({"date": s["started_day"]} if parse_date(s.get("started_day")) else {})}
        | ({"region": s["description"][:200]} if s.get("description") else {})
        for s in studies
    ]
    if imaging:
        data["imaging"] = imaging
    for field_row in fields:
        path = str(field_row["path"])
        if path.partition(".")[0] in CASE_FIELD_SECTIONS:
            _set_path(data, path, _case_field_value(field_row))
    return data


def validated_case(data: dict[str, Any]) -> tuple[Case, tuple[str, ...]]:
    """The Case; a value the model rejects is dropped and named (like the FHIR reader does)."""
    case, dropped = salvage_case(data)
    paths = tuple(path for path, _ in dropped)
    if case is None:
        return Case(id=data.get("id")), (*paths, "(case could not be validated)")
    return case, paths


def patient_records(tables: dict[str, list[dict[str, Any]]], as_of: dt.date) -> list[PatientRecord]:
    """Every cohort patient of one chunk, in patient order."""
    labs = group_by_patient(tables["cohort_lab"])
    fields = group_by_patient(tables["cohort_case_field"])
    lesions = group_by_patient(tables["cohort_lesion"])
    studies = group_by_patient(tables["cohort_imaging"])
    records = []
    for row in tables["cohort_case"]:
        key = str(row["patient_id"])
        data = case_data(row, labs.get(key, []), fields.get(key, []), lesions.get(key, []), studies.get(key, []), as_of)
        case, dropped = validated_case(data)
        records.append(PatientRecord(case=case, facts=_facts(row), dropped=dropped))
    return records
