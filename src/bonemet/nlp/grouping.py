"""Targets in one clause become findings: a lesion joins the word that explains it.

'Lytic lesion in T10, consistent with metastasis' is one lesion whose status is the
metastasis's; 'sclerotic focus, typical bone island' is a mimic, not a lesion; 'fracture
through a lytic lesion' is a pathologic fracture. A clause is a sentence part between
semicolons or contrast words ('but', 'however'), where radiologists separate findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from bonemet.model.vocabulary import EsccGrade, FindingKind, FindingStatus, Mimic, Pattern, Section
from bonemet.nlp import mentions as cat
from bonemet.nlp.measures import Measure
from bonemet.nlp.mentions import Mention
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sites import SiteMention

_COMPLICATION_KIND = {
    cat.PATHOLOGIC_FRACTURE: FindingKind.pathologic_fracture,
    cat.EPIDURAL: FindingKind.epidural_extension,
    cat.CORD_COMPRESSION: FindingKind.cord_compression,
    cat.COLLAPSE: FindingKind.vertebral_collapse,
    cat.RETROPULSION: FindingKind.retropulsion,
    cat.CORTICAL: FindingKind.cortical_destruction,
}
# 'fracture through a lytic lesion', 'the fracture traverses a permeative lesion'
_FRACTURE_THROUGH = re.compile(r"\b(?:through|traverses|traversing|across|within|at the site of)\b")
_THROUGH_REACH = 80  # characters between the fracture and the lesion it runs through
_ADJACENT = re.compile(r"^[\s-]*(?:[\w-]+[\s-]+){0,2}$")  # at most two words between
# ';' and contrast words separate findings: 'no fracture, but a lytic metastasis in the femur'
_CLAUSE_BREAK = re.compile(r";|\b(?:but|however|although|whereas|except)\b")
_QUALIFIER_WORDS = 3  # 'chronic L2 compression deformity': the qualifier stands this close
_NOT_MERGED = frozenset({FindingKind.lesion, FindingKind.mimic})  # two lesions in a clause are two


@dataclass
class Group:
    """One finding before it is split by site: its evidence and everything attached to it."""

    kind: FindingKind
    status: FindingStatus
    section: Section
    sentence: int  # start offset of the sentence
    mentions: list[Mention]
    mimic: Mimic | None = None
    called_metastasis: bool = False
    present: bool = False
    sites: list[SiteMention] = field(default_factory=list)
    patterns: dict[Pattern, tuple[int, int]] = field(default_factory=dict)
    sizes: list[Measure] = field(default_factory=list)
    collapse: list[Measure] = field(default_factory=list)
    cortical: list[Measure] = field(default_factory=list)
    escc_grade: EsccGrade | None = None
    count_words: list[str | int] = field(default_factory=list)
    plural: bool = False
    singular: bool = False  # 'lesion', 'metastasis': one lesion however many levels it spans

    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        self._span_of_mentions()

    def _span_of_mentions(self) -> None:
        self.start = min(m.start for m in self.mentions)
        self.end = max(m.end for m in self.mentions)

    def absorb(self, mentions: list[Mention]) -> None:
        """Add evidence told a second time ('collapse of T12 with 60% loss of height')."""
        self.mentions.extend(m for m in mentions if m not in self.mentions)
        self._span_of_mentions()

    @property
    def is_lesion(self) -> bool:
        return self.kind is FindingKind.lesion

    @property
    def is_present_lesion(self) -> bool:
        return self.is_lesion and self.status in (FindingStatus.affirmed, FindingStatus.possible)


def clauses(lower: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause bounds within a sentence of lower-cased text."""
    bounds = [start, *(m.start() for m in _CLAUSE_BREAK.finditer(lower, start, end)), end]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def _explanation_for(described: Mention, candidates: list[Mention], text: str) -> Mention | None:
    """The metastasis or affirmed mimic that explains a lesion: adjacent before it, or after it."""
    before = [m for m in candidates if m.end <= described.start and _ADJACENT.match(text[m.end : described.start])]
    after = [m for m in candidates if m.start >= described.end]
    for candidate in before[-1:] + after:
        if candidate.category == cat.METASTASIS:
            return candidate
        if candidate.category == cat.MIMIC and candidate.status is FindingStatus.affirmed:
            return candidate
    return None


def _lesion_status(lesion: Mention | None, metastasis: Mention | None) -> FindingStatus:
    """A described lesion plus the metastasis it is called ('lytic lesion, consistent with metastasis')."""
    if metastasis is None:
        assert lesion is not None
        return lesion.status
    if lesion is None:
        return metastasis.status
    if lesion.status is FindingStatus.negated:
        return FindingStatus.negated  # 'no lytic lesion to suggest metastasis'
    if metastasis.affirmed:
        return lesion.status  # 'possible lytic lesion, consistent with metastasis'
    return metastasis.status  # 'lytic lesion, suspicious for metastasis'


def _lesion_group(lesion: Mention | None, metastasis: Mention | None, sentence: int) -> Group:
    evidence = [m for m in (lesion, metastasis) if m is not None]
    status = _lesion_status(lesion, metastasis)
    seen = lesion.affirmed if lesion is not None else status is FindingStatus.affirmed
    return Group(
        kind=FindingKind.lesion,
        status=status,
        section=evidence[0].section,
        sentence=sentence,
        mentions=evidence,
        called_metastasis=metastasis is not None,
        present=seen and status is not FindingStatus.negated,
    )


