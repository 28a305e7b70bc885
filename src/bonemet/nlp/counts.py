"""How many lesions: stated counts first ('innumerable', 'three', 'solitary'), else the sites.

A count word counts when it stands just before a lesion the report affirms or calls
possible ('multiple lytic lesions', 'three foci'); 'diffuse' and 'extensive' count only
when the lesion is not confined to one bone ('diffuse marrow signal throughout T6' is one).
A lower bound is not a count: 'at least five' is 'multiple'.
"""

from __future__ import annotations

import re

from bonemet.model.vocabulary import SPINAL_BONES, Bone, LesionCount
from bonemet.nlp.grouping import Group
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sites import distinct_sites

_COUNT_REACH_WORDS = 5  # 'innumerable small sclerotic osseous lesions'
_MEASUREMENT_AFTER = re.compile(r"\s*(?:[.,]\d|cm\b|mm\b|%|x\b|×|-?\s*(?:cm|mm)\b|percent)")
_WORDS = re.compile(r"[\w'/-]+")


def assign_counts(groups: list[Group], lower: str, start: int, end: int) -> None:
    """Count words just before a lesion ('multiple lytic lesions', 'three foci'), and
    whether the lesion word itself is plural ('metastases') or singular ('lesion')."""
    lex = lexicon()
    for group in groups:
        if not group.is_present_lesion:
            continue
        first = min(group.mentions, key=lambda m: m.start)
        before = re.split(r"[.;:]", lower[max(start, first.start - 60) : first.start])[-1]
        lead = " ".join(_WORDS.findall(before)[-_COUNT_REACH_WORDS:])
        after = lower[group.end : min(end, group.end + 30)].split(".")[0]
        if lex.multiple.search(lead) or lex.multiple.search(lower, first.start, first.end):
            group.count_words.append("multiple")
        elif lex.weak_multiple.search(lead):
            group.count_words.append("weak_multiple")  # 'diffuse marrow signal throughout T6' is one bone
        if lex.solitary.search(lead) or lex.solitary.search(after):
            group.count_words.append("solitary")
        number = lex.number_word.search(lead)
        if number is not None and not _MEASUREMENT_AFTER.match(lead, number.end()):
            group.count_words.append(lex.numbers[number.group(0)])
        if any(lex.plural_lesion.search(lower, m.start, m.end) for m in group.mentions):
            group.plural = True
        elif any(lex.singular_lesion.search(lower[m.start : m.end]) for m in group.mentions):
            group.singular = True


def _distinct_lesion_sites(groups: list[Group]) -> int:
    """Sites across findings; a site named less precisely ('the sacrum') folds into a precise one
    ('S1'), and one lesion ('expansile lesion involving S1 and S2') counts once."""
    places: dict[Bone, set[object]] = {}
    for group in groups:
        sites = distinct_sites(group.sites)
        for site in sites[:1] if group.singular else sites:
            places.setdefault(site.bone, set()).add(site.level if site.bone in SPINAL_BONES else site.side)
    return sum(max(len(found - {None}), 1) for found in places.values())


def lesion_count_of(groups: list[Group]) -> LesionCount | int | None:
    """Stated count words first ('innumerable', 'three', 'solitary'); else what the sites show."""
    present = [g for g in groups if g.is_present_lesion]
    words = [w for g in present for w in g.count_words]
    numbers = [w for w in words if isinstance(w, int)]
    if "multiple" in words or any(
        "weak_multiple" in g.count_words and (g.plural or len(distinct_sites(g.sites)) != 1) for g in present
    ):
        return LesionCount.multiple
    if numbers:
        return LesionCount.solitary if max(numbers) == 1 else max(numbers)
    if "solitary" in words:
        return LesionCount.solitary
    if _distinct_lesion_sites(present) >= 2 or any(g.plural for g in present):
        return LesionCount.multiple
    return None
