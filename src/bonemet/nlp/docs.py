"""Facts about a processed Doc that several components need, computed once per doc.

spaCy rebuilds `Doc.text` from the tokens on every access and walks the doc for every
`Span.sent`; on report-sized docs these were a tenth of the reader's time. The reader
stores the text when it makes the doc, and the sentence splitter stores where sentences
start, in `doc.user_data`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from spacy.tokens import Doc

_TEXT = "bonemet_text"
_SENTENCE_STARTS = "bonemet_sentence_starts"


def remember_text(doc: Doc, text: str) -> Doc:
    doc.user_data[_TEXT] = text
    return doc


def report_text(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_TEXT] = text
    return text


def remember_sentence_starts(doc: Doc, starts: list[int]) -> None:
    doc.user_data[_SENTENCE_STARTS] = starts


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences start, in order (set by the bonemet_sentences component)."""
    starts = doc.user_data.get(_SENTENCE_STARTS)
    if not isinstance(starts, list):
        starts = [sentence.start_char for sentence in doc.sents]
        doc.user_data[_SENTENCE_STARTS] = starts
    return starts


@lru_cache(maxsize=8)
def paragraph_breaks(text: str) -> tuple[int, ...]:
    """Where every blank line ('\\n\\n') starts, found once per report (not once per finding)."""
    found: list[int] = []
    at = text.find("\n\n")
    while at >= 0:
        found.append(at)
        at = text.find("\n\n", at + 1)
    return tuple(found)


def paragraph_end(text: str, position: int) -> int:
    """text.find('\\n\\n', position), from the cached breaks."""
    breaks = paragraph_breaks(text)
    at = bisect_left(breaks, position)
    return breaks[at] if at < len(breaks) else -1


def paragraph_start(text: str, position: int) -> int:
    """text.rfind('\\n\\n', 0, position), from the cached breaks."""
    breaks = paragraph_breaks(text)
    at = bisect_right(breaks, position - 2) - 1
    return breaks[at] if at >= 0 else -1