def _mimic_group(mimic: Mimic | None, evidence: list[Mention], status: FindingStatus, sentence: int) -> Group:
    return Group(FindingKind.mimic, status, evidence[0].section, sentence, evidence, mimic=mimic)


def _explained_mimic(mimic: Mention, described: Mention | None, sentence: int) -> Group:
    """'sclerotic focus ..., likely a bone island': the focus is the mimic."""
    evidence = [m for m in (described, mimic) if m is not None]
    negated = described is not None and described.status is FindingStatus.negated
    return _mimic_group(mimic.mimic, evidence, FindingStatus.negated if negated else mimic.status, sentence)


def _complication(mention: Mention, sentence: int, kind: FindingKind | None = None) -> Group:
    return Group(kind or _COMPLICATION_KIND[mention.category], mention.status, mention.section, sentence, [mention])


def _is_pathologic(fracture: Mention, lesions: list[Mention], text: str) -> bool:
    """A fracture of unstated cause that the clause puts through a lesion."""
    for lesion in lesions:
        between = (fracture.end, lesion.start) if lesion.start >= fracture.end else (lesion.end, fracture.start)
        if 0 <= between[1] - between[0] < _THROUGH_REACH and _FRACTURE_THROUGH.search(text, *between):
            return True
    return False


def _benign_collapse(collapse: Mention, text: str) -> Mimic | None:
    """'Chronic L2 compression deformity', 'old healed wedge fracture': not a pathologic collapse."""
    lead = re.split(r"[.;:,]", text[max(0, collapse.start - 40) : collapse.start])[-1]
    lead = " ".join(lead.split()[-_QUALIFIER_WORDS:])
    return next((mimic for mimic, regex in lexicon().benign_collapse if regex.search(lead)), None)


class _ClauseGrouper:
    """Builds the findings of one clause; explanations used by a lesion are not repeated."""

    def __init__(self, mentions: list[Mention], text: str, sentence: int) -> None:
        self.mentions = mentions
        self.text = text
        self.sentence = sentence
        self.explanations = [m for m in mentions if m.category in (cat.METASTASIS, cat.MIMIC)]
        self.mimics = [m for m in self.explanations if m.category == cat.MIMIC]
        self.lesion_like = [m for m in mentions if m.category in (cat.LESION, cat.METASTASIS)]
        self.used: set[Mention] = set()

    def lesion(self, mention: Mention) -> Group:
        explanation = _explanation_for(mention, self.explanations, self.text)
        if explanation is not None:
            self.used.add(explanation)
        if explanation is not None and explanation.category == cat.MIMIC:
            return _explained_mimic(explanation, mention, self.sentence)
        return _lesion_group(mention, explanation, self.sentence)

    def collapse(self, mention: Mention) -> Group:
        mimic = _explanation_for(mention, self.mimics, self.text)
        if mimic is not None:
            self.used.add(mimic)
            return _explained_mimic(mimic, mention, self.sentence)
        benign = _benign_collapse(mention, self.text)
        if benign is not None:
            return _mimic_group(benign, [mention], mention.status, self.sentence)
        return _complication(mention, self.sentence)

    def complications(self, mention: Mention) -> list[Group]:
        if mention.category == cat.FRACTURE:
            pathologic = _is_pathologic(mention, self.lesion_like, self.text)
            return [_complication(mention, self.sentence, FindingKind.pathologic_fracture)] if pathologic else []
        groups = [_complication(mention, self.sentence)]
        if mention.category == cat.PATHOLOGIC_FRACTURE and lexicon().collapse_in_fracture.search(
            self.text, mention.start, mention.end
        ):  # 'pathologic compression fracture' is a collapse too
            groups.append(_complication(mention, self.sentence, FindingKind.vertebral_collapse))
        return groups

    def unused_explanations(self) -> list[Group]:
        groups = []
        for mention in self.explanations:
            if mention in self.used:
                continue
            if mention.category == cat.METASTASIS:
                groups.append(_lesion_group(None, mention, self.sentence))
            else:
                groups.append(_explained_mimic(mention, None, self.sentence))
        return groups

    def groups(self) -> list[Group]:
        found: list[Group] = []
        for mention in self.mentions:
            if mention.category == cat.LESION:
                found.append(self.lesion(mention))
            elif mention.category == cat.COLLAPSE:
                found.append(self.collapse(mention))
            elif mention.category in _COMPLICATION_KIND or mention.category == cat.FRACTURE:
                found.extend(self.complications(mention))
        found.extend(self.unused_explanations())
        found.sort(key=lambda g: g.start)
        return _merge_repeated_complications(found)


def group_clause(mentions: list[Mention], text: str, sentence: int) -> list[Group]:
    """Findings of one clause, before attributes are attached (`text` lower-cased)."""
    return _ClauseGrouper(mentions, text, sentence).groups()


def _merge_repeated_complications(groups: list[Group]) -> list[Group]:
    """'collapse of T12 with 60% loss of height': one collapse, told twice."""
    merged: list[Group] = []
    for group in groups:
        twin = next(
            (g for g in merged if g.kind is group.kind and g.kind not in _NOT_MERGED and g.status is group.status),
            None,
        )
        if twin is None:
            merged.append(group)
        else:
            twin.absorb(group.mentions)
    return merged
