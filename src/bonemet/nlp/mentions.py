"""Targets found by the TargetMatcher, with ConText status, section and sentence."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from bonemet.model.vocabulary import FindingStatus, Mimic, Section
from bonemet.nlp.assertion import mention_status
from bonemet.nlp.docs import sentence_starts
from bonemet.nlp.resources import mimic_clause_requirements
from bonemet.nlp.sections import SectionMap

# TargetMatcher categories (rules/targets.json).
METASTASIS = "METASTASIS"
LESION = "LESION"
PATHOLOGIC_FRACTURE = "PATHOLOGIC_FRACTURE"
FRACTURE = "FRACTURE"
EPIDURAL = "EPIDURAL"
CORD_COMPRESSION = "CORD_COMPRESSION"
COLLAPSE = "COLLAPSE"
RETROPULSION = "RETROPULSION"
CORTICAL = "CORTICAL"
ESCC = "ESCC"
MIMIC = "MIMIC"
IGNORE = "IGNORE"

TARGET_GROUP = "bonemet_targets"  # the span group the TargetMatcher writes


@dataclass(frozen=True)
class Mention:
    category: str
    start: int
    end: int
    status: FindingStatus
    mimic: Mimic | None
    section: Section

    @property
    def affirmed(self) -> bool:
        return self.status is FindingStatus.affirmed


@dataclass(frozen=True)
class SentenceMentions:
    start: int
    end: int
    section: Section
    mentions: tuple[Mention, ...]


def sentence_mentions(doc: Doc, text: str, sections: SectionMap) -> list[SentenceMentions]:
    """Targets in reporting sections, grouped by sentence, in text order."""
    targets = doc.spans.get(TARGET_GROUP, [])
    if not len(targets):
        return []
    starts = sentence_starts(doc)
    ends = [*starts[1:], len(text)]
    by_sentence: dict[int, list[Mention]] = {}
    for span in targets:
        if span.label_ == IGNORE or not sections.reporting(span.start_char):
            continue
        status = mention_status(span)
        if status is None:
            continue
        index = bisect_right(starts, span.start_char) - 1
        section = sections.at(span.start_char)
        mention = Mention(span.label_, span.start_char, span.end_char, status, span._.bonemet_mimic, section)
        by_sentence.setdefault(index, []).append(mention)
    result = []
    for index in sorted(by_sentence):
        start, end = starts[index], ends[index]
        mentions = sorted(by_sentence[index], key=lambda m: m.start)
        kept = tuple(_drop_out_of_context_mimics(text, start, end, mentions))
        if kept:
            result.append(SentenceMentions(start, end, kept[0].section, kept))
    return result


def _drop_out_of_context_mimics(text: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """A one-word mimic that needs context ('reactive' beside 'marrow', 'infarct' in bone)."""
    required = mimic_clause_requirements()
    sentence = text[start:end].lower()
    return [
        m
        for m in mentions
        if m.mimic not in required or " " in text[m.start : m.end] or required[m.mimic].search(sentence) is not None
    ]
