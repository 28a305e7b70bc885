"""The report-level answer: is there bone metastasis, according to this report?

Each finding votes. A lesion the report calls a metastasis votes its own status. A lesion
it does not call a metastasis ('lytic lesion of the femur'), or a complication alone
('pathologic fracture'), votes 'possible' at most: the bone is abnormal but the report
does not name the cause. A negated complication ('no pathologic fracture') says nothing
about metastasis. The impression (or an addendum) outranks the findings when it votes at
all; within the winning sections, affirmed beats possible beats negated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from bonemet.model.vocabulary import (
    CONCLUDING_SECTIONS,
    EPIDURAL_KINDS,
    FindingKind,
    FindingStatus,
    LesionCount,
    ReportStatus,
)
from bonemet.nlp.docs import report_text
from bonemet.nlp.reading import Finding, ReportReading

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


def vote(finding: Finding) -> Vote | None:
    if finding.kind is FindingKind.mimic:
        return None
    if finding.status is FindingStatus.affirmed:
        named = _named(finding)
        return Vote(ReportStatus.affirmed if named else ReportStatus.possible, explicit=named)
    if finding.status is FindingStatus.possible:
        return Vote(ReportStatus.possible, explicit=True)
    if finding.status is FindingStatus.negated and finding.kind is FindingKind.lesion:
        return Vote(ReportStatus.negated, explicit=True)
    return None


def _votes(findings: list[Finding], benign_conclusion: bool) -> list[Vote]:
    votes = [v for f in findings if (v := vote(f)) is not None]
    # 'Serpiginous sclerotic densities ...' and IMPRESSION 'bone infarcts': the conclusion
    # explains the abnormality that the findings described without naming it.
    return [v for v in votes if not (benign_conclusion and not v.explicit)]


def report_status(findings: list[Finding]) -> ReportStatus:
    concluding = [f for f in findings if f.section in CONCLUDING_SECTIONS]
    concluding_votes = _votes(concluding, benign_conclusion=False)
    if any(v.explicit for v in concluding_votes):
        votes = concluding_votes  # the impression states a conclusion: it outranks the findings
    else:
        benign = not concluding_votes and any(
            f.kind is FindingKind.mimic and f.status is FindingStatus.affirmed for f in concluding
        )
        votes = _votes(findings, benign_conclusion=benign)
    statuses = {v.status for v in votes}
    return next((status for status in _RANK if status in statuses), ReportStatus.not_mentioned)


def reading_from_doc(doc: Doc, original: str | None = None) -> ReportReading:
    """The reading of a processed doc; evidence text is cut from `original` when given
    (the doc may hold the unwrapped text, which has the same offsets)."""
    findings: list[Finding] = doc._.bonemet_findings or []
    if original is not None and findings and original != report_text(doc):
        findings = [f.model_copy(update={"text": original[f.span[0] : f.span[1]]}) for f in findings]
    status = report_status(findings)
    count: LesionCount | int | None = doc._.bonemet_lesion_count
    if status in (ReportStatus.negated, ReportStatus.not_mentioned):
        count = None
    return ReportReading(status=status, lesion_count=count, findings=findings)
