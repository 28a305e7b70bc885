"""Public entry points: read one report, or many at once with nlp.pipe."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

from bonemet.nlp.docs import remember_text
from bonemet.nlp.pipeline import pipeline
from bonemet.nlp.reading import ReportReading
from bonemet.nlp.report import reading_from_doc
from bonemet.nlp.sentences import unwrap

_BATCH = 64


def _make_doc(nlp: Any, text: str) -> Doc:
    """Tokenize the unwrapped text (same offsets as `text`) and remember it on the doc."""
    prepared = unwrap(text)
    return remember_text(nlp.make_doc(prepared), prepared)


def read_report(text: str) -> ReportReading:
    """What one radiology report says about skeletal metastases, with evidence spans."""
    nlp = pipeline()
    return reading_from_doc(nlp(_make_doc(nlp, text)), text)


def read_reports(texts: Iterable[str], batch_size: int = _BATCH) -> Iterator[ReportReading]:
    """Read many reports in one pass (faster than one call per report), in order."""
    nlp = pipeline()
    originals: deque[str] = deque()

    def docs() -> Iterator[Doc]:
        for text in texts:
            originals.append(text)
            yield _make_doc(nlp, text)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield reading_from_doc(doc, originals.popleft())
