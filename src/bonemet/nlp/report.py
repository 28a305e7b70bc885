"""The report-level answer: is there bone metastasis, according to this report?

Each finding votes. A lesion the report calls a metastasis votes its own status. A lesion it
does not call a metastasis ('lytic lesion of the femur'), or a complication alone ('pathologic
fracture'), votes 'possible' only when the text itself states a non-haematological cancer and
names nothing else that explains it; otherwise it casts no vote and the report carries a flag
instead (indeterminate_bone_lesion, haematological_bone_disease, primary_bone_tumour,
benign_explanation). A caller that knows the patient has cancer may promote an indeterminate
lesion (nlp.merge does, and says so). A negated complication ('no pathologic fracture') says
nothing about metastasis. The impression (or an addendum) outranks the findings when it votes
at all; within the winning sections, affirmed beats possible beats negated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from bonemet.model.vocabulary import (
    CONCLUDING_SECTIONS,
    EPIDURAL_KINDS,
    PRESENT_STATUSES,
    FindingKind,
    FindingStatus,
    LesionCount,
    ReportFlag,
    ReportStatus,
)
from bonemet.nlp.docs import report_text
from bonemet.nlp.reading import Finding, ReportReading
from bonemet.nlp.resources import report_context_rules

_RANK = (ReportStatus.affirmed, ReportStatus.possible, ReportStatus.negated)


_NAMES_TUMOUR = re.compile(r"tumou?r|neoplas|malignan|metasta", re.IGNORECASE)


def _named(finding: Finding) -> bool:
    """The report names the cause: a metastasis, or a tumour ('epidural tumour at T6')."""
    if finding.kind is FindingKind.lesion:
        return finding.called_metastasis
    return finding.kind in EPIDURAL_KINDS and _NAMES_TUMOUR.search(finding.text) is not None


@dataclass(frozen=True)
class Vote:
    status: ReportStatus
    explicit: bool  # False for 'possible' only because the cause is not named


@dataclass(frozen=True)
class ReportContext:
    """What the whole text says about the patient's disease."""

    cancer: bool = False  # a non-haematological cancer is stated (not negated)
    haematological: bool = False
    primary_bone_tumour: bool = False
    benign: bool = False
    hedged_metastasis: bool = False  # metastasis raised with a hedge somewhere in the text
    listed_bone_metastasis: bool = False  # 'metastases to liver, lungs and bone' (not negated)

    @property
    def explained(self) -> bool:
        """Something other than metastasis is named that can explain an unnamed lesion."""
        return self.haematological or self.primary_bone_tumour or self.benign

    @property
    def other_malignant_disease(self) -> bool:
        """A haematological cancer or a primary bone tumour is named."""
        return self.haematological or self.primary_bone_tumour

    @property
    def unnamed_lesion_is_possible(self) -> bool:
        return self.hedged_metastasis or (self.cancer and not self.explained)


def report_context(text: str) -> ReportContext:
    rules = report_context_rules()
    lowered = text.lower()
    return ReportContext(
        cancer=_stated(rules.cancer, rules.cancer_negation, lowered),
        haematological=_stated(rules.haematological, rules.cancer_negation, lowered),
        primary_bone_tumour=_stated(rules.primary_bone_tumour, rules.cancer_negation, lowered),
        benign=rules.benign_explanation.search(lowered) is not None,
        hedged_metastasis=rules.hedged_metastasis.search(lowered) is not None,
        listed_bone_metastasis=_stated(rules.bone_in_metastasis_list, rules.cancer_negation, lowered),
    )


# 'myeloma excluded', 'lymphoma ruled out', 'cancer?': negated or questioned after the term.
_AFTER_NEGATION = re.compile(r"\s*(?:\?|(?:is |was |has been |have been )?(?:excluded|ruled out|negative|unlikely))")
_CLAUSE_LOOKBACK = 120  # characters: a negation further back belongs to another clause
_CLAUSE_START = re.compile(r"[.;:\n]|\bbut\b|\bhowever\b")


def _stated(terms: re.Pattern[str], negations: re.Pattern[str], text: str) -> bool:
    """A term not negated in its clause ('no history of cancer' does not count; 'known lung cancer' does)."""
    for match in terms.finditer(text):
        before = text[max(0, match.start() - _CLAUSE_LOOKBACK) : match.start()]
        starts = [m.end() for m in _CLAUSE_START.finditer(before)]
        clause = before[starts[-1] if starts else 0 :]
        after = text[match.end() : match.end() + 25]
        if negations.search(clause) is None and _AFTER_NEGATION.match(after) is None:
            return True
    return False


