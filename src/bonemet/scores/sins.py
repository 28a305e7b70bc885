"""SINS: Spinal Instability Neoplastic Score (Spine Oncology Study Group).

Six items scored per lesion; total 0-18, higher is worse. Points and bands from Fisher
2010 (Spine 35:E1221); bands validated by Fourney 2011 (J Clin Oncol 29:3072). With
several spinal lesions, score each one: the highest governs.

Guards against errors seen in public reproductions (tested):
- pain is 3 / 1 / 0 (mechanical / non-mechanical / pain-free), not 3 / 2 / 1;
- the mobile spine is C3-C6 *and* L2-L4;
- the location comes from the vertebral level, never from a category typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Case, Lesion
from bonemet.model.vocabulary import (
    Alignment,
    Pattern,
    PosterolateralInvolvement,
    ScoreName,
    SpinalLevel,
    SpinalPain,
    VertebralCollapse,
)
from bonemet.scores.base import ItemTable, ScoreResult, ScoreTable, incomplete_interpretation

FISHER_2010 = Citation(
    key="fisher2010_sins",
    label="Fisher 2010 (SINS)",
    reference=(
        "Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability "
        "in neoplastic disease: an evidence-based approach and expert consensus from the Spine Oncology "
        "Study Group. Spine (Phila Pa 1976) 2010;35(22):E1221-E1229"
    ),
)
FOURNEY_2011 = Citation(
    key="fourney2011_sins",
    label="Fourney 2011",
    reference=(
        "Fourney DR, Frangou EM, Ryken TC, et al. Spinal instability neoplastic score: an analysis of "
        "reliability and validity from the Spine Oncology Study Group. J Clin Oncol 2011;29(22):3072-3077"
    ),
)
FISHER_2014 = Citation(
    key="fisher2014_sins_radiation_oncologists",
    label="Fisher 2014",
    reference=(
        "Fisher CG, et al. Reliability of the Spinal Instability Neoplastic Score (SINS) among radiation "
        "oncologists: an assessment of instability secondary to spinal metastases. Radiat Oncol 2014;9:69"
    ),
)
register(FISHER_2010, FOURNEY_2011, FISHER_2014)


class SinsLocation(StrEnum):
    junctional = "junctional"  # occiput-C2, C7-T2, T11-L1, L5-S1
    mobile = "mobile"  # C3-C6, L2-L4
    semi_rigid = "semi_rigid"  # T3-T10
    rigid = "rigid"  # S2-S5


_L = SpinalLevel
# Fisher 2010: the level decides the location; S1 is junctional (L5-S1), S2-S5 rigid.
LEVELS_BY_LOCATION: dict[SinsLocation, frozenset[SpinalLevel]] = {
    SinsLocation.junctional: frozenset({_L.C1, _L.C2, _L.C7, _L.T1, _L.T2, _L.T11, _L.T12, _L.L1, _L.L5, _L.S1}),
    SinsLocation.mobile: frozenset({_L.C3, _L.C4, _L.C5, _L.C6, _L.L2, _L.L3, _L.L4}),
    SinsLocation.semi_rigid: frozenset({_L.T3, _L.T4, _L.T5, _L.T6, _L.T7, _L.T8, _L.T9, _L.T10}),
    SinsLocation.rigid: frozenset({_L.S2, _L.S3, _L.S4, _L.S5}),
}
_LOCATION_OF_LEVEL: dict[SpinalLevel, SinsLocation] = {
    level: location for location, levels in LEVELS_BY_LOCATION.items() for level in levels
}

# Fisher 2010, Table (points per item).
LOCATION_POINTS: dict[SinsLocation, int] = {
    SinsLocation.junctional: 3,
    SinsLocation.mobile: 2,
    SinsLocation.semi_rigid: 1,
    SinsLocation.rigid: 0,
}
PAIN_POINTS: dict[SpinalPain, int] = {
    SpinalPain.mechanical: 3,  # relieved by lying down and/or worse with movement or loading
    SpinalPain.non_mechanical: 1,  # occasional pain, not mechanical
    SpinalPain.none: 0,  # pain-free lesion
}
BONE_LESION_POINTS: dict[Pattern, int] = {
    Pattern.lytic: 2,
    Pattern.mixed: 1,
    Pattern.blastic: 0,
}
ALIGNMENT_POINTS: dict[Alignment, int] = {
    Alignment.subluxation_or_translation: 4,
    Alignment.kyphosis_or_scoliosis: 2,  # de novo deformity only, not pre-existing degenerative
    Alignment.normal: 0,
}
COLLAPSE_POINTS: dict[VertebralCollapse, int] = {
    VertebralCollapse.over_50pct: 3,
    VertebralCollapse.under_50pct: 2,
    VertebralCollapse.none_over_50pct_involved: 1,
    VertebralCollapse.none: 0,
}
POSTEROLATERAL_POINTS: dict[PosterolateralInvolvement, int] = {
    # Facet, pedicle or costovertebral joint fracture or replacement by tumour.
    PosterolateralInvolvement.bilateral: 3,
    PosterolateralInvolvement.unilateral: 1,
    PosterolateralInvolvement.none: 0,
}

MINIMUM_TOTAL = 0
MAXIMUM_TOTAL = 18
# Bands (Fisher 2010; Fourney 2011): 0-6 stable, 7-12 potentially unstable, 13-18 unstable.
# 7 or more is the referral threshold used by radiation oncologists (Fisher 2014).
POTENTIALLY_UNSTABLE_FROM = 7
UNSTABLE_FROM = 13

BAND_STABLE = "stable (0-6)"
BAND_POTENTIALLY_UNSTABLE = "potentially unstable (7-12)"
BAND_UNSTABLE = "unstable (13-18)"


@dataclass(frozen=True)
class SinsItems:
    """The six SINS items for one spinal lesion; None means unknown."""

    location: SinsLocation | None
    pain: SpinalPain | None
    bone_lesion: Pattern | None
    alignment: Alignment | None
    collapse: VertebralCollapse | None
    posterolateral: PosterolateralInvolvement | None


def applies_to(lesion: Lesion) -> bool:
    return lesion.is_spinal


def location_of(level: SpinalLevel) -> SinsLocation:
    return _LOCATION_OF_LEVEL[level]


def items_from_case(case: Case, lesion_index: int) -> SinsItems:
    lesion = case.lesions[lesion_index]
    if not applies_to(lesion):
        raise ValueError(f"SINS applies to spinal lesions; lesion {lesion_index} is in the {lesion.bone.value}")
    return SinsItems(
        location=location_of(lesion.level) if lesion.level is not None else None,
        pain=lesion.spinal_pain,
        bone_lesion=lesion.pattern,
        alignment=lesion.alignment,
        collapse=lesion.vertebral_collapse,
        posterolateral=lesion.posterolateral_involvement,
    )


def compute(items: SinsItems, lesion_index: int | None = None) -> ScoreResult:
    scored = (
        LOCATION_TABLE.item(items.location),
        PAIN_TABLE.item(items.pain),
        BONE_LESION_TABLE.item(items.bone_lesion),
        ALIGNMENT_TABLE.item(items.alignment),
        COLLAPSE_TABLE.item(items.collapse),
        POSTEROLATERAL_TABLE.item(items.posterolateral),
    )
    return TABLE.result(scored, _interpretation, incomplete_interpretation, lesion_index)


def band_of(total: float) -> str:
    if total >= UNSTABLE_FROM:
        return BAND_UNSTABLE
    if total >= POTENTIALLY_UNSTABLE_FROM:
        return BAND_POTENTIALLY_UNSTABLE
    return BAND_STABLE


def _value(category: StrEnum) -> str:
    return category.value


# The score as data: each item's allowed values and points (Fisher 2010).
LOCATION_TABLE: ItemTable[SinsLocation] = ItemTable("location", LOCATION_POINTS, _value)
PAIN_TABLE: ItemTable[SpinalPain] = ItemTable("pain", PAIN_POINTS, _value)
BONE_LESION_TABLE: ItemTable[Pattern] = ItemTable("bone_lesion", BONE_LESION_POINTS, _value)
ALIGNMENT_TABLE: ItemTable[Alignment] = ItemTable("alignment", ALIGNMENT_POINTS, _value)
COLLAPSE_TABLE: ItemTable[VertebralCollapse] = ItemTable("vertebral_collapse", COLLAPSE_POINTS, _value)
POSTEROLATERAL_TABLE: ItemTable[PosterolateralInvolvement] = ItemTable(
    "posterolateral_involvement", POSTEROLATERAL_POINTS, _value
)
TABLE = ScoreTable(
    name=ScoreName.sins,
    label="SINS",
    items=(LOCATION_TABLE, PAIN_TABLE, BONE_LESION_TABLE, ALIGNMENT_TABLE, COLLAPSE_TABLE, POSTEROLATERAL_TABLE),
    band_of=band_of,
    citation=FISHER_2010,
    higher_is_worse=True,
)


_BAND_TEXT: dict[str, str] = {
    BAND_STABLE: "stable. No surgical referral is needed for instability.",
    BAND_POTENTIALLY_UNSTABLE: (
        "potentially unstable (indeterminate). Spine surgical consultation is recommended: "
        "7 or more is the referral threshold."
    ),
    BAND_UNSTABLE: "unstable. Spine surgical consultation is recommended.",
}


@cache  # one text per total (0-18), written once
def _interpretation(total: float) -> str:
    return (
        f"SINS {total:g}/18, {_BAND_TEXT[band_of(total)]} "
        "In validation, 7 or more found potentially unstable or unstable lesions with sensitivity "
        "95.7% and specificity 79.5% (Fourney 2011). Instability is an indication for stabilisation "
        "whatever the compression grade or histology (NOMS). Scored per lesion: the highest governs."
    )
