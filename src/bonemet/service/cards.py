"""patient-view cards: the engine's Assessment turned into CDS Hooks cards.

One card per thing a clinician must act on, not one per recommendation (alert fatigue
is a patient-safety problem): emergencies (critical), care gaps (no bone-modifying agent,
no dental examination, a score high enough for a surgical opinion without one), and one
summary card with a link to the full assessment. The engine decides *whether* something
is recommended; the cards only decide how it is shown.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bonemet.fhir import FhirImport, request_for
from bonemet.fhir.codes import BONEMET_BASE, RECOMMENDATION_SYSTEM
from bonemet.knowledge.citations import Citation, all_citations
from bonemet.model import Assessment, Case, Recommendation, ScoreOut
from bonemet.model.vocabulary import CODE_MEANING, BoneModifyingAgent, Code, Priority, ScoreName
from bonemet.render.plan import DoNow, do_now
from bonemet.service.cds_models import (
    SUMMARY_LIMIT,
    Action,
    Card,
    Coding,
    Link,
    OverrideReason,
    Source,
    Suggestion,
)

OVERRIDE_SYSTEM = f"{BONEMET_BASE}/CodeSystem/override-reason"
OVERRIDE_REASONS = (
    OverrideReason(code="already-addressed", system=OVERRIDE_SYSTEM, display="Already addressed"),
    OverrideReason(code="not-indicated", system=OVERRIDE_SYSTEM, display="Not indicated for this patient"),
    OverrideReason(code="patient-declined", system=OVERRIDE_SYSTEM, display="Patient declined"),
    OverrideReason(code="disagree", system=OVERRIDE_SYSTEM, display="Disagree with the suggestion"),
)
_CARD_NAMESPACE = uuid.UUID("0b7c3d1e-2f4a-4e8b-9c6d-5a1f2e3b4c5d")

EMERGENCY_CODES = frozenset({Code.urgent_mscc, Code.urgent_hypercalcemia})
AGENT_CODES: dict[Code, BoneModifyingAgent] = {
    Code.bma_zoledronic_acid: BoneModifyingAgent.zoledronic_acid,
    Code.bma_denosumab: BoneModifyingAgent.denosumab,
    Code.bma_pamidronate: BoneModifyingAgent.pamidronate,
}
SURGICAL_CODES = frozenset(
    {
        Code.surgery_fixation,
        Code.surgery_prophylactic_fixation,
        Code.surgery_spine_consult,
        Code.surgery_en_bloc_resection,
        Code.referral_orthopedic_oncology,
    }
)
# Scores shown beside a surgical recommendation on the same lesion.
LESION_SCORE_LABELS = {ScoreName.mirels: "Mirels", ScoreName.sins: "SINS", ScoreName.escc: "ESCC"}
Indicator = Literal["info", "warning", "critical"]
_INDICATOR: dict[Priority, Indicator] = {
    Priority.emergency: "critical",
    Priority.urgent: "warning",
    Priority.routine: "info",
    Priority.consider: "info",
}
_INDICATOR_ORDER = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class HookResult:
    """Everything a hook's cards are built from."""

    case: Case
    assessment: Assessment
    patient_ref: str
    record_id: str | None = None
    page_url: str | None = None
    fhir_import: FhirImport | None = None
    today: dt.date | None = None
    # Prefetch keys that could not be obtained, with why (CDS Hooks: a client leaves out the keys
    # its own query failed on); the cards are made without them and say so.
    missing_data: tuple[str, ...] = ()
    # The SMART launch URL (BONEMET_SMART_CLIENT_ID set): the summary card offers the app with a
    # 'smart' link, the EHR adds iss and launch; the capability link stays as a fallback.
    smart_launch_url: str | None = None


# --- helpers ------------------------------------------------------------------------------


