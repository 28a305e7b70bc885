"""Facts about a processed Doc that several components need, computed once per doc.

spaCy rebuilds `Doc.text` from the tokens on every access and walks the doc for every
`Span.sent`; on report-sized docs these were a tenth of the reader's time. The reader
stores the text when it makes the doc, and the sentence splitter stores where sentences
start, in `doc.user_data`.
"""

from __future__ import annotations

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
