"""Targets found by the TargetMatcher, with ConText status, section and sentence."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from bonemet.nlp.assertion import mention_status
from bonemet.nlp.resources import mimic_clause_requirements
from bonemet.nlp.sections import SectionMap
from bonemet.nlp.vocabulary import FindingStatus, Mimic, Section

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


def sentence_mentions(doc: Doc, sections: SectionMap) -> list[SentenceMentions]:
    """Targets in reporting sections, grouped by sentence, in text order."""
    by_sentence: dict[int, list[Mention]] = {}
    bounds: dict[int, tuple[int, int]] = {}
    for ent in doc.ents:
        if ent.label_ == IGNORE:
            continue
        section = sections.at(ent.start_char)
        if not sections.reporting(ent.start_char):
            continue
        status = mention_status(ent)
        if status is None:
            continue
        sentence = ent.sent
        key = sentence.start_char
        bounds[key] = (sentence.start_char, sentence.end_char)
        by_sentence.setdefault(key, []).append(
            Mention(ent.label_, ent.start_char, ent.end_char, status, ent._.bonemet_mimic, section)
        )
    result = []
    for key in sorted(by_sentence):
        start, end = bounds[key]
        mentions = tuple(_drop_out_of_context_mimics(doc.text, start, end, by_sentence[key]))
        if mentions:
            result.append(SentenceMentions(start, end, mentions[0].section, mentions))
    return result


def _drop_out_of_context_mimics(text: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """A one-word mimic that needs context ('reactive' beside 'marrow', 'infarct' in bone)."""
    required = mimic_clause_requirements()
    sentence = text[start:end]
    return [
        m
        for m in mentions
        if m.mimic not in required
        or " " in text[m.start : m.end]
        or required[m.mimic].search(sentence) is not None
    ]