def fit(text: str, limit: int = SUMMARY_LIMIT - 1) -> str:
    """One line under the limit, cut at a word boundary with an ellipsis when too long."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def card_uuid(result: HookResult, *parts: object) -> str:
    """Stable per assessment record and card, so feedback can be traced back to the assessment."""
    key = [result.record_id or result.assessment.model_dump_json(), *map(str, parts)]
    return str(uuid.uuid5(_CARD_NAMESPACE, "|".join(key)))


_CITATION_INDEX: dict[str, Citation] = {}


def _citation_by_text() -> dict[str, Citation]:
    """Citations by their printed form (recommendations carry the text); rebuilt when the registry grows."""
    registry = all_citations()
    if len(registry) != len(_CITATION_INDEX):
        _CITATION_INDEX.clear()
        _CITATION_INDEX.update({str(c): c for c in registry.values()})
    return _CITATION_INDEX


def source_for(citations: Iterable[str], assessment: Assessment, topic: Code | None = None) -> Source:
    """The card's source: its first citation (label and URL), 'bonemet' when it has none."""
    first = next(iter(citations), None)
    coding = (
        Coding(code=topic.value, system=RECOMMENDATION_SYSTEM, display=CODE_MEANING.get(topic))
        if topic is not None
        else None
    )
    if first is None:
        return Source(label="bonemet", topic=coding)
    known = _citation_by_text().get(first)
    url = next((s.url for s in assessment.sources if s.citation == first and s.url), None)
    if known is not None:
        return Source(label=f"bonemet · {known.label}", url=url or known.url, topic=coding)
    return Source(label=f"bonemet · {first.split(':', 1)[0]}", url=url, topic=coding)


def source_from(citation: Citation, topic: Code | None = None) -> Source:
    coding = Coding(code=topic.value, system=RECOMMENDATION_SYSTEM, display=CODE_MEANING.get(topic)) if topic else None
    return Source(label=f"bonemet · {citation.label}", url=citation.url, topic=coding)


