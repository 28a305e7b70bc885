"""Public entry points: read one report, or many at once with nlp.pipe."""

from __future__ import annotations

import re
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
# spaCy strips prefixes and suffixes one character at a time, searching the whole remaining
# token each time: a 100,000-character run of '(' takes hours. No word in a report is this
# long, so longer runs are cut into pieces of this length before tokenizing.
_LONGEST_TOKEN = 100
_OVERLONG_RUN = re.compile(rf"\S{{{_LONGEST_TOKEN + 1},}}")


def _cut_overlong_runs(text: str) -> str:
    """Every `_LONGEST_TOKEN + 1`th character of an over-long run becomes a space; offsets are kept."""
    runs = list(_OVERLONG_RUN.finditer(text))
    if not runs:
        return text
    chars = list(text)
    for run in runs:
        for cut in range(run.start() + _LONGEST_TOKEN, run.end(), _LONGEST_TOKEN + 1):
            chars[cut] = " "
    return "".join(chars)


def _make_doc(nlp: Any, text: str) -> Doc:
    """Tokenize the unwrapped text (same offsets as `text`) and remember it on the doc."""
    prepared = _cut_overlong_runs(unwrap(text))
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
