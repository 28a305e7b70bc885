"""Vertebral levels: single levels, ranges and lists ('T10-L2', 'C7 through T2', 'L3 and L5').

A range names every level between its ends ('T10-L2' is T10, T11, T12, L1, L2); a shorthand
range keeps the region of its first end ('T4-6' is T4, T5, T6). European and Indian
reports write the thoracic spine as dorsal (D1-D12). MRI sequence names that look like
levels ('T1 hypointense', 'T2-weighted', 'on T1') are not levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bonemet.model.vocabulary import SPINAL_LEVELS, SpinalLevel, level_index
from bonemet.nlp.resources import lexicon

_REGION_SIZE = {"C": 7, "T": 12, "L": 5, "S": 5}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_REGION_WORDS = {"cervical": "C", "thoracic": "T", "dorsal": "T", "lumbar": "L", "sacral": "S"}

_LEVEL = r"(?<![\w/.-])([ctlsd])[ -]?(\d{1,2})(?![\w])"
_RANGE_JOIN = r"\s*(?:-|–|—|/|to|through|thru|until)\s*"
# All patterns run on lower-cased text.
_LEVEL_RE = re.compile(_LEVEL)
_RANGE_RE = re.compile(rf"{_LEVEL}{_RANGE_JOIN}(?:([ctlsd])[ -]?)?(\d{{1,2}})(?![\w])")
_ORDINAL_RE = re.compile(
    r"\b(\d{1,2}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + r")\s+"
    r"(cervical|thoracic|dorsal|lumbar|sacral)\s+(?:vertebra|vertebrae|vertebral body|level|segment)\b"
)


@dataclass(frozen=True)
class LevelMention:
    start: int
    end: int
    levels: tuple[SpinalLevel, ...]


def _level(region: str, number: int) -> SpinalLevel | None:
    region = "T" if region.upper() == "D" else region.upper()  # dorsal D1-D12 is thoracic
    if 1 <= number <= _REGION_SIZE[region]:
        return SpinalLevel(f"{region}{number}")
    return None


def _is_mri_sequence(text: str, start: int, end: int, region: str, number: int) -> bool:
    if region != "t" or number not in (1, 2):
        return False
    after = text[end : end + 30]
    before = text[max(0, start - 25) : start]
    lex = lexicon()
    return bool(lex.sequence_after_level.match(after) or lex.sequence_before_level.search(before))


def _between(first: SpinalLevel, last: SpinalLevel) -> tuple[SpinalLevel, ...]:
    lo, hi = sorted((level_index(first), level_index(last)))
    return tuple(SpinalLevel(level) for level in SPINAL_LEVELS[lo : hi + 1])


def _ranges(text: str, start: int, end: int) -> list[LevelMention]:
    mentions = []
    for match in _RANGE_RE.finditer(text, start, end):
        region, first_number, last_region, last_number = match.groups()
        first = _level(region, int(first_number))
        last = _level(last_region or region, int(last_number))
        if first is None or last is None or first == last:
            continue
        if _is_mri_sequence(text, match.start(), match.end(), last_region or region, int(last_number)):
            continue
        if last_region is None and int(last_number) <= int(first_number):
            continue  # 'L4-5' read backwards, or a size like 'T12-3'
        mentions.append(LevelMention(match.start(), match.end(), _between(first, last)))
    return mentions


def find_levels(text: str, start: int = 0, end: int | None = None) -> list[LevelMention]:
    """Every level mention in text[start:end], ranges expanded, in text order; `text` must be
    lower-cased (str.lower keeps every offset for report text)."""
    end = len(text) if end is None else end
    mentions = _ranges(text, start, end)
    covered = [(m.start, m.end) for m in mentions]
    for match in _LEVEL_RE.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in covered):
            continue
        region, number = match.group(1), int(match.group(2))
        level = _level(region, number)
        if level is None or _is_mri_sequence(text, match.start(), match.end(), region, number):
            continue
        mentions.append(LevelMention(match.start(), match.end(), (level,)))
    for match in _ORDINAL_RE.finditer(text, start, end):
        word, region_word = match.group(1).lower(), match.group(2).lower()
        number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        level = _level(_REGION_WORDS[region_word], number)
        if level is not None:
            mentions.append(LevelMention(match.start(), match.end(), (level,)))
    return sorted(mentions, key=lambda m: m.start)
