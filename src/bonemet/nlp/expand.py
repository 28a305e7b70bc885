"""From findings-in-progress (nlp.grouping.Group) to the contract's Finding records.

A finding names one site: 'lytic lesions at T6, T9 and the left ilium' is three findings.
A measurement told with several sites belongs to the site nearest to it ('..., the largest
in the right iliac bone measuring 2.8 cm').
"""

from __future__ import annotations

from bonemet.model.vocabulary import SPINAL_BONES, Bone, Segment, Side
from bonemet.nlp.attach import resolved_pattern
from bonemet.nlp.grouping import Group
from bonemet.nlp.measures import Measure
from bonemet.nlp.reading import Finding
from bonemet.nlp.sites import SiteMention, expand_sides
from bonemet.nlp.vocabulary import CollapseBound, FindingKind, LesionCount

_SEGMENT_RANK = {s: i for i, s in enumerate((Segment.peritrochanteric, Segment.neck, Segment.shaft, Segment.proximal, Segment.distal))}
_SPINAL_KINDS = frozenset(
    {FindingKind.epidural_extension, FindingKind.cord_compression, FindingKind.vertebral_collapse,
     FindingKind.retropulsion}
)  # fmt: skip


def _distinct_sites(group: Group) -> list[SiteMention]:
    """One site per level (spine) or per bone and side (elsewhere), most specific first."""
    sites = [side for site in group.sites for side in expand_sides(site)]
    with_level = {s.bone for s in sites if s.level is not None}
    with_side = {s.bone for s in sites if s.side is not None}
    chosen: dict[tuple[Bone, object], SiteMention] = {}
    for site in sites:
        if site.bone in SPINAL_BONES and site.level is None and site.bone in with_level:
            continue
        if site.level is None and site.side is None and site.bone in with_side:
            continue
        key = (site.bone, site.level if site.bone in SPINAL_BONES else site.side)
        kept = chosen.get(key)
        if kept is None or _SEGMENT_RANK.get(site.segment, 9) < _SEGMENT_RANK.get(kept.segment, 9):
            chosen[key] = site
    return list(chosen.values())


def _nearest_site(sites: list[SiteMention], measure: Measure) -> SiteMention:
    return min(sites, key=lambda s: abs(s.start - measure.start))


def _per_site(sites: list[SiteMention], measures: list[Measure]) -> dict[int, Measure]:
    """Each measurement to its nearest site; for one site, the largest."""
    result: dict[int, Measure] = {}
    for measure in measures:
        site = _nearest_site(sites, measure) if sites else None
        index = sites.index(site) if site is not None else -1
        if index not in result or measure.value > result[index].value:
            result[index] = measure
    return result


def _span(text: str, group: Group, site: SiteMention | None, extras: list[Measure]) -> tuple[int, int]:
    start, end = group.start, group.end
    sentence_end = text.find("\n\n", group.sentence)
    for a, b in [(site.start, site.end)] if site is not None else []:
        if group.sentence <= a and (sentence_end < 0 or b <= sentence_end) and abs(a - start) < 200:
            start, end = min(start, a), max(end, b)
    for a, b in [(p[0], p[1]) for p in group.patterns.values()] + [(m.start, m.end) for m in extras]:
        if abs(a - start) < 120:
            start, end = min(start, a), max(end, b)
    return start, end


def _finding(text: str, group: Group, site: SiteMention | None, measures: dict[str, Measure | None]) -> Finding:
    size, collapse, cortical = measures["size"], measures["collapse"], measures["cortical"]
    start, end = _span(text, group, site, [m for m in (size, collapse, cortical) if m is not None])
    bone = site.bone if site is not None else (Bone.spine if group.kind in _SPINAL_KINDS else None)
    return Finding(
        kind=group.kind,
        status=group.status,
        bone=bone,
        level=site.level if site is not None else None,
        segment=site.segment if site is not None else None,
        side=site.side if site is not None and site.side in (Side.left, Side.right) else None,
        pattern=resolved_pattern(group) if group.kind in (FindingKind.lesion, FindingKind.mimic) else None,
        size_cm=size.value if size is not None and size.value <= 50 else None,
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
    findings: list[Finding] = []
    for group in groups:
        sites = _distinct_sites(group)
        sizes = _per_site(sites, group.sizes)
        collapse = _per_site(sites, [m for m in group.collapse if m.bound is not CollapseBound.less_than or True])
        cortical = _per_site(sites, group.cortical)
        for index, site in enumerate(sites or [None]):
            key = index if site is not None else -1
            measures = {"size": sizes.get(key), "collapse": collapse.get(key), "cortical": cortical.get(key)}
            if len(sites) <= 1:
                measures = {
                    "size": next(iter(sizes.values()), None),
                    "collapse": next(iter(collapse.values()), None),
                    "cortical": next(iter(cortical.values()), None),
                }
            findings.append(_finding(text, group, site, measures))
    return findings


def lesion_count_of(groups: list[Group]) -> LesionCount | int | None:
    """Stated count words first ('innumerable', 'three', 'solitary'); else what the sites show."""
    present = [g for g in groups if g.is_present_lesion]
    words = [w for g in present for w in g.count_words]
    numbers = [w for w in words if isinstance(w, int)]
    if "multiple" in words:
        return LesionCount.multiple
    if numbers:
        return LesionCount.solitary if max(numbers) == 1 else max(numbers)
    if "solitary" in words:
        return LesionCount.solitary
    sites = {(s.bone, s.level, s.side) for g in present for s in _distinct_sites(g)}
    if len(sites) >= 2 or any(g.plural for g in present):
        return LesionCount.multiple
    return None
