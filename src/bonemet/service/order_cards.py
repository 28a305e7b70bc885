"""order-select and order-sign cards: checks on the draft orders being written.

- zoledronic acid: the dose against the creatinine clearance (Zometa label renal table),
  with an `update` suggestion to the right dose;
- denosumab: hypocalcaemia must be corrected first (Xgeva label);
- a second bone-modifying agent while one is on record;
- kyphoplasty / vertebroplasty with epidural tumour extension (Bilsky ESCC 1a or higher);
- imaging already done recently;
- a bone-modifying agent before the dental examination.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bonemet.fhir import codes
from bonemet.fhir.codes import RECOMMENDATION_SYSTEM
from bonemet.fhir.resources import as_dict, as_list, codings, concept_text, flatten, number_of
from bonemet.knowledge import drugs
from bonemet.knowledge.citations import all_citations
from bonemet.knowledge.guideline_sources import (
    VERTEBRAL_AUGMENTATION_REVIEW,
    XGEVA_SMPC,
    ZOMETA_SMPC,
    ZOMETA_US_PI,
)
from bonemet.model import NotRecommended, Recommendation
from bonemet.model.vocabulary import CODE_MEANING, BoneModifyingAgent, Code, EsccGrade, Modality, ScoreName
from bonemet.scores.crcl import shown as crcl_shown
from bonemet.service.cards import (
    OVERRIDE_REASONS,
    HookResult,
    card_uuid,
    fit,
    markdown_list,
    order_suggestion,
    rec_detail,
    sort_cards,
    source_for,
    source_from,
)
from bonemet.service.cds_models import Action, Card, Source, Suggestion

_AUGMENTATION = re.compile(r"kyphoplast|vertebroplast|vertebral augmentation", re.IGNORECASE)
_IMAGING_CODES = {
    Code.imaging_xray: Modality.xray,
    Code.imaging_chest_xray: Modality.xray,
    Code.imaging_bone_scan: Modality.bone_scan,
    Code.imaging_pet_ct: Modality.pet_ct,
    Code.imaging_psma_pet: Modality.psma_pet,
    Code.imaging_mri: Modality.mri,
    Code.imaging_ct: Modality.ct,
    Code.imaging_ct_chest_abdomen_pelvis: Modality.ct,
}
# Bilsky 2010: grade 0 is bone-only disease; grades 1a-1c, 2 and 3 all have epidural tumour.
_EPIDURAL_GRADES = frozenset(set(EsccGrade) - {EsccGrade.g0})
_DOSE_TOLERANCE_MG = 0.05
_CRCL_FIELDS = ("labs.creatinine_mg_dl", "patient.weight_kg", "patient.age_years", "patient.sex")


@dataclass(frozen=True)
class DraftOrder:
    resource: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.resource.get("resourceType", ""))

    @property
    def reference(self) -> str | None:
        rid = self.resource.get("id")
        return f"{self.kind}/{rid}" if isinstance(rid, str) and rid else None

    @property
    def concept(self) -> Any:
        if self.kind == "MedicationRequest":
            concept = self.resource.get("medicationCodeableConcept")
            if concept is None:
                reference = str(as_dict(self.resource.get("medicationReference")).get("reference", ""))
                for contained in as_list(self.resource.get("contained")):
                    if f"#{as_dict(contained).get('id')}" == reference:
                        return as_dict(contained).get("code")
            return concept
        return self.resource.get("code")

    @property
    def text(self) -> str:
        return concept_text(self.concept)

    def bonemet_code(self) -> Code | None:
        for coding in codings(self.concept):
            code = coding.get("code")  # any JSON value: a list here must not raise (unhashable)
            known = isinstance(code, str) and code in Code._value2member_map_
            if coding.get("system") == RECOMMENDATION_SYSTEM and known:
                return Code(str(code))
        return None

    def agent(self) -> BoneModifyingAgent | None:
        if self.kind != "MedicationRequest":
            return None
        rx = [str(c.get("code")) for c in codings(self.concept) if c.get("system") == codes.system("rxnorm")]
        found = next((a for code in rx if (a := codes.agent_from_rxnorm(code)) is not None), None)
        return found or codes.agent_from_text(self.text)

    def dose_mg(self) -> float | None:
        for dosage in as_list(self.resource.get("dosageInstruction")):
            for rate in as_list(as_dict(dosage).get("doseAndRate")):
                quantity = as_dict(as_dict(rate).get("doseQuantity"))
                value = number_of(quantity.get("value"))
                unit = str(quantity.get("code") or quantity.get("unit") or "").strip().lower()
                if value is not None and unit in ("mg", "g"):
                    return value * (1000 if unit == "g" else 1)
        return None

    def is_augmentation(self) -> bool:
        if self.kind != "ServiceRequest":
            return False
        return self.bonemet_code() is Code.spine_vertebral_augmentation or bool(_AUGMENTATION.search(self.text))

    def modality(self) -> Modality | None:
        if self.kind != "ServiceRequest":
            return None
        code = self.bonemet_code()
        if code is not None:
            return _IMAGING_CODES.get(code)
        return codes.modality_from_text(self.text)


def draft_orders(bundle: Any, selections: Iterable[str] | None) -> list[DraftOrder]:
    """The draft orders to check: all of them (order-sign) or the selected ones (order-select)."""
    kinds = ("MedicationRequest", "ServiceRequest")
    orders = [DraftOrder(r) for r in flatten(bundle) if r.get("resourceType") in kinds]
    if selections is None:
        return orders
    chosen = set(selections)
    return [o for o in orders if o.reference in chosen]


def _rec(result: HookResult, code: Code) -> Recommendation | None:
    return next((r for r in result.assessment.recommendations if r.code is code), None)


def _declined(result: HookResult, code: Code) -> NotRecommended | None:
    return next((n for n in result.assessment.not_recommended if n.code is code), None)


def _crcl(result: HookResult) -> float | None:
    score = next((s for s in result.assessment.scores if s.name is ScoreName.crcl_cockcroft_gault), None)
    return score.total if score is not None else None


def _with_dose(draft: DraftOrder, dose_mg: float) -> dict[str, Any]:
    """A copy of the draft with its first dose set to `dose_mg` (the `update` action's resource)."""
    resource = copy.deepcopy(draft.resource)
    dosages = resource.setdefault("dosageInstruction", [{}]) or [{}]
    resource["dosageInstruction"] = dosages
    rates = dosages[0].setdefault("doseAndRate", [{}]) or [{}]
    dosages[0]["doseAndRate"] = rates
    rates[0]["doseQuantity"] = {"value": dose_mg, "unit": "mg", "system": codes.system("ucum"), "code": "mg"}
    dosages[0].pop("text", None)  # the old free text would contradict the new dose
    return resource


# --- the checks ---------------------------------------------------------------------------


def zoledronic_acid_dose_card(result: HookResult, draft: DraftOrder) -> Card | None:
    if _rec(result, Code.urgent_hypercalcemia) is not None:
        return Card(
            uuid=card_uuid(result, "za-hcm", draft.reference),
            summary="Zoledronic acid with hypercalcaemia: renal dose table not applied",
            detail=(
                "The Zometa renal dose table applies to the bone-metastasis regimen. Hypercalcaemia of "
                "malignancy is treated with its own dose; see the hypercalcaemia card and the label."
            ),
            indicator="info",
            source=source_from(ZOMETA_US_PI),
        )
    crcl = _crcl(result)
    rec = _rec(result, Code.bma_zoledronic_acid)
    declined = _declined(result, Code.bma_zoledronic_acid)
    too_low = crcl is not None and drugs.zoledronic_acid_not_recommended_reason(crcl) is not None
    if too_low or (declined is not None and rec is None):
        reasons = declined.reasons if declined else [drugs.ZOLEDRONIC_ACID_SEVERE_RENAL_IMPAIRMENT.text]
        return Card(
            uuid=card_uuid(result, "za-declined", draft.reference),
            summary=fit("Zoledronic acid is not recommended for this patient"),
            detail=markdown_list(reasons),
            indicator="warning",
            source=source_for(declined.citations, result.assessment)
            if declined and declined.citations
            else source_from(ZOMETA_SMPC),
            override_reasons=list(OVERRIDE_REASONS),
        )
    expected = rec.dose.value if rec is not None and rec.dose is not None else None
    basis = rec.dose.basis if rec is not None and rec.dose is not None else None
    if expected is None and crcl is not None:
        label_dose = drugs.zoledronic_acid_dose(crcl)
        if label_dose is not None:
            expected = label_dose.dose_mg
            basis = (
                f"creatinine clearance {crcl_shown(crcl)} mL/min (Cockcroft-Gault), label band {label_dose.crcl_band}"
            )
    if expected is None:
        unknown = [m.field for m in result.assessment.missing if m.field in _CRCL_FIELDS]
        return Card(
            uuid=card_uuid(result, "za-unchecked", draft.reference),
            summary="Zoledronic acid dose not checked: creatinine clearance unknown",
            detail=(
                "The zoledronic acid dose depends on the baseline creatinine clearance (Cockcroft-Gault). "
                + (f"Missing: {', '.join(unknown)}." if unknown else "")
            ),
            indicator="info",
            source=source_from(ZOMETA_US_PI),
        )
    ordered = draft.dose_mg()
    if ordered is not None and abs(ordered - expected) <= _DOSE_TOLERANCE_MG:
        return None
    summary = (
        f"Zoledronic acid {ordered:g} mg ordered; label dose is {expected:g} mg for this renal function"
        if ordered is not None
        else f"Zoledronic acid: label dose is {expected:g} mg for this renal function"
    )
    suggestion = Suggestion(
        label=f"Change the dose to {expected:g} mg",
        uuid=card_uuid(result, "za-update", draft.reference),
        is_recommended=True,
        actions=[
            Action(
                type="update",
                description=f"Set the zoledronic acid dose to {expected:g} mg ({basis})",
                resource=_with_dose(draft, expected),
            )
        ],
    )
    detail = f"Label dose {expected:g} mg: {basis}."
    if rec is not None:
        detail += "\n\n" + rec_detail(rec)
    return Card(
        uuid=card_uuid(result, "za-dose", draft.reference),
        summary=fit(summary),
        detail=detail,
        indicator="warning" if ordered is not None else "info",
        source=(source_for(rec.citations, result.assessment) if rec and rec.citations else source_from(ZOMETA_US_PI)),
        suggestions=[suggestion] if draft.reference or ordered is None else None,
        selection_behavior="at-most-one" if draft.reference or ordered is None else None,
        override_reasons=list(OVERRIDE_REASONS),
    )


def denosumab_calcium_card(result: HookResult, draft: DraftOrder) -> Card | None:
    declined = _declined(result, Code.bma_denosumab)
    fact = drugs.DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST
    flag = result.fhir_import.lab_flags.get("labs.calcium_mg_dl") if result.fhir_import else None
    calcium = result.case.labs.calcium_mg_dl
    if declined is not None:
        return Card(
            uuid=card_uuid(result, "dmab-declined", draft.reference),
            summary="Denosumab is not recommended for this patient now",
            detail=markdown_list(declined.reasons),
            indicator="warning",
            source=(
                source_for(declined.citations, result.assessment) if declined.citations else source_from(fact.citation)
            ),
            override_reasons=list(OVERRIDE_REASONS),
        )
    if flag == "low":
        return Card(
            uuid=card_uuid(result, "dmab-low-calcium", draft.reference),
            summary=fit(f"Denosumab ordered with calcium {calcium:g} mg/dL, below the laboratory range"),
            detail=fact.text,
            indicator="warning",
            source=source_from(fact.citation),
            override_reasons=list(OVERRIDE_REASONS),
        )
    if calcium is None:
        return Card(
            uuid=card_uuid(result, "dmab-no-calcium", draft.reference),
            summary="Denosumab ordered with no calcium result on record",
            detail=fact.text,
            indicator="info",
            source=source_from(fact.citation),
        )
    return None


def second_agent_card(result: HookResult, draft: DraftOrder, agent: BoneModifyingAgent) -> Card | None:
    current = result.case.treatment.bone_modifying_agent
    if current in (None, BoneModifyingAgent.none, agent):
        return None
    if BoneModifyingAgent.denosumab not in (current, agent):
        return None  # two bisphosphonates: no label statement to cite here
    return Card(
        uuid=card_uuid(result, "second-agent", draft.reference),
        summary=fit(
            f"{agent.value.replace('_', ' ').capitalize()} ordered while {current.value.replace('_', ' ')} is on record"
        ),
        detail=(
            "Denosumab should not be combined with a bisphosphonate (Xgeva SmPC). If this is a switch, "
            "stop the current agent; if not, cancel this order."
        ),
        indicator="warning",
        source=source_from(XGEVA_SMPC),
        override_reasons=list(OVERRIDE_REASONS),
    )


def dental_first_card(result: HookResult, draft: DraftOrder) -> Card | None:
    rec = _rec(result, Code.bma_dental_evaluation)
    if rec is None:
        return None
    return Card(
        uuid=card_uuid(result, "dental-first", draft.reference),
        summary="Dental examination before the first dose of a bone-modifying agent: not on record",
        detail=rec_detail(rec),
        indicator="warning",
        source=source_for(rec.citations, result.assessment, rec.code),
        suggestions=[order_suggestion(result, rec, "Dental examination")],
        selection_behavior="at-most-one",
        override_reasons=list(OVERRIDE_REASONS),
    )


def augmentation_card(result: HookResult, draft: DraftOrder) -> Card | None:
    epidural = [
        (i, lesion)
        for i, lesion in enumerate(result.case.lesions)
        if lesion.is_spinal and lesion.escc_grade in _EPIDURAL_GRADES
    ]
    declined = _declined(result, Code.spine_vertebral_augmentation)
    if not epidural and declined is None:
        return None
    lines = [
        f"{lesion.level.value if lesion.level else lesion.bone.value}: Bilsky ESCC grade "
        f"{lesion.escc_grade.value if lesion.escc_grade else '?'} (epidural tumour)"
        for _, lesion in epidural
    ]
    lines += declined.reasons if declined else []
    citation = all_citations().get("bilsky2010_escc")
    detail = (
        "Epidural tumour extension or cord compression is a contraindication to vertebroplasty and "
        "kyphoplasty: the cement does not treat the tumour, and the canal needs decompression or "
        f"radiotherapy.\n\n{markdown_list(lines)}"
    )
    if citation is not None:
        detail += f"\n\nESCC grades: {citation}."
    suggestions = None
    consult = _rec(result, Code.surgery_spine_consult)
    if draft.reference is not None:
        actions = [
            Action(type="delete", description="Remove the vertebral augmentation order", resource_id=draft.reference)
        ]
        if consult is not None:
            actions += order_suggestion(result, consult, CODE_MEANING[consult.code]).actions or []
        suggestions = [
            Suggestion(
                label="Replace with a spine surgery consultation" if consult else "Remove the order",
                uuid=card_uuid(result, "augmentation-replace", draft.reference),
                actions=actions,
            )
        ]
    return Card(
        uuid=card_uuid(result, "augmentation", draft.reference),
        summary="Vertebral augmentation ordered with epidural tumour extension",
        detail=detail,
        indicator="warning",
        source=source_from(VERTEBRAL_AUGMENTATION_REVIEW, Code.spine_vertebral_augmentation),
        suggestions=suggestions,
        selection_behavior="at-most-one" if suggestions else None,
        override_reasons=list(OVERRIDE_REASONS),
    )


def imaging_done_card(result: HookResult, draft: DraftOrder, modality: Modality, window_days: int) -> Card | None:
    today = result.today or dt.date.today()
    recent = [
        s
        for s in result.case.imaging
        if s.modality is modality and s.date is not None and 0 <= (today - s.date).days <= window_days
    ]
    if not recent:
        return None
    latest = max(recent, key=lambda s: s.date or dt.date.min)
    done_on = latest.date or today
    days = (today - done_on).days
    name = modality.value.replace("_", " ")
    where = f" ({latest.region})" if latest.region else ""
    suggestions = (
        [
            Suggestion(
                label="Remove the duplicate order",
                uuid=card_uuid(result, "imaging-remove", draft.reference),
                actions=[Action(type="delete", description=f"Remove the {name} order", resource_id=draft.reference)],
            )
        ]
        if draft.reference
        else None
    )
    return Card(
        uuid=card_uuid(result, "imaging-done", draft.reference),
        summary=fit(f"{name.upper() if len(name) <= 3 else name.capitalize()} already done {days} day(s) ago{where}"),
        detail=f"A {name} was done on {done_on.isoformat()}{where}. Check it before ordering another.",
        indicator="info",
        source=Source(label="bonemet"),
        suggestions=suggestions,
        selection_behavior="at-most-one" if suggestions else None,
        override_reasons=list(OVERRIDE_REASONS),
    )


def _checks(result: HookResult, draft: DraftOrder, recent_imaging_days: int) -> Iterator[Card | None]:
    agent = draft.agent()
    if agent is BoneModifyingAgent.zoledronic_acid:
        yield zoledronic_acid_dose_card(result, draft)
    if agent is BoneModifyingAgent.denosumab:
        yield denosumab_calcium_card(result, draft)
    if agent is not None:
        yield second_agent_card(result, draft, agent)
        yield dental_first_card(result, draft)
    if draft.is_augmentation():
        yield augmentation_card(result, draft)
    modality = draft.modality()
    if modality is not None:
        yield imaging_done_card(result, draft, modality, recent_imaging_days)


def order_cards(result: HookResult, orders: Iterable[DraftOrder], recent_imaging_days: int) -> list[Card]:
    cards = [card for draft in orders for card in _checks(result, draft, recent_imaging_days) if card is not None]
    return sort_cards(cards)
