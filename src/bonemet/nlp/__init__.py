"""Radiology report reader: skeletal findings from x-ray, CT, MRI, bone scan and PET-CT text."""

from __future__ import annotations

from bonemet.model.vocabulary import FindingKind, FindingStatus, LesionCount, Mimic, ReportStatus, Section
from bonemet.nlp.merge import enrich_case
from bonemet.nlp.reader import read_report, read_reports
from bonemet.nlp.reading import Finding, ReportReading

__all__ = [
    "Finding",
    "FindingKind",
    "FindingStatus",
    "LesionCount",
    "Mimic",
    "ReportReading",
    "ReportStatus",
    "Section",
    "enrich_case",
    "read_report",
    "read_reports",
]
