"""order-select / order-sign checks on draft orders, on Assessments built directly and through
the real engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bonemet.fhir.reader import FhirImport
from bonemet.knowledge import drugs
from bonemet.model import (
    Assessment,
    Case,
    Dose,
    ImagingStudy,
    Labs,
    Lesion,
    NotRecommended,
    Recommendation,
    ScoreOut,
    Suspicion,
    Treatment,
)
from bonemet.model.vocabulary import (
    Bone,
    BoneModifyingAgent,
    Code,
    EsccGrade,
    Modality,
    Priority,
    ScoreName,
    Step,
    SuspicionLevel,
)
from bonemet.pathway import assess
from bonemet.service.cards import HookResult
from bonemet.service.order_cards import DraftOrder, draft_orders, order_cards
from tests.service.helpers import example_case

TODAY = dt.date(2026, 11, 25)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def assessment(*recs: Recommendation, **fields: Any) -> Assessment:
    return Assessment(
        engine_version="test",
        knowledge_version="test",
        as_of=TODAY.isoformat(),
        suspicion=Suspicion(level=SuspicionLevel.established),
        recommendations=list(recs),
        **fields,
    )


def crcl(value: float) -> ScoreOut:
    return ScoreOut(name=ScoreName.crcl_cockcroft_gault, total=value, higher_is_worse=False)


def medication(code: str, text: str, dose_mg: float | None = None, rid: str = "m1") -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code}], "text": text},
    }
    if dose_mg is not None:
        resource["dosageInstruction"] = [
            {"text": f"{dose_mg} mg IV", "doseAndRate": [{"doseQuantity": {"value": dose_mg, "unit": "mg"}}]}
        ]
    return resource


def service(text: str, rid: str = "s1") -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "code": {"text": text},
    }


def cards_for(order: dict[str, Any], a: Assessment, case: Case | None = None, **fields: Any) -> list[Any]:
    result = HookResult(case=case or Case(), assessment=a, patient_ref="Patient/p1", today=TODAY, **fields)
    return order_cards(result, [DraftOrder(order)], recent_imaging_days=30)


# --- zoledronic acid and renal function ----------------------------------------------------------


@pytest.mark.parametrize(("clearance", "label_dose"), [(75.0, 4.0), (55.0, 3.5), (45.0, 3.3), (35.0, 3.0), (30.0, 3.0)])
def test_zoledronic_acid_4_mg_is_corrected_to_the_label_dose(clearance: float, label_dose: float) -> None:
    cards = cards_for(medication("77655", "zoledronic acid", 4.0), assessment(scores=[crcl(clearance)]))
    if label_dose == 4.0:
        assert cards == []
        return
    (card,) = cards
    assert card.indicator == "warning"
    assert f"label dose is {label_dose:g} mg" in card.summary
    (suggestion,) = card.suggestions
    assert suggestion.is_recommended
    (action,) = suggestion.actions
    assert action.type == "update"
    dosage = action.resource["dosageInstruction"][0]
    assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == label_dose
    assert "text" not in dosage  # the old '4.0 mg IV' text would contradict the new dose


def test_the_engines_dose_wins_over_the_table_fallback() -> None:
    engine = Recommendation(
        code=Code.bma_zoledronic_acid,
        priority=Priority.routine,
        step=Step.treatment,
        text="zoledronic acid",
        dose=Dose(value=3.5, unit="mg", route="IV", interval="every 3-4 weeks", basis="engine basis"),
    )
    (card,) = cards_for(medication("77655", "zoledronic acid", 4.0), assessment(engine, scores=[crcl(45.0)]))
    assert "3.5 mg" in card.summary and "engine basis" in card.detail


def test_zoledronic_acid_below_30_ml_min_is_not_recommended() -> None:
    (card,) = cards_for(medication("77655", "zoledronic acid", 4.0), assessment(scores=[crcl(24.0)]))
    assert card.indicator == "warning"
    assert "not recommended" in card.summary
    assert "30 mL/min" in card.detail
    assert card.suggestions is None


def test_zoledronic_acid_with_unknown_clearance_says_what_is_missing() -> None:
    from bonemet.model import MissingItem

    a = assessment(missing=[MissingItem(field="labs.creatinine_mg_dl", why="dose")])
    (card,) = cards_for(medication("77655", "Zometa 4 mg", 4.0), a)
    assert card.indicator == "info" and "labs.creatinine_mg_dl" in card.detail


def test_zoledronic_acid_order_without_a_dose_gets_the_dose_offered() -> None:
    (card,) = cards_for(medication("77655", "zoledronic acid"), assessment(scores=[crcl(45.0)]))
    assert card.indicator == "info"
    assert card.suggestions[0].actions[0].resource["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"][
        "value"
    ] == pytest.approx(3.3)


def test_zoledronic_acid_during_hypercalcaemia_is_not_renally_reduced() -> None:
    hcm = Recommendation(code=Code.urgent_hypercalcemia, priority=Priority.emergency, step=Step.emergency, text="x")
    (card,) = cards_for(medication("77655", "zoledronic acid", 4.0), assessment(hcm, scores=[crcl(45.0)]))
    assert card.indicator == "info" and card.suggestions is None


def test_label_table_matches_the_knowledge_base() -> None:
    for clearance in (31.0, 45.0, 55.0, 80.0):
        expected = drugs.zoledronic_acid_dose(clearance)
        assert expected is not None
        cards = cards_for(medication("77655", "zoledronic acid", 99.0), assessment(scores=[crcl(clearance)]))
        assert f"label dose is {expected.dose_mg:g} mg" in cards[0].summary


# --- denosumab -----------------------------------------------------------------------------------


def test_denosumab_with_calcium_flagged_low_by_the_laboratory() -> None:
    case = Case(labs=Labs(calcium_mg_dl=7.6))
    imported = FhirImport(case=case, lab_flags={"labs.calcium_mg_dl": "low"})
    (card,) = cards_for(medication("993449", "denosumab 120 mg"), assessment(), case, fhir_import=imported)
    assert card.indicator == "warning"
    assert "7.6" in card.summary
    assert drugs.DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST.statement in card.detail


def test_denosumab_with_normal_calcium_is_quiet() -> None:
    case = Case(labs=Labs(calcium_mg_dl=9.4))
    imported = FhirImport(case=case, lab_flags={})
    assert cards_for(medication("993449", "Xgeva"), assessment(), case, fhir_import=imported) == []


def test_denosumab_without_a_calcium_result() -> None:
    (card,) = cards_for(medication("993449", "denosumab"), assessment())
    assert card.indicator == "info" and "no calcium" in card.summary


def test_denosumab_declined_by_the_engine_shows_its_reasons() -> None:
    declined = NotRecommended(code=Code.bma_denosumab, reasons=["Corrected calcium 7.9 mg/dL: correct it first."])
    (card,) = cards_for(medication("993449", "denosumab"), assessment(not_recommended=[declined]))
    assert "correct it first" in card.detail


def test_denosumab_ordered_while_on_zoledronic_acid() -> None:
    case = Case(
        labs=Labs(calcium_mg_dl=9.4), treatment=Treatment(bone_modifying_agent=BoneModifyingAgent.zoledronic_acid)
    )
    cards = cards_for(medication("993449", "denosumab"), assessment(), case, fhir_import=FhirImport(case=case))
    assert any("while zoledronic acid is on record" in c.summary for c in cards)


def test_bone_agent_before_dental_examination() -> None:
    dental = Recommendation(code=Code.bma_dental_evaluation, priority=Priority.routine, step=Step.supportive, text="d")
    case = Case(labs=Labs(calcium_mg_dl=9.4))
    cards = cards_for(medication("993449", "denosumab"), assessment(dental), case, fhir_import=FhirImport(case=case))
    assert any("Dental examination" in c.summary for c in cards)


# --- vertebral augmentation, imaging -------------------------------------------------------------


@pytest.mark.parametrize("grade", [EsccGrade.g1a, EsccGrade.g1c, EsccGrade.g2, EsccGrade.g3])
def test_kyphoplasty_with_epidural_tumour_is_flagged(grade: EsccGrade) -> None:
    case = Case(lesions=[Lesion(bone=Bone.spine, level="T12", escc_grade=grade)])
    (card,) = cards_for(service("Balloon kyphoplasty T12"), assessment(), case)
    assert card.indicator == "warning"
    assert f"T12: Bilsky ESCC grade {grade.value}" in card.detail
    assert card.suggestions[0].actions[0].type == "delete"


def test_kyphoplasty_without_epidural_tumour_is_quiet() -> None:
    case = Case(lesions=[Lesion(bone=Bone.spine, level="T12", escc_grade=EsccGrade.g0)])
    assert cards_for(service("Vertebroplasty T12"), assessment(), case) == []


def test_kyphoplasty_replacement_proposes_the_spine_consult() -> None:
    case = Case(lesions=[Lesion(bone=Bone.spine, level="L2", escc_grade=EsccGrade.g2)])
    consult = Recommendation(code=Code.surgery_spine_consult, priority=Priority.urgent, step=Step.treatment, text="c")
    (card,) = cards_for(service("kyphoplasty"), assessment(consult), case)
    actions = card.suggestions[0].actions
    assert [a.type for a in actions] == ["delete", "create"]
    assert actions[1].resource["code"]["coding"][0]["code"] == "surgery.spine_consult"


@pytest.mark.parametrize(
    ("order_text", "modality", "days_ago", "flagged"),
    [
        ("MRI whole spine", Modality.mri, 5, True),
        ("MR lumbar spine", Modality.mri, 29, True),
        ("MRI whole spine", Modality.mri, 45, False),
        ("Bone scintigraphy", Modality.bone_scan, 2, True),
        ("PSMA PET-CT", Modality.pet_ct, 2, False),
        ("CT chest abdomen pelvis", Modality.pet_ct, 2, False),
    ],
)
def test_imaging_already_done(order_text: str, modality: Modality, days_ago: int, flagged: bool) -> None:
    study = ImagingStudy(modality=modality, region="whole spine", date=TODAY - dt.timedelta(days=days_ago))
    cards = cards_for(service(order_text), assessment(), Case(imaging=[study]))
    assert bool(cards) is flagged
    if flagged:
        assert f"{days_ago} day(s) ago" in cards[0].summary


def test_order_select_checks_only_selected_orders() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": medication("77655", "za", 4.0, "a")}, {"resource": service("MRI", "b")}],
    }
    assert [o.reference for o in draft_orders(bundle, ["ServiceRequest/b"])] == ["ServiceRequest/b"]
    assert len(draft_orders(bundle, None)) == 2


def test_through_the_engine_zoledronic_acid_renal_example() -> None:
    case = example_case("08_zoledronic")
    a = assess(case, today=TODAY)
    result = HookResult(case=case, assessment=a, patient_ref="Patient/p1", today=TODAY)
    cards = order_cards(result, [DraftOrder(medication("77655", "zoledronic acid", 4.0))], 30)
    clearance = next(s.total for s in a.scores if s.name is ScoreName.crcl_cockcroft_gault)
    assert clearance is not None
    expected = drugs.zoledronic_acid_dose(clearance)
    assert expected is not None and expected.dose_mg < 4.0
    card = next(c for c in cards if "Zoledronic acid 4 mg" in c.summary)
    assert f"{expected.dose_mg:g} mg" in card.summary
