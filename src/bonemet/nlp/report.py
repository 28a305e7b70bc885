"""The report-level answer: is there bone metastasis, according to this report?

Each finding votes. A lesion the report calls a metastasis votes its own status. A lesion
it does not call a metastasis ('lytic lesion of the femur'), or a complication alone
('pathologic fracture'), votes 'possible' at most: the bone is abnormal but the report
does not name the cause. A negated complication ('no pathologic fracture') says nothing
about metastasis. The impression (or an addendum) outranks the findings when it votes at
all; within the winning sections, affirmed beats possible beats negated.
"""

from __future__ import annotations

from spacy.tokens import Doc

from bonemet.nlp.reading import Finding, ReportReading
from bonemet.nlp.vocabulary import (
    CONCLUDING_SECTIONS,
    FindingKind,
    FindingStatus,
    LesionCount,
    ReportStatus,
)

_RANK = (ReportStatus.affirmed, ReportStatus.possible, ReportStatus.negated)


def vote(finding: Finding) -> ReportStatus | None:
    if finding.kind is FindingKind.mimic:
        return None
    named = finding.kind is FindingKind.lesion and finding.called_metastasis
    if finding.status is FindingStatus.affirmed:
        return ReportStatus.affirmed if named else ReportStatus.possible
    if finding.status is FindingStatus.possible:
        return ReportStatus.possible
    if finding.status is FindingStatus.negated and finding.kind is FindingKind.lesion:
        return ReportStatus.negated
    return None


def report_status(findings: list[Finding]) -> ReportStatus:
    concluding = {v for f in findings if f.section in CONCLUDING_SECTIONS if (v := vote(f)) is not None}
    votes = concluding or {v for f in findings if (v := vote(f)) is not None}
    return next((status for status in _RANK if status in votes), ReportStatus.not_mentioned)


def reading_from_doc(doc: Doc) -> ReportReading:
    findings: list[Finding] = doc._.bonemet_findings or []
    status = report_status(findings)
    count: LesionCount | int | None = doc._.bonemet_lesion_count
    if status in (ReportStatus.negated, ReportStatus.not_mentioned):
        count = None
    return ReportReading(status=status, lesion_count=count, findings=findings)
