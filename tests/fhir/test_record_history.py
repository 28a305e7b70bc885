"""A record is a history, not a snapshot (issue 12.1): death, stale values, chemotherapy, repeated warnings.

Each test reads a Synthea-shaped record (tests/fhir/synthea_shaped.py) through the public reader
`bonemet.fhir.to_case`, and then through `bonemet.assess` where the plan is what matters.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bonemet.fhir import to_case
from bonemet.fhir.recency import Kind, Windows
from bonemet.pathway import assess
from tests.fhir.synthea_shaped import (
    breast_and_lung_history,
    bundle,
    chemo_order,
    condition,
    decades_of_labs,
    lab,
    patient,
)

TODAY = dt.date(2026, 12, 5)
CALCIUM = ("17861-6", "Calcium [Mass/volume] in Serum or Plasma")
ALBUMIN = ("1751-7", "Albumin [Mass/volume] in Serum or Plasma")
CREATININE = ("38483-4", "Creatinine [Mass/volume] in Blood")


def _codes(case_bundle: dict[str, object], today: dt.date = TODAY) -> set[str]:
    imported = to_case(case_bundle, as_of=today)
    return {r.code.value for r in assess(imported.case, today=today).recommendations}


def test_a_patient_who_died_in_1989_is_flagged_deceased_not_assessed_as_a_99_year_old() -> None:
    imported = to_case(bundle(*breast_and_lung_history(died="1989-05-09")), as_of=TODAY)
    assert imported.deceased is True
    assert imported.deceased_on == dt.date(1989, 5, 9)
    assert imported.warnings[0].startswith("The record says this patient died on 1989-05-09")


def test_deceased_boolean_counts_and_a_death_after_the_evaluation_date_does_not() -> None:
    assert to_case(bundle(patient(deceased=True)), as_of=TODAY).deceased is True
    later = to_case(bundle(patient(died="1989-05-09")), as_of=dt.date(1989, 5, 1))
    assert later.deceased is False and later.case.patient.age_years == 61


def test_a_calcium_from_1989_never_raises_a_hypercalcaemia_emergency_in_2026() -> None:
    labs = [
        lab(CALCIUM[0], CALCIUM[1], 11.8, "mg/dL", dt.date(1989, 4, 20)),
        lab(ALBUMIN[0], ALBUMIN[1], 3.2, "g/dL", dt.date(1989, 4, 20)),
        lab(CREATININE[0], CREATININE[1], 1.3, "mg/dL", dt.date(1989, 4, 20)),
    ]
    record = bundle(
        patient(born="1960-05-21"), condition("254837009", "Malignant neoplasm of breast", "2020-01-01"), *labs
    )
    imported = to_case(record, as_of=TODAY)
    assert imported.case.labs.calcium_mg_dl is None
    assert {h.field for h in imported.history} == {"labs.calcium_mg_dl", "labs.albumin_g_dl", "labs.creatinine_mg_dl"}
    assert all(h.days_old > 13000 and h.window_days == 7 for h in imported.history)
    assert any(
        "3 calcium, albumin, creatinine" in w and "BONEMET_RECENCY_ACUTE_CHEMISTRY_DAYS" in w for w in imported.warnings
    )
    assert "urgent.hypercalcemia" not in _codes(record)
    # On the day the value was taken it is current, and the emergency fires as it should.
    assert "urgent.hypercalcemia" in _codes(record, today=dt.date(1989, 4, 22))


def test_decades_of_labs_use_the_newest_current_value_and_keep_the_rest_as_history() -> None:
    values = {CALCIUM[0]: (CALCIUM[1], 9.4, "mg/dL"), CREATININE[0]: (CREATININE[1], 0.9, "mg/dL")}
    record = bundle(patient(born="1960-05-21"), *decades_of_labs(TODAY - dt.timedelta(days=2), values))
    imported = to_case(record, as_of=TODAY)
    assert imported.case.labs.calcium_mg_dl == 9.4
    assert len(imported.history) == 2 * 29
    assert sum("older than" in w for w in imported.warnings) == 1  # one line for the kind, with the count


def test_the_windows_are_settings() -> None:
    windows = Windows.from_environment({"BONEMET_RECENCY_ACUTE_CHEMISTRY_DAYS": "30"})
    assert windows.window(Kind.acute_chemistry) == 30
    record = bundle(lab(CALCIUM[0], CALCIUM[1], 9.4, "mg/dL", TODAY - dt.timedelta(days=20)))
    assert to_case(record, as_of=TODAY).case.labs.calcium_mg_dl is None
    assert to_case(record, as_of=TODAY, windows=windows).case.labs.calcium_mg_dl == 9.4
    with pytest.raises(ValueError, match="BONEMET_RECENCY_IMAGING_DAYS: 'soon' is not allowed"):
        Windows.from_environment({"BONEMET_RECENCY_IMAGING_DAYS": "soon"})


def test_performance_status_and_imaging_have_windows_too() -> None:
    ecog = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
        "effectiveDateTime": "2026-06-01",
        "valueInteger": 1,
    }
    scan = {
        "resourceType": "ImagingStudy",
        "id": "scan",
        "status": "available",
        "started": "2025-01-10",
        "description": "Whole body bone scan",
        "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "NM"}],
    }
    imported = to_case(bundle(ecog, scan), as_of=TODAY)
    assert imported.case.patient.ecog is None and imported.case.imaging == []
    assert {h.kind for h in imported.history} == {"performance_status", "imaging"}


def test_221_paclitaxel_and_cisplatin_orders_register_as_prior_chemotherapy() -> None:
    imported = to_case(bundle(*breast_and_lung_history(died=None)), as_of=TODAY)
    assert imported.case.cancer.prior_chemotherapy is True
    assert imported.case.treatment.bone_modifying_agent is not None  # the reader still read the medication list


def test_chemotherapy_by_atc_l01_and_by_ingredient_name_but_not_methotrexate() -> None:
    atc = {
        "resourceType": "MedicationStatement",
        "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "L01CD01"}]},
    }
    assert to_case(bundle(atc), as_of=TODAY).case.cancer.prior_chemotherapy is True
    named = chemo_order("999999", "carboplatin 10 MG/ML Injectable Solution", TODAY, 1)
    assert to_case(bundle(named), as_of=TODAY).case.cancer.prior_chemotherapy is True
    methotrexate = chemo_order("105586", "methotrexate 2.5 MG Oral Tablet", TODAY, 1)
    assert to_case(bundle(methotrexate), as_of=TODAY).case.cancer.prior_chemotherapy is None


def test_221_chemoradiation_procedures_without_a_site_give_one_warning_with_the_count() -> None:
    imported = to_case(bundle(*breast_and_lung_history(died=None)), as_of=TODAY)
    site_warnings = [w for w in imported.warnings if "radiotherapy recorded without a body site" in w.lower()]
    assert len(site_warnings) == 1
    assert "(221 resources:" in site_warnings[0]
