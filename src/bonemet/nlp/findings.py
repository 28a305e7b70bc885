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

from bonemet.model.vocabulary import Bone, FindingKind, FindingStatus, Section
from bonemet.nlp.attach import assign_fractions, assign_patterns, assign_sites, assign_sizes, attach_escc
from bonemet.nlp.counts import assign_counts, lesion_count_of
from bonemet.nlp.docs import report_text
from bonemet.nlp.expand import to_findings
from bonemet.nlp.grouping import Group, clauses, group_clause
from bonemet.nlp.index import TextIndex
from bonemet.nlp.mentions import ESCC, Mention, sentence_mentions
from bonemet.nlp.placement import BoneContext, is_skeletal, subheader_at
from bonemet.nlp.resources import lexicon
from bonemet.nlp.sections import SectionMap, section_map
from bonemet.nlp.sites import SiteMention

_ANAPHORA_SENTENCES = 2  # a complication without a site may refer this many sentences back
_LOOKBACK_CHARS = 300  # how far back the previous sentence is searched for a site
_SIZE_SITE_REACH = 60  # 'the largest, in the left iliac bone, measures 2.4 cm': site before size
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")
_FAMILIES = (
    frozenset({FindingKind.epidural_extension, FindingKind.cord_compression}),
    frozenset({FindingKind.vertebral_collapse, FindingKind.pathologic_fracture, FindingKind.retropulsion,
               FindingKind.cortical_destruction}),
)  # fmt: skip

SentenceGroups = tuple[int, Section, list[Group]]


