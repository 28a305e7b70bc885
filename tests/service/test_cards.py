"""Card logic on Assessments built directly (so each card is tested whatever the engine says
today) and through the real engine on the example cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bonemet.fhir import to_case
from bonemet.fhir.reader import CodedCondition, FhirImport
from bonemet.knowledge.guideline_sources import ASCO_2017_BMA, ZOMETA_US_PI
from bonemet.model import (
    Assessment,
    Case,
    Dose,
    Lesion,
    MissingItem,
    NotRecommended,
    Recommendation,
    ScoreItemOut,
    ScoreOut,
    Suspicion,
    Treatment,
)
from bonemet.model.vocabulary import (
    Bone,
    BoneModifyingAgent,
    Code,
    Priority,
    ScoreName,
    Segment,
    Side,
    Step,
    SuspicionLevel,
)
from bonemet.pathway import assess
from bonemet.service.cards import (
    HookResult,
    fit,
    patient_view_cards,
)
from bonemet.service.cds_models import SUMMARY_LIMIT
from tests.service.helpers import example_case

TODAY = dt.date(2026, 11, 25)
FEMUR_CASE = Case(
    lesions=[Lesion(bone=Bone.femur, segment=Segment.peritrochanteric, side=Side.right)],
    treatment=Treatment(bone_modifying_agent=BoneModifyingAgent.none),
)


def assessment(*recs: Recommendation, **fields: Any) -> Assessment:
    return Assessment(
        engine_version="test",
        knowledge_version="test",
        as_of=TODAY.isoformat(),
        suspicion=Suspicion(level=SuspicionLevel.established, reasons=["Multiple lesions in known cancer."]),
        recommendations=list(recs),
        **fields,
    )


def rec(code: Code, priority: Priority = Priority.routine, **fields: Any) -> Recommendation:
    return Recommendation(code=code, priority=priority, step=Step.treatment, text=f"Do {code.value}", **fields)


def result(a: Assessment, case: Case = FEMUR_CASE, **fields: Any) -> HookResult:
    return HookResult(case=case, assessment=a, patient_ref="Patient/p1", record_id="rec-1", today=TODAY, **fields)


def by_summary(cards: list[Any], words: str) -> Any:
    return next(c for c in cards if words in c.summary)


def test_nothing_recommended_means_no_cards() -> None:
    assert patient_view_cards(result(assessment())) == []


@pytest.mark.parametrize("code", [Code.urgent_mscc, Code.urgent_hypercalcemia])
def test_emergencies_are_critical_and_first(code: Code) -> None:
    cards = patient_view_cards(
        result(assessment(rec(Code.imaging_xray), rec(code, Priority.emergency, citations=[str(ZOMETA_US_PI)])))
    )
    assert cards[0].indicator == "critical"
    assert cards[0].source.label == f"bonemet · {ZOMETA_US_PI.label}"
    assert cards[0].source.url == ZOMETA_US_PI.url
    (suggestion,) = cards[0].suggestions or []
    (create,) = suggestion.actions or []
    assert create.type == "create" and create.resource is not None
    assert create.resource["code"]["coding"][0]["code"] == code.value


def test_bone_agent_care_gap_offers_each_agent_with_its_dose() -> None:
    za = rec(
        Code.bma_zoledronic_acid,
        dose=Dose(value=3.3, unit="mg", route="IV", interval="every 3-4 weeks", basis="CrCl 45 mL/min"),
        citations=[str(ASCO_2017_BMA)],
    )
    dmab = rec(Code.bma_denosumab, dose=Dose(value=120, unit="mg", route="SC", interval="every 4 weeks", basis="x"))
    card = by_summary(patient_view_cards(result(assessment(za, dmab))), "bone-modifying agent")
    assert card.indicator == "warning"
    assert card.selection_behavior == "at-most-one"
    assert "none is on record" in card.detail
    doses = [s.actions[0].resource["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"] for s in card.suggestions]
    assert [d["value"] for d in doses] == [3.3, 120]
    routes = [s.actions[0].resource["dosageInstruction"][0]["route"]["coding"][0]["code"] for s in card.suggestions]
    assert routes == ["47625008", "34206005"]  # SNOMED CT intravenous, subcutaneous


def test_unknown_medication_list_is_said_plainly() -> None:
    case = FEMUR_CASE.model_copy(update={"treatment": Treatment()})
    card = by_summary(patient_view_cards(result(assessment(rec(Code.bma_denosumab)), case)), "bone-modifying")
    assert "not known whether one is given" in card.detail


def test_dental_examination_gap_is_a_card_with_an_order() -> None:
    card = by_summary(patient_view_cards(result(assessment(rec(Code.bma_dental_evaluation)))), "Dental")
    assert card.suggestions[0].actions[0].resource["resourceType"] == "ServiceRequest"


def test_high_mirels_without_referral_names_the_lesion_and_score() -> None:
    mirels = ScoreOut(
        name=ScoreName.mirels,
        lesion_index=0,
        total=10,
        band="impending",
        items=[ScoreItemOut(item="site", value="peritrochanteric", points=3)],
    )
    fixation = rec(Code.surgery_prophylactic_fixation, Priority.urgent, lesion_index=0)
    card = by_summary(patient_view_cards(result(assessment(fixation, scores=[mirels]))), "impending")
    assert card.indicator == "warning"
    assert "right femur peritrochanteric" in card.summary
    assert "Mirels 10" in card.summary


def test_high_sins_spine_consult_card() -> None:
    case = Case(lesions=[Lesion(bone=Bone.spine, level="L1")])
    sins = ScoreOut(name=ScoreName.sins, lesion_index=0, total=13, band="unstable")
    consult = rec(Code.surgery_spine_consult, Priority.urgent, lesion_index=0)
    card = by_summary(patient_view_cards(result(assessment(consult, scores=[sins]), case)), "Spine surgery")
    assert "L1" in card.summary and "SINS 13" in card.summary


def test_summary_card_links_to_the_full_assessment_and_lists_missing_data() -> None:
    a = assessment(
        rec(Code.imaging_xray),
        rec(Code.lab_baseline, Priority.urgent),
        missing=[MissingItem(field="labs.creatinine_mg_dl", why="dose of zoledronic acid")],
    )
    card = by_summary(patient_view_cards(result(a, page_url="https://cds.example.org/assessments/rec-1")), "bonemet:")
    assert card.indicator == "info"
    assert card.links[0].url == "https://cds.example.org/assessments/rec-1"
    assert "(1 urgent)" in card.summary
    assert "labs.creatinine_mg_dl" in card.detail


def test_coded_metastases_without_lesion_detail_still_raise_the_agent_gap() -> None:
    imported = FhirImport(
        case=FEMUR_CASE,
        conditions=[CodedCondition(kind="bone_metastasis", system="http://snomed.info/sct", code="94222008")],
    )
    a = assessment(rec(Code.imaging_xray))
    card = by_summary(patient_view_cards(result(a, fhir_import=imported)), "problem list")
    assert card.indicator == "warning"
    assert "ESMO 2020" in card.detail
    # ... but not when the engine already spoke about agents.
    declined = assessment(
        rec(Code.imaging_xray), not_recommended=[NotRecommended(code=Code.bma_zoledronic_acid, reasons=["CrCl 20"])]
    )
    assert not any("problem list" in c.summary for c in patient_view_cards(result(declined, fhir_import=imported)))


def test_card_ids_are_stable_per_record_and_differ_between_records() -> None:
    a = assessment(rec(Code.bma_dental_evaluation))
    first = [c.uuid for c in patient_view_cards(result(a))]
    again = [c.uuid for c in patient_view_cards(result(a))]
    other = [c.uuid for c in patient_view_cards(HookResult(FEMUR_CASE, a, "Patient/p1", record_id="rec-2"))]
    assert first == again and set(first).isdisjoint(other)


@pytest.mark.parametrize("text", ["short", "word " * 60, "x" * 300])
def test_summaries_always_fit(text: str) -> None:
    assert len(fit(text)) < SUMMARY_LIMIT


# --- through the real engine ---------------------------------------------------------------------


def _engine_cards(name: str) -> list[Any]:
    case = example_case(name)
    a = assess(case, today=TODAY)
    return patient_view_cards(result(a, case))


def test_engine_cord_compression_example_gives_a_critical_card() -> None:
    cards = _engine_cards("02_cord")
    assert cards and cards[0].indicator == "critical"


def test_engine_hypercalcaemia_example_gives_an_emergency_card() -> None:
    cards = _engine_cards("03_hypercal")
    assert any("ypercalc" in c.summary and c.indicator in ("critical", "warning") for c in cards)


def test_engine_impending_fracture_example_gives_a_surgical_card_with_mirels() -> None:
    cards = _engine_cards("01_impending")
    assert any("Mirels" in c.summary for c in cards)


def test_engine_no_cards_for_explained_pain() -> None:
    cards = _engine_cards("14_low_suspicion")
    assert all(c.indicator == "info" for c in cards)


def test_cards_from_fhir_carry_the_import_notes() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1950-01-01"}},
            {
                "resource": {
                    "resourceType": "Condition",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C50.911"}]},
                }
            },
            {
                "resource": {
                    "resourceType": "Condition",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C79.51"}]},
                    "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "71341001"}]}],
                }
            },
            {"resource": {"resourceType": "Condition", "code": {"coding": [{"system": "x", "code": "y"}]}}},
        ],
    }
    imported = to_case(bundle, as_of=TODAY)
    cards = patient_view_cards(result(assess(imported.case, today=TODAY), imported.case, fhir_import=imported))
    summary = by_summary(cards, "bonemet:")
    assert "could not use" in summary.detail


def test_summary_card_says_which_parts_of_the_record_disagree() -> None:
    case = example_case("01_impending")
    conflicting = case.model_copy(update={"patient": case.patient.model_copy(update={"ecog": 0, "kps": 30})})
    card = by_summary(patient_view_cards(result(assess(conflicting, today=TODAY), conflicting)), "bonemet:")
    assert "Parts of the record disagree" in card.detail and "KPS 30 corresponds to ECOG 4" in card.detail
    plain = by_summary(_engine_cards("01_impending"), "bonemet:")
    assert "disagree" not in plain.detail
