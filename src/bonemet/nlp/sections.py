"""Which section each part of the report belongs to.

medspaCy's Sectionizer (with the radiology headers in rules/sections.json) finds the
headers. Two facts of real reports are added here:
- a history-like section (history, indication, comparison, technique, exam title) ends at
  the end of its own sentence line: many reports go straight on to the findings without a
  FINDINGS header ('History: breast cancer, back pain.' newline 'Vertebral heights ...');
- the first line, when it names a study ('XR FEMUR RIGHT 2 VIEWS'), is the exam title.
Text under no header is read as findings.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from bonemet.nlp.resources import lexicon
from bonemet.nlp.vocabulary import REPORTING_SECTIONS, Section

_TITLE_MAX_CHARS = 120
_BRIEF_SECTIONS = frozenset(
    {
        Section.history,
        Section.indication,
        Section.family_history,
        Section.comparison,
        Section.technique,
        Section.exam,
    }
)


@dataclass(frozen=True)
class SectionMap:
    """Sorted, non-overlapping character intervals and the section of each."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sections: tuple[Section, ...]
    title: str  # the exam title line, or the first line of the report

    def at(self, offset: int) -> Section:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.sections[i]
        return Section.findings

    def reporting(self, offset: int) -> bool:
        return self.at(offset) in REPORTING_SECTIONS


def _title_end(text: str) -> int:
    """End offset of the exam title line, or 0 when the first line is not a title."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    first_line, newline, rest = stripped.partition("\n")
    if not newline or not rest.strip() or len(first_line) > _TITLE_MAX_CHARS:
        return 0
    return lead + len(first_line) if lexicon().exam_title.search(first_line) else 0


def _brief_end(doc: Doc, body_start: int, body_end: int) -> int:
    """Token index where a history-like section stops: the first sentence starting a new line."""
    text = doc.text
    for token in doc[body_start:body_end]:
        if token.i > body_start and token.is_sent_start and "\n" in text[doc[token.i - 1].idx : token.idx]:
            return token.i
    return body_end


def section_map(doc: Doc) -> SectionMap:
    text = doc.text
    intervals: list[tuple[int, int, Section]] = []
    title_end = _title_end(text)
    if title_end:
        intervals.append((0, title_end, Section.exam))
    for section in doc._.sections:
        if section.category is None:
            continue
        category = Section(section.category)
        body_end = section.body_end
        if category in _BRIEF_SECTIONS:
            body_end = _brief_end(doc, section.body_start, section.body_end)
        start = doc[section.title_start].idx
        end = doc[body_end - 1].idx + len(doc[body_end - 1]) if body_end > section.body_start else (
            doc[section.title_end - 1].idx + len(doc[section.title_end - 1])
        )
        if intervals and start < intervals[-1][1]:
            continue
        intervals.append((start, end, category))
    first_line = text.lstrip().partition("\n")[0]
    return SectionMap(
        starts=tuple(i[0] for i in intervals),
        ends=tuple(i[1] for i in intervals),
        sections=tuple(i[2] for i in intervals),
        title=text[:title_end] if title_end else first_line,
    )
