"""Attach what a clause says (sites, pattern, size, collapse, grade, count) to its findings.

Radiology sentences put a site after the finding it locates ('lytic lesion in the T10
vertebral body', 'pathologic fracture of L1'), or directly before it ('T10 metastasis',
'left femoral neck lesion'); so a site goes to the finding just before it unless it
stands right in front of one. Describing words (lytic, 2.3 cm, 40%) go to the nearest
finding that can carry them. Text passed here is lower-cased (see nlp.index).
"""

from __future__ import annotations

import re

from bonemet.model.vocabulary import EsccGrade, FindingKind, FindingStatus, Pattern
from bonemet.nlp.grouping import Group
from bonemet.nlp.index import TextIndex
from bonemet.nlp.measures import Measure, find_escc_grade
from bonemet.nlp.mentions import Mention
from bonemet.nlp.sites import SiteMention

_LEADS_INTO = re.compile(r"[\s(]*(?:[\w'/-]+[\s)]+){0,3}")  # at most three words
_LINKING_WORD = re.compile(r"\b(?:and|with|of|in|at|to|from|through|involving|or|without)\b")
_CORTICAL_CONTEXT = re.compile(r"cort|thickness|circumference|diameter|width|endosteal")
_LESION_KINDS = (FindingKind.lesion, FindingKind.mimic)
_EPIDURAL_KINDS = (FindingKind.epidural_extension, FindingKind.cord_compression)


def distance(group: Group, start: int, end: int) -> int:
    if end <= group.start:
        return group.start - end
    if start >= group.end:
        return start - group.end
    return 0


def _nearest(groups: list[Group], start: int, end: int) -> Group | None:
    return min(groups, key=lambda g: (distance(g, start, end), g.start > start), default=None)


def _leads_into(lower: str, start: int, end: int) -> bool:
    """Only a few describing words between: 'T10 metastasis', '3 cm lytic lesion'."""
    gap = lower[start:end]
    return _LEADS_INTO.fullmatch(gap) is not None and "," not in gap and not _LINKING_WORD.search(gap)


def assign_sites(groups: list[Group], sites: list[SiteMention], lower: str) -> None:
    for site in sites:
        owner = _site_owner(groups, site, lower)
        if owner is not None:
            owner.sites.append(site)


def _site_owner(groups: list[Group], site: SiteMention, lower: str) -> Group | None:
    inside = [g for g in groups if g.start <= site.start < g.end]
    if inside:
        return inside[0]
    following = [g for g in groups if g.start >= site.end]
    if following and _leads_into(lower, site.end, following[0].start):
        return following[0]
    preceding = [g for g in groups if g.end <= site.start]
    if preceding:
        return max(preceding, key=lambda g: g.end)
    return following[0] if following else None


def assign_patterns(groups: list[Group], index: TextIndex, start: int, end: int) -> None:
    carriers = [g for g in groups if g.kind in _LESION_KINDS]
    for mention in index.patterns(start, end) if carriers else []:
        owner = _nearest(carriers, mention.start, mention.end)
        if owner is not None:
            owner.patterns.setdefault(mention.pattern, (mention.start, mention.end))


def resolved_pattern(group: Group) -> Pattern | None:
    if Pattern.mixed in group.patterns or {Pattern.lytic, Pattern.blastic} <= group.patterns.keys():
        return Pattern.mixed
    return next(iter(group.patterns), None)


def assign_sizes(groups: list[Group], index: TextIndex, start: int, end: int) -> None:
    for size in index.sizes(start, end):
        owner = _size_owner(groups, size, index.lower)
        if owner is not None:
            owner.sizes.append(size)


def _size_owner(groups: list[Group], size: Measure, lower: str) -> Group | None:
    """'3 cm lytic lesion' (the next finding), 'lesion ..., measuring 3 cm' (the lesion before)."""
    inside = [g for g in groups if g.start <= size.start < g.end]
    if inside:
        return inside[0]
    following = [g for g in groups if g.start >= size.end]
    if following and _leads_into(lower, size.end, following[0].start):
        return following[0]
    lesions_before = [g for g in groups if g.end <= size.start and g.kind in _LESION_KINDS]
    if lesions_before:
        return max(lesions_before, key=lambda g: g.end)
    return _nearest(groups, size.start, size.end)


def assign_fractions(groups: list[Group], index: TextIndex, start: int, end: int) -> None:
    """Percentages to the collapse (height loss) or cortical destruction they describe."""
    collapse = [g for g in groups if g.kind is FindingKind.vertebral_collapse]
    cortical = [g for g in groups if g.kind is FindingKind.cortical_destruction]
    if not collapse and not cortical:
        return
    for pct in index.percentages(start, end):
        near = index.lower[max(start, pct.start - 30) : min(end, pct.end + 30)]
        ordered = (cortical, collapse) if _CORTICAL_CONTEXT.search(near) else (collapse, cortical)
        owner = next((g for c in ordered if (g := _nearest(c, pct.start, pct.end)) is not None), None)
        if owner is not None and owner.kind is FindingKind.vertebral_collapse:
            owner.collapse.append(pct)
    for fraction in index.fractions(start, end):
        owner = _nearest(cortical, fraction.start, fraction.end)
        if owner is not None:
            owner.cortical.append(fraction)


def attach_escc(groups: list[Group], escc: list[Mention], lower: str, sentence: int) -> list[Group]:
    """A stated Bilsky grade belongs to the epidural finding; alone, it is one."""
    added: list[Group] = []
    for mention in escc:
        grade, stated = find_escc_grade(lower, mention.start, mention.end + 8)
        if not stated:
            continue
        owner = _nearest([g for g in groups if g.kind in _EPIDURAL_KINDS], mention.start, mention.end)
        if owner is None:
            owner = _escc_finding(mention, grade, sentence)
            added.append(owner)
        owner.escc_grade = owner.escc_grade or grade
    return added


def _escc_finding(mention: Mention, grade: EsccGrade | None, sentence: int) -> Group:
    """A grade stated without an epidural word (Bilsky 2010): 0 is bone-only disease,
    1a-1c epidural disease without cord compression, 2-3 cord compression."""
    if grade is EsccGrade.g0:
        kind, status = FindingKind.epidural_extension, FindingStatus.negated
    elif grade in (EsccGrade.g2, EsccGrade.g3):
        kind, status = FindingKind.cord_compression, mention.status
    else:
        kind, status = FindingKind.epidural_extension, mention.status
    return Group(kind, status, mention.section, sentence, [mention])
