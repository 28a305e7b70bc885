"""The 'bonemet_findings' pipeline component: from ConText-annotated targets to findings.

For each sentence of the findings and impression: split into clauses, group targets into
findings (nlp.grouping), keep those in bone, attach sites and measurements (nlp.attach),
let complications without a site take the site of the lesion they belong to, then write
one Finding per site to doc._.bonemet_findings.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from bonemet.model.vocabulary import Bone, Pattern
from bonemet.nlp.attach import (
    BoneContext,
    assign_counts,
    assign_fractions,
    assign_patterns,
    assign_sites,
    assign_sizes,
    attach_escc,
    is_skeletal,
)
from bonemet.nlp.grouping import Group, clauses, group_clause
from bonemet.nlp.measures import find_sizes
from bonemet.nlp.mentions import ESCC, sentence_mentions
from bonemet.nlp.resources import lexicon, section_headers
from bonemet.nlp.sections import section_map
from bonemet.nlp.sites import find_sites
from bonemet.nlp.vocabulary import FindingKind, Section
from bonemet.nlp.expand import lesion_count_of, to_findings

_SUBHEADER = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?([A-Za-z][A-Za-z /&,+-]{1,40}?)[ \t]*:", re.MULTILINE)
_ANAPHORA_SENTENCES = 2  # a complication without a site may refer this many sentences back
_SPINAL_KINDS = frozenset(
    {FindingKind.epidural_extension, FindingKind.cord_compression, FindingKind.vertebral_collapse,
     FindingKind.retropulsion}
)  # fmt: skip


def register_extensions() -> None:
    for name, default in (("bonemet_findings", None), ("bonemet_lesion_count", None), ("bonemet_section_map", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("bonemet_mimic"):
        Span.set_extension("bonemet_mimic", default=None)


def subheader_at(text: str, position: int) -> bool | None:
    """True under a bone subheader ('BONES:'), False under another organ's, None without one."""
    paragraph_start = max(text.rfind("\n\n", 0, position), 0)
    line_start = text.rfind("\n", 0, position) + 1
    for match in reversed(list(_SUBHEADER.finditer(text, paragraph_start, position))):
        if match.start() > line_start and match.start() != line_start:
            continue
        label = match.group(1).strip()
        if f"{label.lower()}:" in section_headers():
            return None
        if lexicon().bone_subheader.match(label) or lexicon().bones.search(label):
            return True
        return False
    return None


def _clause_groups(doc: Doc, start: int, end: int, mentions: list, sentence: int, skeletal_exam: bool) -> list[Group]:
    text = doc.text
    groups = group_clause([m for m in mentions if m.category != ESCC], text, sentence)
    groups += attach_escc(groups, [m for m in mentions if m.category == ESCC], text, sentence)
    sites = find_sites(text, start, end)
    context = BoneContext([(s.start, s.end) for s in sites], subheader_at(text, start), skeletal_exam)
    groups = [g for g in groups if is_skeletal(g, text, (start, end), context)]
    groups.sort(key=lambda g: g.start)
    assign_sites(groups, sites, text)
    assign_patterns(groups, text, start, end)
    assign_sizes(groups, text, start, end)
    assign_fractions(groups, text, start, end)
    assign_counts(groups, text, start, end)
    _share_sites(groups)
    return groups


def _share_sites(groups: list[Group]) -> None:
    """Findings without a site take one from the nearest finding that has one."""
    sourced = [g for g in groups if g.sites and g.kind is not FindingKind.mimic]
    for group in groups:
        if group.kind is FindingKind.mimic or not sourced:
            continue
        nearest = min(sourced, key=lambda g: abs(g.start - group.start))
        if not group.sites:
            group.sites = list(nearest.sites)
        elif all(s.bone is Bone.spine and s.level is None for s in group.sites):
            levels = [s for s in nearest.sites if s.level is not None and s.bone is Bone.spine]
            group.sites = group.sites + levels  # 'fracture through the base of the odontoid' at C2


def _resolve_anaphora(sentences: list[tuple[int, Section, list[Group]]]) -> None:
    """'There is associated pathologic fracture.': the site of the lesion just described."""
    history: list[tuple[Section, list[Group]]] = []
    for _, section, groups in sentences:
        if groups and not any(g.sites for g in groups):
            source = next(
                (
                    g
                    for sec, previous in reversed(history[-_ANAPHORA_SENTENCES:])
                    if sec is section
                    for g in reversed(previous)
                    if g.sites and g.kind is not FindingKind.mimic
                ),
                None,
            )
            if source is not None:
                for group in groups:
                    if group.kind is not FindingKind.mimic:
                        group.sites = list(source.sites)
        history.append((section, groups))


def _sizes_between_sentences(doc: Doc, sentences: list[tuple[int, Section, list[Group]]], ends: list[int]) -> None:
    """'The largest, in the left iliac bone, measures 2.4 cm.': a size told after the lesion."""
    text = doc.text
    sections = doc._.bonemet_section_map
    for i, (_, section, groups) in enumerate(sentences):
        lesions = [g for g in groups if g.is_lesion and not g.sizes]
        if not lesions:
            continue
        gap_end = sentences[i + 1][0] if i + 1 < len(sentences) else len(text)
        for size in find_sizes(text, ends[i], gap_end):
            if sections.at(size.start) is not section:
                break
            sites = find_sites(text, max(ends[i], size.start - 60), size.end)
            owner = lesions[-1]
            if sites and not any(s.bone is t.bone for s in sites for t in owner.sites):
                continue
            owner.sizes.append(size)
            break


def build_groups(doc: Doc) -> list[Group]:
    sections = section_map(doc)
    doc._.bonemet_section_map = sections
    skeletal_exam = lexicon().skeletal_exam.search(sections.title) is not None
    text = doc.text
    per_sentence: list[tuple[int, Section, list[Group]]] = []
    ends: list[int] = []
    for sentence in sentence_mentions(doc, sections):
        groups: list[Group] = []
        for start, end in clauses(text, sentence.start, sentence.end):
            inside = [m for m in sentence.mentions if start <= m.start < end]
            if inside:
                groups += _clause_groups(doc, start, end, inside, sentence.start, skeletal_exam)
        _share_sites(groups)
        per_sentence.append((sentence.start, sentence.section, groups))
        ends.append(sentence.end)
    _resolve_anaphora(per_sentence)
    _sizes_between_sentences(doc, per_sentence, ends)
    for _, _, groups in per_sentence:
        for group in groups:
            if not group.sites and group.kind in _SPINAL_KINDS:
                group.sites = []
    return [g for _, _, groups in per_sentence for g in groups]


@Language.component("bonemet_findings")
def find_findings(doc: Doc) -> Doc:
    """Write the report's skeletal findings and lesion count to the doc."""
    groups = build_groups(doc)
    doc._.bonemet_findings = to_findings(doc.text, groups)
    doc._.bonemet_lesion_count = lesion_count_of(groups)
    return doc


__all__ = ["Pattern", "build_groups", "find_findings", "register_extensions", "subheader_at"]
