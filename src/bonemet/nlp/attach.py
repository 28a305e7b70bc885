"""Attach what a clause says (sites, pattern, size, collapse, grade, count) to its findings.

Radiology sentences put a site after the finding it locates ('lytic lesion in the T10
vertebral body', 'pathologic fracture of L1'), or directly before it ('T10 metastasis',
'left femoral neck lesion'); so a site goes to the finding just before it unless it
stands right in front of one. Describing words (lytic, 2.3 cm, 40%) go to the nearest
finding that can carry them.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from bonemet.model.vocabulary import Pattern
from bonemet.nlp.grouping import Group
from bonemet.nlp.measures import find_escc_grade, find_fractions, find_percentages, find_sizes
from bonemet.nlp.mentions import ESCC, Mention
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sites import SiteMention
from bonemet.nlp.vocabulary import FindingKind, FindingStatus

_LEADS_INTO = re.compile(r"^[\s(]*(?:[\w'/-]+[\s)]+){0,3}$")
_LINKING_WORD = re.compile(r"\b(?:and|with|of|in|at|to|from|through|involving|or|without)\b", re.I)
_NOT_A_PATTERN = re.compile(r"^[\s-]*(?:margins?|rims?|borders?|bands?|edges?|halo|sclerotic\s+margins?)\b", re.I)
_CORTICAL_CONTEXT = re.compile(r"cort|thickness|circumference|diameter|width|endosteal", re.I)
_COUNT_REACH_WORDS = 5
_WORDS = re.compile(r"[\w'/-]+")
_LESION_KINDS = (FindingKind.lesion, FindingKind.mimic)


@dataclass(frozen=True)
class BoneContext:
    """What places a clause in bone apart from its own words: its sites, subheader and study."""

    site_spans: list[tuple[int, int]]
    subheader: bool | None  # True under 'BONES:', False under 'LIVER:', None when there is none
    skeletal_exam: bool  # a bone scan or a study of a bone ('MRI THORACIC SPINE')


def _distance(group: Group, start: int, end: int) -> int:
    if end <= group.start:
        return group.start - end
    if start >= group.end:
        return start - group.end
    return 0


def _nearest(groups: list[Group], start: int, end: int) -> Group | None:
    return min(groups, key=lambda g: (_distance(g, start, end), g.start > start), default=None)


def assign_sites(groups: list[Group], sites: list[SiteMention], text: str) -> None:
    for site in sites:
        target = _site_owner(groups, site, text)
        if target is not None:
            target.sites.append(site)


def _site_owner(groups: list[Group], site: SiteMention, text: str) -> Group | None:
    inside = [g for g in groups if g.start <= site.start < g.end]
    if inside:
        return inside[0]
    following = [g for g in groups if g.start >= site.end]
    if following:
        gap = text[site.end : following[0].start]
        if _LEADS_INTO.match(gap) and not _LINKING_WORD.search(gap) and "," not in gap:
            return following[0]  # 'T10 metastasis', 'left femoral neck lesion'
    preceding = [g for g in groups if g.end <= site.start]
    if preceding:
        return max(preceding, key=lambda g: g.end)
    return following[0] if following else None


def assign_patterns(groups: list[Group], text: str, start: int, end: int) -> None:
    carriers = [g for g in groups if g.kind in _LESION_KINDS]
    if not carriers:
        return
    taken: list[tuple[int, int]] = []
    for pattern, regex in lexicon().patterns:  # mixed first, so 'lytic and sclerotic' is one mention
        for match in regex.finditer(text, start, end):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            if _NOT_A_PATTERN.match(text, match.end()):
                continue  # 'without sclerotic margin' describes a benign edge, not the lesion
            taken.append((match.start(), match.end()))
            owner = _nearest(carriers, match.start(), match.end())
            if owner is not None:
                owner.patterns.setdefault(pattern, (match.start(), match.end()))


def resolved_pattern(group: Group) -> Pattern | None:
    if Pattern.mixed in group.patterns or {Pattern.lytic, Pattern.blastic} <= group.patterns.keys():
        return Pattern.mixed
    return next(iter(group.patterns), None)


def assign_sizes(groups: list[Group], text: str, start: int, end: int) -> None:
    for size in find_sizes(text, start, end):
        owner = _nearest(groups, size.start, size.end)
        if owner is not None:
            owner.sizes.append(size)


def assign_fractions(groups: list[Group], text: str, start: int, end: int) -> None:
    """Percentages to the collapse (height loss) or the cortical destruction they describe."""
    collapse = [g for g in groups if g.kind is FindingKind.vertebral_collapse]
    cortical = [g for g in groups if g.kind is FindingKind.cortical_destruction]
    for pct in find_percentages(text, start, end):
        near = text[max(start, pct.start - 30) : min(end, pct.end + 30)]
        ordered = (cortical, collapse) if _CORTICAL_CONTEXT.search(near) else (collapse, cortical)
        for candidates in ordered:
            owner = _nearest(candidates, pct.start, pct.end)
            if owner is None:
                continue
            if owner.kind is FindingKind.vertebral_collapse:
                owner.collapse.append(pct)
            break
    for fraction in find_fractions(text, start, end):
        owner = _nearest(cortical, fraction.start, fraction.end)
        if owner is not None:
            owner.cortical.append(fraction)


def attach_escc(groups: list[Group], escc: list[Mention], text: str, sentence: int) -> list[Group]:
    """A stated Bilsky grade belongs to the epidural finding; alone, it is one."""
    added: list[Group] = []
    for mention in escc:
        grade, stated = find_escc_grade(text, mention.start, mention.end + 8)
        if not stated:
            continue
        epidural = [g for g in groups if g.kind in (FindingKind.epidural_extension, FindingKind.cord_compression)]
        owner = _nearest(epidural, mention.start, mention.end)
        if owner is None:
            owner = _escc_finding(mention, grade, sentence)
            added.append(owner)
        owner.escc_grade = owner.escc_grade or grade
    return added


def _escc_finding(mention: Mention, grade: object, sentence: int) -> Group:
    # Bilsky 2010: grade 0 is bone-only disease; 1a-1c epidural without cord compression;
    # 2-3 cord compression (CSF visible / obliterated).
    value = str(getattr(grade, "value", ""))
    if value == "0":
        kind, status = FindingKind.epidural_extension, FindingStatus.negated
    elif value in ("2", "3"):
        kind, status = FindingKind.cord_compression, mention.status
    else:
        kind, status = FindingKind.epidural_extension, mention.status
    return Group(kind, status, mention.section, sentence, [mention])


def assign_counts(groups: list[Group], text: str, start: int, end: int) -> None:
    """Count words standing just before a lesion ('multiple lytic lesions', 'three foci')."""
    lex = lexicon()
    for group in groups:
        if not group.is_present_lesion:
            continue
        first = min(group.mentions, key=lambda m: m.start)
        before = text[max(start, first.start - 60) : first.start]
        if re.search(r"[.;:]", before):
            before = re.split(r"[.;:]", before)[-1]
        words = _WORDS.findall(before)[-_COUNT_REACH_WORDS:]
        lead = " ".join(words)
        after = text[group.end : min(end, group.end + 30)].split(".")[0]
        if lex.multiple.search(lead) or lex.multiple.search(text, first.start, first.end):
            group.count_words.append("multiple")
        if lex.solitary.search(lead) or lex.solitary.search(after):
            group.count_words.append("solitary")
        number = lex.number_word.search(lead)
        if number is not None and re.fullmatch(r"[\w\s-]*", lead[number.end() :]):
            group.count_words.append(lex.numbers[number.group(0).lower()])
        if any(lex.plural_lesion.search(text, m.start, m.end) for m in group.mentions):
            group.plural = True


def is_skeletal(group: Group, text: str, clause: tuple[int, int], context: BoneContext) -> bool:
    """Whether a lesion or mimic is in bone: the nearer of bone words and organ words decides."""
    if group.kind not in _LESION_KINDS:
        return True
    lex = lexicon()
    start, end = clause
    bone_spans = context.site_spans + _spans(lex.bone_context, text, start, end)
    bone = min((_distance(group, a, b) for a, b in bone_spans), default=None)
    organ_spans = [
        (a, b) for a, b in _spans(lex.organ, text, start, end) if not any(m.start <= a < m.end for m in group.mentions)
    ]  # 'Schmorl's node' names no lymph node
    organ = min((_distance(group, a, b) for a, b in organ_spans), default=None)
    if bone is not None or organ is not None:
        return organ is None or (bone is not None and bone <= organ)
    if context.subheader is not None:
        return context.subheader
    if context.skeletal_exam:
        return True
    # 'No evidence of metastatic disease' in any study covers the bones it shows.
    return group.called_metastasis and group.status is FindingStatus.negated and group.kind is FindingKind.lesion


def _spans(regex: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text, start, end)]
