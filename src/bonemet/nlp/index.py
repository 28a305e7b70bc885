"""Every vocabulary mention in one report, found once.

The attribute components ask for what lies inside a clause; finding it all in one pass
over the lower-cased report is cheaper than running each regular expression per clause
(and lower-cased matching is about three times faster than case-insensitive matching).
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bonemet.model.vocabulary import Pattern
from bonemet.nlp.measures import Measure, find_fractions, find_percentages, find_sizes
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sites import SiteMention, inherit_sides, site_mentions

# 'without sclerotic margin' describes a benign edge, 'mixed response' a treatment course:
# neither is the lesion's pattern
_NOT_A_PATTERN = re.compile(r"[\s-]*(?:margins?|rims?|borders?|bands?|edges?|halo|response|responses)\b")


class _Located(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_Located)


@dataclass(frozen=True)
class PatternMention:
    start: int
    end: int
    pattern: Pattern


@dataclass(frozen=True)
class WordSpan:
    start: int
    end: int


def lower_same_length(text: str) -> str:
    """text.lower() with every offset kept (a few Unicode letters lower-case to two characters)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _within(items: tuple[T, ...], starts: tuple[int, ...], start: int, end: int) -> list[T]:
    first = bisect_left(starts, start)
    last = bisect_left(starts, end)
    return [item for item in items[first:last] if item.end <= end]


def _patterns(lower: str, start: int) -> list[PatternMention]:
    found: list[PatternMention] = []  # kept sorted by start, so an overlap check looks at two neighbours
    for pattern, regex in lexicon().patterns:  # mixed first: 'lytic and sclerotic' is one mention
        for match in regex.finditer(lower, start):
            if _overlaps_found(found, match.start(), match.end()):
                continue
            if _NOT_A_PATTERN.match(lower, match.end()):
                continue
            insort(found, PatternMention(match.start(), match.end(), pattern), key=lambda p: p.start)
    return found


def _overlaps_found(found: list[PatternMention], start: int, end: int) -> bool:
    """Found mentions do not overlap each other, so only the neighbours of [start, end) can overlap it."""
    at = bisect_left(found, start, key=lambda p: p.start)
    return any(p.start < end and start < p.end for p in found[max(at - 1, 0) : at + 1])


def _words(regex: re.Pattern[str], lower: str, start: int) -> list[WordSpan]:
    return [WordSpan(m.start(), m.end()) for m in regex.finditer(lower, start)]


class TextIndex:
    """Sites, patterns, measurements and context words of one report, by position."""

    def __init__(self, text: str, scan_from: int = 0) -> None:
        """Index text[scan_from:]: the reader starts at the first section that reports findings."""
        self.text = text
        self.lower = lower_same_length(text)
        lex = lexicon()
        lower, end = self.lower, len(text)
        self._sites = tuple(site_mentions(lower, scan_from, end))
        self._patterns = tuple(_patterns(lower, scan_from))
        self._bone_words = tuple(_words(lex.bone_context, lower, scan_from))
        self._organ_words = tuple(_words(lex.organ, lower, scan_from))
        self._sizes = tuple(find_sizes(lower, scan_from, end))
        self._percentages = tuple(find_percentages(lower, scan_from, end))
        self._fractions = tuple(find_fractions(lower, scan_from, end))
        self._starts = {
            name: tuple(item.start for item in items)
            for name, items in (
                ("sites", self._sites),
                ("patterns", self._patterns),
                ("bone", self._bone_words),
                ("organ", self._organ_words),
                ("sizes", self._sizes),
                ("percentages", self._percentages),
                ("fractions", self._fractions),
            )
        }

    def sites(self, start: int, end: int) -> list[SiteMention]:
        """Sites in [start, end); a side carries over to the next mention of the same bone."""
        return inherit_sides(_within(self._sites, self._starts["sites"], start, end))

    def patterns(self, start: int, end: int) -> list[PatternMention]:
        return _within(self._patterns, self._starts["patterns"], start, end)

    def bone_words(self, start: int, end: int) -> list[WordSpan]:
        return _within(self._bone_words, self._starts["bone"], start, end)

    def organ_words(self, start: int, end: int) -> list[WordSpan]:
        return _within(self._organ_words, self._starts["organ"], start, end)

    def sizes(self, start: int, end: int) -> list[Measure]:
        return _within(self._sizes, self._starts["sizes"], start, end)

    def percentages(self, start: int, end: int) -> list[Measure]:
        return _within(self._percentages, self._starts["percentages"], start, end)

    def fractions(self, start: int, end: int) -> list[Measure]:
        return _within(self._fractions, self._starts["fractions"], start, end)
