"""Where a finding is: bone, vertebral level, side and long-bone segment.

Bones, sides and segments come from rules/lexicon.json; levels from nlp.levels. A side
belongs to the bone named right after it ('left posterior 7th rib'); 'both'/'bilateral'
names two sides. A segment is read from the words around a long bone ('proximal
diaphysis of the right femur' is the shaft); when several are named the one that matters
most for fracture risk wins (peritrochanteric, then neck, shaft, proximal, distal), since
Mirels scores the peritrochanteric site highest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bonemet.model.vocabulary import LONG_BONES, SPINAL_BONES, Bone, Segment, Side, SpinalLevel
from bonemet.nlp.levels import find_levels
from bonemet.nlp.resources import lexicon

_SEGMENT_PRIORITY = (Segment.peritrochanteric, Segment.neck, Segment.shaft, Segment.proximal, Segment.distal)
_SEGMENT_RANK = {segment: rank for rank, segment in enumerate(_SEGMENT_PRIORITY)}
_SIDE_WINDOW = 32  # characters before a bone in which its side word may stand
_SEGMENT_WINDOW = 40
_SIDE_GAP = re.compile(r"^(?:[\s(]*(?:the\s+)?[\w'-]+){0,4}?[\s(]*$")
_SINGLE_LETTER_SIDES = {"l", "r"}
_BILATERAL_AFTER = re.compile(r"^\s*,?\s*(?:bilaterally|on both sides|bilateral)\b")


@dataclass(frozen=True)
class SiteMention:
    start: int
    end: int
    bone: Bone
    level: SpinalLevel | None = None
    side: Side | None = None
    bilateral: bool = False
    segment: Segment | None = None

    @property
    def key(self) -> tuple[Bone, SpinalLevel | None, Side | None, Segment | None]:
        return (self.bone, self.level, self.side, self.segment)


def bone_of_level(level: SpinalLevel) -> Bone:
    return Bone.sacrum if level.value.startswith("S") else Bone.spine


def _side_before(text: str, start: int, floor: int) -> tuple[Side | None, bool]:
    """The side word standing just before a bone mention, if any."""
    window_start = max(floor, start - _SIDE_WINDOW)
    window = text[window_start:start]
    best: tuple[int, str] | None = None
    for side_name, regex in lexicon().sides:
        for match in regex.finditer(window):
            gap = window[match.end() :]
            if match.group(0) in _SINGLE_LETTER_SIDES and gap.strip():
                continue  # 'L'/'R' only directly before the bone: 'R iliac crest'
            if not _SIDE_GAP.match(gap) or re.search(r"[,;.:\n]", gap):
                continue
            if best is None or match.start() > best[0]:
                best = (match.start(), side_name)
    if best is None:
        return None, False
    if best[1] == "bilateral":
        return None, True
    return Side(best[1]), False


def _segment_near(text: str, start: int, end: int, floor: int, ceiling: int) -> Segment | None:
    before = text[max(floor, start - _SEGMENT_WINDOW) : start]
    before = re.split(r"[,;.:\n]", before)[-1]
    around = before + " " + text[start:end] + " " + re.split(r"[,;.:(\n]", text[end : min(ceiling, end + 25)])[0]
    found = {segment for segment, regex in lexicon().segments if regex.search(around)}
    return next((segment for segment in _SEGMENT_PRIORITY if segment in found), None)


def _bone_mentions(text: str, start: int, end: int) -> list[SiteMention]:
    mentions = []
    for match in lexicon().bones.finditer(text, start, end):
        bone = Bone(match.lastgroup or Bone.other.value)
        side, bilateral = _side_before(text, match.start(), start)
        if not bilateral and _BILATERAL_AFTER.match(text[match.end() : end]):
            bilateral = True
        segment = _segment_near(text, match.start(), match.end(), start, end) if bone in LONG_BONES else None
        mentions.append(SiteMention(match.start(), match.end(), bone, None, side, bilateral, segment))
    return mentions


def inherit_sides(mentions: list[SiteMention]) -> list[SiteMention]:
    """'right femoral neck extending to the intertrochanteric region': the second is right too."""
    result: list[SiteMention] = []
    for mention in mentions:
        if mention.side is None and not mention.bilateral and mention.level is None:
            previous = next((m for m in reversed(result) if m.bone is mention.bone and m.level is None), None)
            if previous is not None and (previous.side is not None or previous.bilateral):
                mention = SiteMention(
                    mention.start, mention.end, mention.bone, None, previous.side, previous.bilateral,
                    mention.segment,
                )  # fmt: skip
        result.append(mention)
    return result


def site_mentions(lower: str, start: int, end: int) -> list[SiteMention]:
    """Sites named in lower[start:end] (lower-cased text), in text order, before side sharing."""
    sites = _bone_mentions(lower, start, end)
    for mention in find_levels(lower, start, end):
        for level in mention.levels:
            sites.append(SiteMention(mention.start, mention.end, bone_of_level(level), level))
    sites.sort(key=lambda s: (s.start, s.level is None))
    return sites


def find_sites(text: str, start: int = 0, end: int | None = None) -> list[SiteMention]:
    """Every site named in text[start:end], in text order; a level range gives one per level."""
    end = len(text) if end is None else end
    return inherit_sides(site_mentions(text.lower(), start, end))


def expand_sides(site: SiteMention) -> list[SiteMention]:
    """A bilateral mention stands for a left and a right site."""
    if not site.bilateral:
        return [site]
    return [
        SiteMention(site.start, site.end, site.bone, site.level, side, False, site.segment)
        for side in (Side.left, Side.right)
    ]


def _segment_rank(site: SiteMention) -> int:
    return _SEGMENT_RANK.get(site.segment, len(_SEGMENT_RANK)) if site.segment is not None else len(_SEGMENT_RANK)


def distinct_sites(named: list[SiteMention]) -> list[SiteMention]:
    """One site per level (spine) or per bone and side (elsewhere), most specific first."""
    sites = [side for site in named for side in expand_sides(site)]
    with_level = {s.bone for s in sites if s.level is not None}
    with_side = {s.bone for s in sites if s.side is not None}
    chosen: dict[tuple[Bone, SpinalLevel | Side | None], SiteMention] = {}
    for site in sites:
        if site.bone in SPINAL_BONES and site.level is None and site.bone in with_level:
            continue
        if site.level is None and site.side is None and site.bone in with_side:
            continue
        key = (site.bone, site.level if site.bone in SPINAL_BONES else site.side)
        kept = chosen.get(key)
        if kept is None or _segment_rank(site) < _segment_rank(kept):
            chosen[key] = site
    return list(chosen.values())
