"""Synthea-shaped records written for these tests: a patient who died in 1989, decades of labs,
hundreds of chemotherapy orders and chemo-radiation procedures (the shapes a real Synthea export
has, with Synthea's code systems and display strings; the values are ours)."""

from __future__ import annotations

import datetime as dt
from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
PATIENT = "Patient/129c6ac7"


def patient(*, born: str = "1927-05-21", died: str | None = None, deceased: bool | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": "129c6ac7", "gender": "female", "birthDate": born}
    if died is not None:
        resource["deceasedDateTime"] = f"{died}T11:32:03-04:00"
    if deceased is not None:
        resource["deceasedBoolean"] = deceased
    return resource


def condition(code: str, display: str, onset: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"c-{code}-{onset}",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
        "subject": {"reference": PATIENT},
        "onsetDateTime": f"{onset}T10:00:00-04:00",
        **extra,
    }


def lab(loinc: str, display: str, value: float, unit: str, day: dt.date, n: int = 0) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"o-{loinc}-{day.isoformat()}-{n}",
        "status": "final",
        "category": [{"coding": [{"code": "laboratory", "display": "Laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": loinc, "display": display}], "text": display},
        "subject": {"reference": PATIENT},
        "effectiveDateTime": f"{day.isoformat()}T09:00:00-04:00",
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def chemo_order(code: str, display: str, day: dt.date, n: int) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": f"m-{code}-{n}",
        "status": "stopped" if n % 7 == 0 else "completed",
        "intent": "order",
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM, "code": code, "display": display}],
            "text": display,
        },
        "subject": {"reference": PATIENT},
        "authoredOn": f"{day.isoformat()}T10:00:00-04:00",
    }


def chemoradiation(day: dt.date, n: int) -> dict[str, Any]:
    display = "Combined chemotherapy and radiation therapy (procedure)"
    return {
        "resourceType": "Procedure",
        "id": f"p-703423002-{n}",
        "status": "completed",
        "code": {"coding": [{"system": SNOMED, "code": "703423002", "display": display}], "text": display},
        "subject": {"reference": PATIENT},
        "performedPeriod": {"start": f"{day.isoformat()}T10:00:00-04:00", "end": f"{day.isoformat()}T11:00:00-04:00"},
    }


def decades_of_labs(last: dt.date, values: dict[str, tuple[str, float, str]], years: int = 30) -> list[dict[str, Any]]:
    """One value of each lab every year for `years` years up to `last`."""
    out = []
    for offset in range(years):
        day = last - dt.timedelta(days=365 * offset)
        for loinc, (display, value, unit) in values.items():
            out.append(lab(loinc, display, value, unit, day, offset))
    return out


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def breast_and_lung_history(*, died: str | None) -> list[dict[str, Any]]:
    """Breast and lung cancer, 221 paclitaxel and 221 cisplatin orders, 221 chemo-radiation procedures."""
    start = dt.date(1984, 3, 1)
    history: list[dict[str, Any]] = [
        patient(died=died),
        condition("254637007", "Non-small cell lung cancer (disorder)", "1984-02-10"),
        condition("254837009", "Malignant neoplasm of breast (disorder)", "1989-04-10"),
        condition(
            "94222008",
            "Secondary malignant neoplasm of bone (disorder)",
            "1989-04-15",
            bodySite=[{"coding": [{"system": SNOMED, "code": "71341001", "display": "Bone structure of femur"}]}],
        ),
    ]
    for n in range(221):
        day = start + dt.timedelta(days=7 * n)
        history.append(chemo_order("583214", "PACLitaxel 100 MG Injection", day, n))
        history.append(chemo_order("1736854", "Cisplatin 50 MG Injection", day, n))
        history.append(chemoradiation(day, n))
    return history
