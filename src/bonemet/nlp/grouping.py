"""Targets in one clause become findings: a lesion joins the word that explains it.

'Lytic lesion in T10, consistent with metastasis' is one lesion whose status is the
metastasis's; 'sclerotic focus, typical bone island' is a mimic, not a lesion; 'fracture
through a lytic lesion' is a pathologic fracture. A clause is a sentence part between
semicolons, where radiologists separate unrelated findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bonemet.model.vocabulary import EsccGrade, Pattern
from bonemet.nlp import mentions as cat
from bonemet.nlp.measures import Measure
from bonemet.nlp.mentions import Mention
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sites import SiteMention
from bonemet.nlp.vocabulary import FindingKind, FindingStatus, Mimic, Section

_COMPLICATION_KIND = {
    cat.PATHOLOGIC_FRACTURE: FindingKind.pathologic_fracture,
    cat.EPIDURAL: FindingKind.epidural_extension,
    cat.CORD_COMPRESSION: FindingKind.cord_compression,
    cat.COLLAPSE: FindingKind.vertebral_collapse,
    cat.RETROPULSION: FindingKind.retropulsion,
    cat.CORTICAL: FindingKind.cortical_destruction,
}
# 'fracture through a lytic lesion', 'the fracture traverses a permeative lesion'
_FRACTURE_THROUGH = re.compile(r"\b(?:through|traverses|traversing|across|within|at the site of)\b", re.I)
_THROUGH_REACH = 80  # characters between the fracture and the lesion it runs through
_ADJACENT = re.compile(r"^[\s-]*(?:[\w-]+[\s-]+){0,2}$")  # at most two words between
_CLAUSE_BREAK = re.compile(r";")


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

    @property
    def start(self) -> int:
        return min(m.start for m in self.mentions)

    @property
    def end(self) -> int:
        return max(m.end for m in self.mentions)

    @property
    def is_lesion(self) -> bool:
        return self.kind is FindingKind.lesion

    @property
    def is_present_lesion(self) -> bool:
        return self.is_lesion and self.status in (FindingStatus.affirmed, FindingStatus.possible)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = [start, *(m.end() for m in _CLAUSE_BREAK.finditer(text, start, end)), end]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _explanation_for(lesion: Mention, candidates: list[Mention], text: str) -> Mention | None:
    """The metastasis or affirmed mimic that explains a lesion: adjacent before it, or after it."""
    before = [
        m for m in candidates if m.end <= lesion.start and _ADJACENT.match(text[m.end : lesion.start])
    ]
    after = [m for m in candidates if m.start >= lesion.end]
    for candidate in before[-1:] + after:
        if candidate.category == cat.METASTASIS:
            return candidate
        if candidate.category == cat.MIMIC and candidate.status is FindingStatus.affirmed:
            return candidate
    return None


def _lesion_group(lesion: Mention | None, metastasis: Mention | None, sentence: int) -> Group:
    evidence = [m for m in (lesion, metastasis) if m is not None]
    if metastasis is None:
        assert lesion is not None
        status = lesion.status
    elif lesion is not None and lesion.status is FindingStatus.negated:
        status = FindingStatus.negated  # 'no lytic lesion to suggest metastasis'
    elif metastasis.affirmed and lesion is not None:
        status = lesion.status  # 'possible lytic lesion, consistent with metastasis'
    else:
        status = metastasis.status
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


def _mimic_group(mimic: Mention, absorbed: Mention | None, sentence: int) -> Group:
    evidence = [m for m in (absorbed, mimic) if m is not None]
    status = FindingStatus.negated if absorbed and absorbed.status is FindingStatus.negated else mimic.status
    return Group(FindingKind.mimic, status, mimic.section, sentence, evidence, mimic=mimic.mimic)


def _is_pathologic(fracture: Mention, lesions: list[Mention], text: str) -> bool:
    """A fracture of unstated cause that the clause puts through a lesion."""
    for lesion in lesions:
        if lesion.start >= fracture.end:
            between = (fracture.end, lesion.start)
        else:
            between = (lesion.end, fracture.start)
        if 0 <= between[1] - between[0] < _THROUGH_REACH and _FRACTURE_THROUGH.search(text, *between):
            return True
    return False


def group_clause(mentions: list[Mention], text: str, sentence: int) -> list[Group]:
    """Findings of one clause, before attributes are attached."""
    explanations = [m for m in mentions if m.category in (cat.METASTASIS, cat.MIMIC)]
    lesion_like = [m for m in mentions if m.category in (cat.LESION, cat.METASTASIS)]
    groups: list[Group] = []
    used: set[Mention] = set()
    for mention in mentions:
        if mention.category == cat.LESION:
            explanation = _explanation_for(mention, explanations, text)
            if explanation is not None and explanation.category == cat.MIMIC:
                groups.append(_mimic_group(explanation, mention, sentence))
            else:
                groups.append(_lesion_group(mention, explanation, sentence))
            if explanation is not None:
                used.add(explanation)
        elif mention.category == cat.COLLAPSE:
            mimic = _explanation_for(mention, [m for m in explanations if m.category == cat.MIMIC], text)
            if mimic is not None:
                groups.append(_mimic_group(mimic, mention, sentence))
                used.add(mimic)
            else:
                groups.append(_complication(mention, sentence))
        elif mention.category == cat.FRACTURE:
            if _is_pathologic(mention, lesion_like, text):
                groups.append(_complication(mention, sentence, FindingKind.pathologic_fracture))
        elif mention.category in _COMPLICATION_KIND:
            groups.append(_complication(mention, sentence))
            if mention.category == cat.PATHOLOGIC_FRACTURE and lexicon().collapse_in_fracture.search(
                text, mention.start, mention.end
            ):
                groups.append(_complication(mention, sentence, FindingKind.vertebral_collapse))
    for mention in explanations:
        if mention in used:
            continue
        if mention.category == cat.METASTASIS:
            groups.append(_lesion_group(None, mention, sentence))
        else:
            groups.append(_mimic_group(mention, None, sentence))
    groups.sort(key=lambda g: g.start)
    return _merge_repeated_complications(groups)


def _complication(mention: Mention, sentence: int, kind: FindingKind | None = None) -> Group:
    return Group(kind or _COMPLICATION_KIND[mention.category], mention.status, mention.section, sentence, [mention])


def _merge_repeated_complications(groups: list[Group]) -> list[Group]:
    """'collapse of T12 with 60% loss of height': one collapse, told twice."""
    merged: list[Group] = []
    for group in groups:
        twin = next(
            (
                g
                for g in merged
                if g.kind is group.kind
                and g.kind not in (FindingKind.lesion, FindingKind.mimic)
                and g.status is group.status
            ),
            None,
        )
        if twin is None:
            merged.append(group)
        else:
            twin.mentions.extend(m for m in group.mentions if m not in twin.mentions)
    return merged