def register_extensions() -> None:
    for name in ("bonemet_findings", "bonemet_lesion_count"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("bonemet_mimic"):
        Span.set_extension("bonemet_mimic", default=None)


def _clause_groups(
    index: TextIndex,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    mentions: list[Mention],
    skeletal_exam: bool,
) -> list[Group]:
    start, end = clause
    lower = index.lower
    groups = group_clause([m for m in mentions if m.category != ESCC], lower, sentence[0])
    groups += attach_escc(groups, [m for m in mentions if m.category == ESCC], lower, sentence[0])
    context = BoneContext(subheader_at(lower, start), skeletal_exam)
    groups = sorted((g for g in groups if is_skeletal(g, index, clause, sentence, context)), key=lambda g: g.start)
    assign_sites(groups, index.sites(start, end), lower)
    assign_patterns(groups, index, start, end)
    assign_sizes(groups, index, start, end)
    assign_fractions(groups, index, start, end)
    assign_counts(groups, lower, start, end)
    _share_sites(groups)
    return groups


def _site_source(group: Group, candidates: list[Group]) -> Group | None:
    """The finding whose site this one shares: its own family first (epidural with cord
    compression), then a lesion, then any; the nearest in the text within each."""
    family = next((f for f in _FAMILIES if group.kind in f), frozenset())
    tiers = (
        [g for g in candidates if g.kind in family],
        [g for g in candidates if g.kind is FindingKind.lesion],
        [g for g in candidates if g.kind is not FindingKind.mimic],
        # 'T12 compression fracture, favored osteoporotic; pathological fracture cannot be
        # excluded': the complication is at T12 all the same
        [g for g in candidates if g.kind is FindingKind.mimic and group.kind is not FindingKind.lesion],
    )
    for tier in tiers:
        if tier:
            return min(tier, key=lambda g: abs(g.start - group.start))
    return None


def _spine_without_level(group: Group) -> bool:
    return bool(group.sites) and all(s.bone is Bone.spine and s.level is None for s in group.sites)


def _share_sites(groups: list[Group]) -> None:
    """Findings without a site take one from the finding they belong to."""
    for group in groups:
        if group.kind is FindingKind.mimic:
            continue
        if not group.sites:
            source = _site_source(group, [g for g in groups if g.sites and g is not group])
            if source is not None:
                group.sites = list(source.sites)
        elif _spine_without_level(group):
            # 'fracture through the base of the odontoid' in a C2 lesion is at C2
            with_level = [g for g in groups if any(s.level for s in g.sites) and g is not group]
            source = _site_source(group, with_level)
            if source is not None:
                group.sites = group.sites + [s for s in source.sites if s.level is not None]


def _previous_sentence_sites(index: TextIndex, start: int) -> list[SiteMention]:
    """Sites named in the sentence just before `start` (which may hold no target at all)."""
    window_start = max(0, start - _LOOKBACK_CHARS)
    window = index.lower[window_start:start].rstrip()
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    return index.sites(window_start + (ends[-1] if ends else 0), window_start + len(window))


def _resolve_anaphora(index: TextIndex, sentences: list[SentenceGroups]) -> None:
    """'There is associated pathologic fracture.': the site of the lesion just described."""
    history: list[tuple[Section, list[Group]]] = []
    for start, section, groups in sentences:
        needy = [
            g
            for g in groups
            if g.kind is not FindingKind.mimic
            and g.status is not FindingStatus.negated  # 'No other metastases.' needs no site
            and (not g.sites or _spine_without_level(g))
        ]
        if needy and not any(g.sites and not _spine_without_level(g) for g in groups):
            recent = [g for sec, previous in history[-_ANAPHORA_SENTENCES:] if sec is section for g in previous]
            source = _site_source(needy[0], [g for g in recent if g.sites])
            sites = list(source.sites) if source is not None else _previous_sentence_sites(index, start)
            for group in needy:
                if not group.sites:
                    group.sites = list(sites)
                else:
                    group.sites = group.sites + [s for s in sites if s.level is not None]
        history.append((section, groups))


def _sizes_after_lesion(
    index: TextIndex, sections: SectionMap, sentences: list[SentenceGroups], ends: list[int]
) -> None:
    """'The largest, in the left iliac bone, measures 2.4 cm.': a size told in a sentence of
    its own, after the lesion it measures."""
    for i, (_, section, groups) in enumerate(sentences):
        lesions = [g for g in groups if g.is_lesion and not g.sizes]
        if not lesions:
            continue
        gap_end = sentences[i + 1][0] if i + 1 < len(sentences) else len(index.lower)
        for size in index.sizes(ends[i], gap_end):
            if sections.at(size.start) is not section:
                break
            owner = lesions[-1]
            sites = index.sites(max(ends[i], size.start - _SIZE_SITE_REACH), size.end)
            if sites and not any(s.bone is t.bone for s in sites for t in owner.sites):
                continue
            owner.sizes.append(size)
            break


def build_groups(doc: Doc, text: str) -> list[Group]:
    """Findings in progress; `text` is doc.text (passed in: each doc.text rebuilds it)."""
    sections = section_map(doc, text)
    index = TextIndex(text, scan_from=sections.first_reporting_offset)
    skeletal_exam = lexicon().skeletal_exam.search(index.lower, 0, sections.title_end) is not None
    per_sentence: list[SentenceGroups] = []
    ends: list[int] = []
    for sentence in sentence_mentions(doc, text, sections):
        groups: list[Group] = []
        for clause in clauses(index.lower, sentence.start, sentence.end):
            inside = [m for m in sentence.mentions if clause[0] <= m.start < clause[1]]
            if inside:
                bounds = (sentence.start, sentence.end)
                groups += _clause_groups(index, clause, bounds, inside, skeletal_exam)
        _share_sites(groups)
        per_sentence.append((sentence.start, sentence.section, groups))
        ends.append(sentence.end)
    _resolve_anaphora(index, per_sentence)
    _sizes_after_lesion(index, sections, per_sentence, ends)
    return [g for _, _, groups in per_sentence for g in groups]


@Language.component("bonemet_findings")
def find_findings(doc: Doc) -> Doc:
    """Write the report's skeletal findings and lesion count to the doc."""
    text = report_text(doc)
    groups = build_groups(doc, text)
    doc._.bonemet_findings = to_findings(text, groups)
    doc._.bonemet_lesion_count = lesion_count_of(groups)
    return doc