def _named_in(finding: Finding, context: ReportContext | None) -> bool:
    """Named as metastasis; in a report about myeloma or lymphoma, only the word 'metastasis' itself
    names it ('marrow infiltration' there is the haematological disease)."""
    if not _named(finding):
        return False
    if context is not None and context.haematological:
        return _METASTASIS_WORD.search(finding.text) is not None
    return True


_METASTASIS_WORD = re.compile(r"metasta|secondar", re.IGNORECASE)


def vote(finding: Finding, context: ReportContext | None = None) -> Vote | None:
    if finding.kind is FindingKind.mimic:
        return None
    other_malignancy = context is not None and context.other_malignant_disease and not context.hedged_metastasis
    if finding.status is FindingStatus.possible and not _named_in(finding, context) and other_malignancy:
        return None  # 'chondrosarcoma versus cartilaginous tumour': doubt about another disease, not metastasis
    if finding.status is FindingStatus.affirmed:
        named = _named_in(finding, context)
        if named:
            return Vote(ReportStatus.affirmed, explicit=True)
        if context is not None and not context.unnamed_lesion_is_possible:
            return None  # flagged instead (see reading_from_doc)
        return Vote(ReportStatus.possible, explicit=False)
    if finding.status is FindingStatus.possible:
        return Vote(ReportStatus.possible, explicit=True)
    if finding.status is FindingStatus.negated and finding.kind is FindingKind.lesion:
        return Vote(ReportStatus.negated, explicit=True)
    return None


def _votes(findings: list[Finding], benign_conclusion: bool, context: ReportContext | None) -> list[Vote]:
    votes = [v for f in findings if (v := vote(f, context)) is not None]
    # 'Serpiginous sclerotic densities ...' and IMPRESSION 'bone infarcts': the conclusion
    # explains the abnormality that the findings described without naming it.
    return [v for v in votes if not (benign_conclusion and not v.explicit)]


def report_status(findings: list[Finding], context: ReportContext | None = None) -> ReportStatus:
    """The report's answer; without a context every unnamed lesion votes 'possible' (the old rule)."""
    concluding = [f for f in findings if f.section in CONCLUDING_SECTIONS]
    concluding_votes = _votes(concluding, benign_conclusion=False, context=context)
    if any(v.explicit for v in concluding_votes):
        votes = concluding_votes  # the impression states a conclusion: it outranks the findings
    else:
        benign = not concluding_votes and any(
            f.kind is FindingKind.mimic and f.status is FindingStatus.affirmed for f in concluding
        )
        votes = _votes(findings, benign_conclusion=benign, context=context)
    statuses = {v.status for v in votes}
    return next((status for status in _RANK if status in statuses), ReportStatus.not_mentioned)


def reading_from_doc(doc: Doc, original: str | None = None) -> ReportReading:
    """The reading of a processed doc; evidence text is cut from `original` when given
    (the doc may hold the unwrapped text, which has the same offsets)."""
    findings: list[Finding] = doc._.bonemet_findings or []
    if original is not None and findings and original != report_text(doc):
        findings = [f.model_copy(update={"text": original[f.span[0] : f.span[1]]}) for f in findings]
    context = report_context(original if original is not None else report_text(doc))
    status = report_status(findings, context)
    if status is ReportStatus.not_mentioned and context.listed_bone_metastasis:
        status = ReportStatus.affirmed  # bone named among the metastatic sites, with no finding of its own
    count: LesionCount | int | None = doc._.bonemet_lesion_count
    if status in (ReportStatus.negated, ReportStatus.not_mentioned):
        count = None
    flags = report_flags(findings, context, status)
    return ReportReading(
        status=status, lesion_count=count, findings=findings, flags=flags, cancer_in_text=context.cancer
    )


def _unnamed_bone_abnormality(findings: list[Finding]) -> bool:
    return any(f.kind is not FindingKind.mimic and f.status in PRESENT_STATUSES and not _named(f) for f in findings)


def report_flags(findings: list[Finding], context: ReportContext, status: ReportStatus) -> list[ReportFlag]:
    """Flags kept apart from the status, so a clinician sees them without a false 'possible metastasis'."""
    flags: list[ReportFlag] = []
    abnormal = _unnamed_bone_abnormality(findings)
    if context.haematological:
        flags.append(ReportFlag.haematological_bone_disease)
    if context.primary_bone_tumour:
        flags.append(ReportFlag.primary_bone_tumour)
    benign_named = context.benign or any(
        f.kind is FindingKind.mimic and f.status is FindingStatus.affirmed for f in findings
    )
    if benign_named:
        flags.append(ReportFlag.benign_explanation)
    if abnormal and not context.explained and status is ReportStatus.not_mentioned:
        flags.append(ReportFlag.indeterminate_bone_lesion)
    return flags