def markdown_list(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def rec_detail(rec: Recommendation) -> str:
    parts = [rec.text]
    if rec.dose is not None:
        d = rec.dose
        parts.append(f"**Dose:** {d.value:g} {d.unit} {d.route}, {d.interval} ({d.basis})")
    if rec.reasons:
        parts.append("**Why:**\n" + markdown_list(rec.reasons))
    if rec.citations:
        parts.append("**Sources:**\n" + markdown_list(rec.citations))
    return "\n\n".join(parts)


def order_suggestion(result: HookResult, rec: Recommendation, label: str, recommended: bool = False) -> Suggestion:
    resource = request_for(rec, result.assessment, result.patient_ref)
    return Suggestion(
        label=fit(label, 80),
        uuid=card_uuid(result, "suggestion", rec.code.value, rec.lesion_index),
        is_recommended=True if recommended else None,
        actions=[Action(type="create", description=fit(f"Propose: {label}", 200), resource=resource)],
    )


def lesion_words(case: Case, index: int | None) -> str:
    if index is None or index >= len(case.lesions):
        return ""
    lesion = case.lesions[index]
    where = [lesion.side.value if lesion.side else "", lesion.bone.value]
    if lesion.level is not None:
        where = [lesion.level.value]
    elif lesion.segment is not None:
        where.append(lesion.segment.value)
    return " ".join(w for w in where if w)


def lesion_scores(assessment: Assessment, index: int | None) -> list[ScoreOut]:
    return [s for s in assessment.scores if s.lesion_index == index and s.name in LESION_SCORE_LABELS]


def score_words(scores: Iterable[ScoreOut]) -> str:
    shown = []
    for score in scores:
        label = LESION_SCORE_LABELS[score.name]
        if score.name is ScoreName.escc and score.band:
            shown.append(f"{label} {score.band}")
        elif score.total is not None:
            shown.append(f"{label} {score.total:g}")
    return ", ".join(shown)


def do_now_markdown(now: DoNow) -> str:
    """The "do now" block (the same one the page and the terminal show) as card markdown."""
    if now.actions:
        parts = ["**Do now:**\n" + markdown_list(item.line() for item in now.actions)]
    elif now.next_steps:
        parts = ["**Nothing urgent. Next:**\n" + markdown_list(item.line() for item in now.next_steps)]
    else:
        parts = ["**Do now:** no recommendation from the data given."]
    if now.scores:
        parts.append("**Scores that decide:** " + "; ".join(score.line() for score in now.scores))
    if now.gaps:
        parts.append("**Would change the plan most if known:**\n" + markdown_list(gap.line() for gap in now.gaps))
    return "\n\n".join(parts)


def sort_cards(cards: list[Card]) -> list[Card]:
    return sorted(cards, key=lambda c: _INDICATOR_ORDER[c.indicator])


# --- the cards ----------------------------------------------------------------------------


def emergency_cards(result: HookResult) -> list[Card]:
    cards = []
    for rec in result.assessment.recommendations:
        if rec.code not in EMERGENCY_CODES:
            continue
        where = lesion_words(result.case, rec.lesion_index)
        summary = CODE_MEANING[rec.code] + (f" ({where})" if where else "")
        cards.append(
            Card(
                uuid=card_uuid(result, "emergency", rec.code.value, rec.lesion_index),
                summary=fit(summary),
                detail=rec_detail(rec),
                indicator="critical" if rec.priority is Priority.emergency else "warning",
                source=source_for(rec.citations, result.assessment, rec.code),
                suggestions=[order_suggestion(result, rec, CODE_MEANING[rec.code])],
                selection_behavior="at-most-one",
                override_reasons=list(OVERRIDE_REASONS),
            )
        )
    return cards


def _agent_on_record(case: Case) -> str:
    agent = case.treatment.bone_modifying_agent
    if agent is None:
        return "no medication list was available, so it is not known whether one is given"
    if agent is BoneModifyingAgent.none:
        return "none is on record"
    return f"{agent.value.replace('_', ' ')} is on record"


def bone_agent_card(result: HookResult) -> Card | None:
    recs = [r for r in result.assessment.recommendations if r.code in AGENT_CODES]
    if not recs:
        return None
    names = " or ".join(r.code.value.removeprefix("bma.").replace("_", " ") for r in recs)
    suggestions = [
        order_suggestion(
            result,
            rec,
            f"{CODE_MEANING[rec.code]}" + (f": {rec.dose.value:g} {rec.dose.unit}" if rec.dose else ""),
        )
        for rec in recs
    ]
    detail = "\n\n---\n\n".join(rec_detail(r) for r in recs)
    return Card(
        uuid=card_uuid(result, "bone-agent"),
        summary=fit(f"Bone metastases: start a bone-modifying agent ({names})"),
        detail=f"A bone-modifying agent is recommended; {_agent_on_record(result.case)}.\n\n{detail}",
        indicator="warning",
        source=source_for(recs[0].citations, result.assessment, recs[0].code),
        suggestions=suggestions,
        selection_behavior="at-most-one",
        override_reasons=list(OVERRIDE_REASONS),
    )


def coded_metastases_card(result: HookResult) -> Card | None:
    """Bone metastases on the problem list, no agent on record, and no lesion detail for the engine."""
    imported = result.fhir_import
    if imported is None or result.case.treatment.bone_modifying_agent is not BoneModifyingAgent.none:
        return None
    coded = [c for c in imported.conditions if c.kind == "bone_metastasis" and c.active]
    engine_spoke = any(r.code in AGENT_CODES for r in result.assessment.recommendations) or any(
        n.code in AGENT_CODES for n in result.assessment.not_recommended
    )
    if not coded or engine_spoke:
        return None
    guideline = all_citations().get("esmo2020_bone_health")
    detail = (
        f"{coded[0].display or 'Bone metastasis'} ({coded[0].code}) is on the problem list and no "
        "bone-modifying agent is on record. bonemet could not choose an agent or dose because the record "
        "lacks the details it needs"
    )
    missing = [m.field for m in result.assessment.missing][:8]
    detail += f" ({', '.join(missing)})." if missing else "."
    if guideline is not None:
        detail += (
            "\n\nESMO 2020 recommends zoledronic acid or denosumab for bone metastases from breast cancer "
            "and castration-resistant prostate cancer, and for other solid tumours with significant bone "
            "metastases and a life expectancy of at least 3 months."
        )
    return Card(
        uuid=card_uuid(result, "coded-metastases"),
        summary="Bone metastases on the problem list, no bone-modifying agent on record",
        detail=detail,
        indicator="warning",
        source=source_from(guideline) if guideline else Source(label="bonemet"),
        override_reasons=list(OVERRIDE_REASONS),
    )


def dental_card(result: HookResult) -> Card | None:
    rec = next((r for r in result.assessment.recommendations if r.code is Code.bma_dental_evaluation), None)
    if rec is None:
        return None
    return Card(
        uuid=card_uuid(result, "dental"),
        summary=fit(CODE_MEANING[rec.code] + ": not on record"),
        detail=rec_detail(rec),
        indicator="warning" if rec.priority in (Priority.emergency, Priority.urgent) else "info",
        source=source_for(rec.citations, result.assessment, rec.code),
        suggestions=[order_suggestion(result, rec, "Dental examination")],
        selection_behavior="at-most-one",
        override_reasons=list(OVERRIDE_REASONS),
    )


def surgical_cards(result: HookResult) -> list[Card]:
    cards = []
    for rec in result.assessment.recommendations:
        if rec.code not in SURGICAL_CODES:
            continue
        where = lesion_words(result.case, rec.lesion_index)
        scores = score_words(lesion_scores(result.assessment, rec.lesion_index))
        qualifiers = ", ".join(q for q in (where, scores) if q)
        summary = CODE_MEANING[rec.code] + (f" ({qualifiers})" if qualifiers else "")
        cards.append(
            Card(
                uuid=card_uuid(result, "surgical", rec.code.value, rec.lesion_index),
                summary=fit(summary),
                detail=rec_detail(rec),
                indicator=_INDICATOR[rec.priority],
                source=source_for(rec.citations, result.assessment, rec.code),
                suggestions=[order_suggestion(result, rec, CODE_MEANING[rec.code])],
                selection_behavior="at-most-one",
                override_reasons=list(OVERRIDE_REASONS),
            )
        )
    return cards


def summary_card(result: HookResult) -> Card | None:
    assessment = result.assessment
    recs = assessment.recommendations
    if not recs:
        return None
    pressing = sum(1 for r in recs if r.priority in (Priority.emergency, Priority.urgent))
    summary = f"bonemet: {len(recs)} recommendation{'s' if len(recs) != 1 else ''} for bone metastases"
    if pressing:
        summary += f" ({pressing} urgent)"
    now = do_now(assessment, result.case)
    lines = [do_now_markdown(now), f"**Suspicion:** {assessment.suspicion.level.value}"]
    lines += [markdown_list(assessment.suspicion.reasons)] if assessment.suspicion.reasons else []
    lines.append("**Plan:**\n" + markdown_list(item.line() for item in now.plan))
    if assessment.missing:
        shown = assessment.missing[:6]
        lines.append("**Would change the plan if known:**\n" + markdown_list(f"`{m.field}`: {m.why}" for m in shown))
    if assessment.input_conflicts:
        lines.append(
            "**Parts of the record disagree (check them):**\n"
            + markdown_list(c.text for c in assessment.input_conflicts)
        )
    imported = result.fhir_import
    if imported is not None and (imported.warnings or imported.unknown_codes):
        lines.append(
            f"**From the record:** {len(imported.warnings)} note(s) and {len(imported.unknown_codes)} "
            "code(s) bonemet could not use; see the full assessment."
        )
    if result.missing_data:
        lines.append("**Not obtained from the record (cards made without it):**\n" + markdown_list(result.missing_data))
    lines.append(f"_{assessment.disclaimer}_")
    links = [Link(label="Full bonemet assessment", url=result.page_url, type="absolute")] if result.page_url else []
    if result.smart_launch_url:
        links.insert(0, Link(label="Open bonemet (SMART app)", url=result.smart_launch_url, type="smart"))
    return Card(
        uuid=card_uuid(result, "summary"),
        summary=fit(summary),
        detail="\n\n".join(lines),
        indicator="info",
        source=Source(label="bonemet", url=result.page_url),
        links=links or None,
    )


def patient_view_cards(result: HookResult) -> list[Card]:
    cards: list[Card] = [*emergency_cards(result), *surgical_cards(result)]
    for optional in (bone_agent_card(result), coded_metastases_card(result), dental_card(result)):
        if optional is not None:
            cards.append(optional)
    summary = summary_card(result)
    if summary is not None:
        cards.append(summary)
    elif result.missing_data:
        cards.append(missing_data_card(result))
    return sort_cards(cards)


def deceased_card(imported: FhirImport) -> Card:
    """The record says the patient has died: no assessment, and the card says why (not silence)."""
    died = f" on {imported.deceased_on.isoformat()}" if imported.deceased_on else ""
    return Card(
        summary=fit(f"No bonemet assessment: the record says this patient died{died}"),
        detail=(
            f"The Patient resource records death{died}. bonemet does not assess a deceased patient. If this is "
            "wrong, correct Patient.deceased[x] in the record."
        ),
        indicator="info",
        source=Source(label="bonemet"),
    )


def missing_data_card(result: HookResult) -> Card:
    """No recommendation, but part of the record could not be read: an empty answer must not
    look like 'nothing to do'."""
    return Card(
        uuid=card_uuid(result, "missing-data"),
        summary="bonemet: part of the record could not be obtained; no recommendation from the rest",
        detail="**Not obtained from the record:**\n"
        + markdown_list(result.missing_data)
        + f"\n\n_{result.assessment.disclaimer}_",
        indicator="info",
        source=Source(
            label="bonemet", topic=Coding(code="missing-data", system=f"{BONEMET_BASE}/CodeSystem/card-topic")
        ),
    )
