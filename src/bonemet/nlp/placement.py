"""Is a lesion or mimic in bone? 'Lesion' and 'metastasis' also name liver and lung findings.

The nearer of bone words (sites, 'osseous', 'marrow', 'lytic') and organ words ('hepatic',
'nodal', 'lobe') in the clause decides, then in the sentence; then a subheader ('BONES:' or
'LIVER:'); then the study (a bone scan or an MRI of the spine is about bone). A negated
metastasis in any study ('no evidence of metastatic disease') covers the bones it shows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from bonemet.model.vocabulary import FindingKind, FindingStatus
from bonemet.nlp import docs
from bonemet.nlp.attach import distance
from bonemet.nlp.grouping import Group
from bonemet.nlp.index import TextIndex, WordSpan
from bonemet.nlp.resources import lexicon, section_headers
from bonemet.nlp.sites import SiteMention

_SUBHEADER = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?([a-z][a-z /&,+-]{1,40}?)[ \t]*:", re.MULTILINE)
_LESION_KINDS = (FindingKind.lesion, FindingKind.mimic)


@dataclass(frozen=True)
class BoneContext:
    """What places a clause in bone apart from its own words."""

    subheader: bool | None  # True under 'BONES:', False under 'LIVER:', None when neither
    skeletal_exam: bool  # a bone scan or a study of a bone ('MRI THORACIC SPINE')


@lru_cache(maxsize=8)
def _subheaders(lower: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Every subheader of a report once (starts and labels), not once per finding: a long report has
    thousands of findings, and scanning its text for each was quadratic."""
    matches = list(_SUBHEADER.finditer(lower))
    return tuple(m.start() for m in matches), tuple(m.group(1).strip() for m in matches)


def subheader_at(lower: str, position: int) -> bool | None:
    """True under a bone subheader ('bones:'), False under another organ's ('liver:'), None
    without one or under a neutral one ('degenerative:'). A subheader rules its line and the
    lines below it up to a blank line."""
    paragraph_start = max(docs.paragraph_start(lower, position), 0)
    starts, labels = _subheaders(lower)
    # the last subheader starting in this paragraph at or before the position (its line included)
    last = bisect_right(starts, position) - 1
    if last < 0 or starts[last] < paragraph_start:
        return None
    label = labels[last]
    if f"{label}:" in section_headers():
        return None
    if lexicon().bone_subheader.match(label) or lexicon().bones.search(label):
        return True
    if lexicon().organ.search(label):
        return False
    return None


def _closest(group: Group, spans: list[WordSpan] | list[SiteMention]) -> int | None:
    return min((distance(group, s.start, s.end) for s in spans), default=None)


def is_skeletal(
    group: Group, index: TextIndex, clause: tuple[int, int], sentence: tuple[int, int], context: BoneContext
) -> bool:
    """Whether a lesion or mimic is in bone: the nearer of bone words and organ words in its
    clause decides, else in its sentence ('L5-S1 facet uptake; metastasis not excluded')."""
    if group.kind not in _LESION_KINDS:
        return True
    for start, end in (clause, sentence):
        verdict = _words_decide(group, index, start, end)
        if verdict is not None:
            return verdict
    if context.subheader is not None:
        return context.subheader
    if context.skeletal_exam or group.kind is FindingKind.mimic:
        return True  # a mimic term ('Schmorl's node', 'bone island') names bone by itself
    # 'No evidence of metastatic disease' in any study covers the bones it shows.
    return group.called_metastasis and group.status is FindingStatus.negated


def _words_decide(group: Group, index: TextIndex, start: int, end: int) -> bool | None:
    """True or False when bone or organ words in [start, end) decide; None when there are none."""
    distances = (_closest(group, index.sites(start, end)), _closest(group, index.bone_words(start, end)))
    bone = min((d for d in distances if d is not None), default=None)
    # an organ word inside the finding's own words names no organ: 'Schmorl's node'
    organs = [w for w in index.organ_words(start, end) if not group.start <= w.start < group.end]
    organ = _closest(group, organs)
    if bone is None and organ is None:
        return None
    return organ is None or (bone is not None and bone <= organ)
