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

from bonemet.model.vocabulary import REPORTING_SECTIONS, Section
from bonemet.nlp.docs import sentence_starts
from bonemet.nlp.resources import lexicon

_TITLE_MAX_CHARS = 120
_KNOWN = frozenset(section.value for section in Section)
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
    title_end: int  # end of the exam title line, or of the first line when it is no title

    def at(self, offset: int) -> Section:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.sections[i]
        return Section.findings

    def reporting(self, offset: int) -> bool:
        return self.at(offset) in REPORTING_SECTIONS

    @property
    def first_reporting_offset(self) -> int:
        """Where text that may report findings begins (after the title, history, technique)."""
        offset = 0
        for start, end, section in zip(self.starts, self.ends, self.sections, strict=True):
            if start > offset:
                return offset  # text under no header is read as findings
            if section in REPORTING_SECTIONS:
                return start
            offset = end
        return offset


def _title_end(text: str) -> int:
    """End offset of the exam title line, or 0 when the first line is not a title."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    first_line, newline, rest = stripped.partition("\n")
    if not newline or not rest.strip() or len(first_line) > _TITLE_MAX_CHARS:
        return 0
    return lead + len(first_line) if lexicon().exam_title.search(first_line.lower()) else 0


def _brief_end(text: str, starts: list[int], body_start: int, body_end: int) -> int:
    """Where a history-like section stops: the first sentence that starts a new line."""
    for offset in starts[bisect_right(starts, body_start) :]:
        if offset >= body_end:
            break
        if "\n" in text[body_start:offset]:
            return offset
    return body_end


def _char(doc: Doc, token_index: int, text: str) -> int:
    return doc[token_index].idx if token_index < len(doc) else len(text)


def section_map(doc: Doc, text: str) -> SectionMap:
    """Sections of a doc whose text is `text`."""
    intervals: list[tuple[int, int, Section]] = []
    title_end = _title_end(text)
    if title_end:
        intervals.append((0, title_end, Section.exam))
    starts = sentence_starts(doc)
    for section in doc._.sections:
        if section.category not in _KNOWN:
            continue
        category = Section(section.category)
        start = _char(doc, section.title_start, text)
        body_start = _char(doc, section.body_start, text)
        end = _char(doc, section.body_end, text)
        if category in _BRIEF_SECTIONS:
            end = _brief_end(text, starts, body_start, end)
        if intervals and start < intervals[-1][1]:
            continue
        intervals.append((start, end, category))
    first_line_end = text.find("\n", len(text) - len(text.lstrip()))
    return SectionMap(
        starts=tuple(i[0] for i in intervals),
        ends=tuple(i[1] for i in intervals),
        sections=tuple(i[2] for i in intervals),
        title_end=title_end or (len(text) if first_line_end < 0 else first_line_end),
    )
