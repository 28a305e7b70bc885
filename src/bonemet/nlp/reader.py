"""Public entry points: read one report, or many at once with nlp.pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bonemet.nlp.pipeline import pipeline
from bonemet.nlp.reading import ReportReading
from bonemet.nlp.report import reading_from_doc

_BATCH = 64


def read_report(text: str) -> ReportReading:
    """What one radiology report says about skeletal metastases, with evidence spans."""
    return reading_from_doc(pipeline()(text))


def read_reports(texts: Iterable[str], batch_size: int = _BATCH) -> Iterator[ReportReading]:
    """Read many reports in one pass (faster than one call per report)."""
    for doc in pipeline().pipe(texts, batch_size=batch_size):
        yield reading_from_doc(doc)
