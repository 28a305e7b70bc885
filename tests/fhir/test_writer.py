"""Assessment -> FHIR: RiskAssessments for scores and prognosis, proposed ServiceRequests and
MedicationRequests (with the structured dose), valid against the R4 models."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from bonemet.examples import example_paths
from bonemet.fhir import from_assessment
from bonemet.fhir.codes import RECOMMENDATION_SYSTEM, SCORE_SYSTEM, SCORE_TOTAL_EXTENSION
from bonemet.model import (
    Assessment,
    Dose,
    Prognosis,
    Recommendation,
    ScoreItemOut,
    ScoreOut,
    Suspicion,
    parse_case,
)
from bonemet.model.vocabulary import Code, Priority, ScoreName, Step, SuspicionLevel
from bonemet.pathway import assess

TODAY = dt.date(2026, 11, 25)


def built() -> Assessment:
    return Assessment(
        case_id="c1",
        engine_version="t",
        knowledge_version="t",
        as_of="2026-11-25",
        suspicion=Suspicion(level=SuspicionLevel.established),
        scores=[
            ScoreOut(
                name=ScoreName.mirels,
                lesion_index=0,
                total=10,
                band="impending fracture",
                items=[ScoreItemOut(item="site", value="peritrochanteric", points=3)],
                interpretation="Prophylactic fixation recommended.",
                citation="Mirels 1989",
            )
        ],
        prognosis=Prognosis(band="intermediate", survival={"6_months": 0.74, "12_months": 0.49}),
        recommendations=[
            Recommendation(
                code=Code.bma_zoledronic_acid,
                priority=Priority.routine,
                step=Step.treatment,
                text="Zoledronic acid 3.3 mg IV every 3-4 weeks",
                reasons=["Bone metastases from breast cancer"],
                citations=["Zometa US label: ..."],
                dose=Dose(value=3.3, unit="mg", route="IV", interval="every 3-4 weeks", basis="CrCl 45 mL/min"),
            ),
            Recommendation(
                code=Code.surgery_prophylactic_fixation,
                priority=Priority.urgent,
                step=Step.treatment,
                text="Orthopaedic referral",
                lesion_index=0,
            ),
            Recommendation(code=Code.urgent_mscc, priority=Priority.emergency, step=Step.emergency, text="MSCC"),
        ],
    )


def resources(bundle: Bundle) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    data = json.loads(bundle.model_dump_json(exclude_none=True))
    by_type: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for entry in data["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return by_type


def test_scores_become_risk_assessments() -> None:
    out = resources(from_assessment(built(), "Patient/p1"))
    mirels, prognosis = out["RiskAssessment"]
    assert mirels["code"]["coding"][0] == {"system": SCORE_SYSTEM, "code": "mirels"}
    assert mirels["extension"] == [{"url": SCORE_TOTAL_EXTENSION, "valueDecimal": 10.0}]
    assert mirels["prediction"][0]["qualitativeRisk"]["text"] == "impending fracture"
    assert mirels["subject"] == {"reference": "Patient/p1"}
    assert [p["probabilityDecimal"] for p in prognosis["prediction"]] == [0.49, 0.74]
    assert prognosis["prediction"][1]["whenRange"]["high"] == {
        "value": 6,
        "unit": "months",
        "system": "http://unitsofmeasure.org",
        "code": "mo",
    }


def test_drug_recommendation_is_a_proposed_medication_request_with_the_dose() -> None:
    (request,) = resources(from_assessment(built(), "Patient/p1"))["MedicationRequest"]
    assert (request["status"], request["intent"]) == ("draft", "proposal")
    assert request["medicationCodeableConcept"]["coding"][0]["code"] == "77655"
    dosage = request["dosageInstruction"][0]
    assert dosage["doseAndRate"][0]["doseQuantity"] == {
        "value": 3.3,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }
    assert dosage["route"]["coding"][0]["code"] == "47625008"
    assert dosage["timing"]["code"]["text"] == "every 3-4 weeks"
    assert request["reasonCode"] == [{"text": "Bone metastases from breast cancer"}]


@pytest.mark.parametrize(("code", "priority"), [("surgery.prophylactic_fixation", "urgent"), ("urgent.mscc", "stat")])
def test_other_recommendations_are_proposed_service_requests(code: str, priority: str) -> None:
    requests = resources(from_assessment(built(), "Patient/p1"))["ServiceRequest"]
    request = next(r for r in requests if r["code"]["coding"][0]["code"] == code)
    assert request["code"]["coding"][0]["system"] == RECOMMENDATION_SYSTEM
    assert (request["status"], request["intent"], request["priority"]) == ("draft", "proposal", priority)


def test_output_is_deterministic() -> None:
    assert from_assessment(built(), "Patient/p1") == from_assessment(built(), "Patient/p1")


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_example_assessment_is_valid_r4(path: object) -> None:
    assessment = assess(parse_case(path.read_text()), today=TODAY)  # type: ignore[attr-defined]
    bundle = from_assessment(assessment, "Patient/p1")
    again = Bundle.model_validate(json.loads(bundle.model_dump_json(exclude_none=True)))
    expected = 1 + len(assessment.scores) + len(assessment.recommendations) + (1 if assessment.prognosis else 0)
    assert len(again.entry or []) == expected
