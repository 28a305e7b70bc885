"""From findings-in-progress (nlp.grouping.Group) to the contract's Finding records.

A finding names one site: 'lytic lesions at T6, T9 and the left ilium' is three findings.
A measurement told with several sites belongs to the site nearest to it ('..., the largest
in the right iliac bone measuring 2.8 cm').
"""

from __future__ import annotations

from bonemet.model.vocabulary import Bone, FindingKind
from bonemet.nlp import docs
from bonemet.nlp.attach import resolved_pattern
from bonemet.nlp.grouping import Group
from bonemet.nlp.measures import Measure
from bonemet.nlp.reading import Finding
from bonemet.nlp.sites import SiteMention, distinct_sites

_SPAN_REACH = 200  # characters: a site or measure farther from the finding is not shown in its evidence
_MAX_SIZE_CM = 50  # the contract's upper bound for size_cm; a larger number is not a lesion size
_SPINAL_KINDS = frozenset(
    {FindingKind.epidural_extension, FindingKind.cord_compression, FindingKind.vertebral_collapse,
     FindingKind.retropulsion}
)  # fmt: skip


def _nearest_site(sites: list[SiteMention], measure: Measure) -> int:
    return min(range(len(sites)), key=lambda i: abs(sites[i].start - measure.start))


def _measure_at(index: int, sites: list[SiteMention], measures: list[Measure]) -> Measure | None:
    """The largest measurement told nearest this site (every one, when there is one site)."""
    mine = [m for m in measures if len(sites) <= 1 or _nearest_site(sites, m) == index]
    return max(mine, key=lambda m: m.value, default=None)


def _span(text: str, group: Group, site: SiteMention | None, extras: list[Measure]) -> tuple[int, int]:
    """The evidence: the finding's words, with its site, pattern and measures when they are near."""
    start, end = group.start, group.end
    paragraph_end = docs.paragraph_end(text, group.sentence)
    same_paragraph = site is not None and (paragraph_end < 0 or site.end <= paragraph_end)
    if site is not None and same_paragraph and group.sentence <= site.start and abs(site.start - start) < _SPAN_REACH:
        start, end = min(start, site.start), max(end, site.end)
    for a, b in [*group.patterns.values(), *((m.start, m.end) for m in extras)]:
        if abs(a - start) < _SPAN_REACH:
            start, end = min(start, a), max(end, b)
    return start, end


def _finding(text: str, group: Group, site: SiteMention | None, measures: list[Measure | None]) -> Finding:
    size, collapse, cortical = measures
    start, end = _span(text, group, site, [m for m in measures if m is not None])
    bone = site.bone if site is not None else (Bone.spine if group.kind in _SPINAL_KINDS else None)
    return Finding(
        kind=group.kind,
        status=group.status,
        bone=bone,
        level=site.level if site is not None else None,
        segment=site.segment if site is not None else None,
        side=site.side if site is not None else None,
        pattern=resolved_pattern(group) if group.kind in (FindingKind.lesion, FindingKind.mimic) else None,
        size_cm=size.value if size is not None and size.value <= _MAX_SIZE_CM else None,
        collapse_pct=collapse.value if collapse is not None else None,
        collapse_bound=collapse.bound if collapse is not None else None,
        escc_grade=group.escc_grade,
        mimic=group.mimic,
        section=group.section,
        span=(start, end),
        text=text[start:end],
        cortical_fraction=cortical.value if cortical is not None and cortical.bound is None else None,
        called_metastasis=group.called_metastasis,
        present=group.present,
    )


def to_findings(text: str, groups: list[Group]) -> list[Finding]:
    """One Finding per site of each group (one without a site when none is known)."""
    findings: list[Finding] = []
    for group in groups:
        sites = distinct_sites(group.sites)
        for index, site in enumerate(sites or [None]):
            measures = [_measure_at(index, sites, kind) for kind in (group.sizes, group.collapse, group.cortical)]
            findings.append(_finding(text, group, site, measures))
    return findings
