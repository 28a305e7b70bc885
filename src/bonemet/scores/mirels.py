"""Mirels score: risk of pathologic fracture through a metastasis in a long bone.

Four items, 1-3 points each (site, pain, lesion type, size); total 4-12, higher is worse.
Mirels 1989 (Clin Orthop Relat Res 249:256-264); points and bands agree across the
reproductions checked (Jawad & Scully, CORR 2010 "Classifications in Brief", and others).

Choices made where the sources leave room, each stated where it is applied:
- Femoral neck lesions are scored as peritrochanteric (3): see `site_of`.
- A pain-free lesion is scored as mild pain (1), the lowest Mirels category: see `_pain_item`.
- Size thirds are compared after rounding the fraction to two decimals, so 0.33 and 0.67
  (how people type one third and two thirds) fall in the middle category: see `size_points`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Case, Lesion
from bonemet.model.vocabulary import LONG_BONES, Bone, LimbPain, Pattern, ScoreName, Segment
from bonemet.scores.base import Item, ItemTable, ScoreResult, ScoreTable, incomplete_interpretation

MIRELS_1989 = Citation(
    key="mirels1989",
    label="Mirels 1989",
    reference=(
        "Mirels H. Metastatic disease in long bones. A proposed scoring system for diagnosing "
        "impending pathologic fractures. Clin Orthop Relat Res 1989;(249):256-264 "
        "(reprinted Clin Orthop Relat Res 2003;415S:S4-S13)"
    ),
)
JAWAD_SCULLY_2010 = Citation(
    key="jawad_scully2010_mirels",
    label="Jawad & Scully 2010",
    reference=(
        "Jawad MU, Scully SP. In brief: Classifications in brief: Mirels' classification: metastatic "
        "disease in long bones and impending pathologic fracture. Clin Orthop Relat Res "
        "2010;468(10):2825-2827"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3049613",
)
DAMRON_2003 = Citation(
    key="damron2003_mirels",
    label="Damron 2003",
    reference=(
        "Damron TA, et al. Critical evaluation of Mirels' rating system for impending pathologic "
        "fractures. Clin Orthop Relat Res 2003;(415 Suppl):S201-S207"
    ),
)
EVANS_2008 = Citation(
    key="evans2008_mirels_humerus",
    label="Evans 2008",
    reference=(
        "Evans AR, et al. Mirels' rating for humerus lesions is both reproducible and valid. "
        "Clin Orthop Relat Res 2008;466(6):1279-1284"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2384025",
)
register(MIRELS_1989, JAWAD_SCULLY_2010, DAMRON_2003, EVANS_2008)


class MirelsSite(StrEnum):
    upper_limb = "upper_limb"
    lower_limb = "lower_limb"
    peritrochanteric = "peritrochanteric"


# Mirels 1989, Table 1 (points per item).
SITE_POINTS: dict[MirelsSite, int] = {
    MirelsSite.upper_limb: 1,
    MirelsSite.lower_limb: 2,
    MirelsSite.peritrochanteric: 3,
}
PAIN_POINTS: dict[LimbPain, int] = {
    LimbPain.mild: 1,
    LimbPain.moderate: 2,
    LimbPain.functional: 3,  # severe pain, or pain made worse by using or loading the limb
}
LESION_TYPE_POINTS: dict[Pattern, int] = {
    Pattern.blastic: 1,
    Pattern.mixed: 2,
    Pattern.lytic: 3,
}
# Size as a fraction of the bone's width (or cortex) destroyed on plain radiograph:
# < 1/3 -> 1, 1/3 to 2/3 -> 2, > 2/3 -> 3 (Mirels 1989).
ONE_THIRD = 0.33
TWO_THIRDS = 0.67

MINIMUM_TOTAL = 4
MAXIMUM_TOTAL = 12
# Bands (Mirels 1989): <= 7 low, 8 borderline, >= 9 prophylactic fixation ("score > 8").
BORDERLINE_TOTAL = 8
FIXATION_THRESHOLD = 9

BAND_LOW = "low risk (7 or less)"
BAND_BORDERLINE = "borderline (8)"
BAND_HIGH = "high risk (9 or more)"

_UPPER_LIMB_LONG_BONES = frozenset({Bone.humerus, Bone.radius, Bone.ulna})
_LOWER_LIMB_LONG_BONES = frozenset({Bone.tibia, Bone.fibula})
# Femoral segments that sit in Mirels' highest-stress "peritrochanteric" site. Mirels'
# site is rendered "peritrochanteric", "trochanteric region" or "intertrochanteric" by the
# reproductions; none says whether the neck belongs to it. The neck is proximal femur
# under the same hip loads, so it is scored 3 rather than risk understating it as
# "lower limb" (2). "proximal" alone is too vague (head? neck? trochanters?): left unknown.
_PERITROCHANTERIC_SEGMENTS = frozenset({Segment.peritrochanteric, Segment.neck})
_FEMORAL_LOWER_LIMB_SEGMENTS = frozenset({Segment.shaft, Segment.distal})


@dataclass(frozen=True)
class MirelsItems:
    """The four Mirels items for one long-bone lesion; None means unknown."""

    site: MirelsSite | None
    pain: LimbPain | None
    pattern: Pattern | None
    cortical_involvement: float | None  # fraction 0-1 of the bone width/cortex destroyed

    def __post_init__(self) -> None:
        fraction = self.cortical_involvement
        if fraction is not None and not 0.0 <= fraction <= 1.0:
            raise ValueError(f"cortical_involvement must be a fraction from 0 to 1, not {fraction}")


def applies_to(lesion: Lesion) -> bool:
    """Mirels scores an impending fracture in a long bone: not the spine, pelvis or ribs
    (SINS covers the spine), and not a bone that has already fractured."""
    return lesion.bone in LONG_BONES and lesion.pathologic_fracture is not True


def site_of(bone: Bone, segment: Segment | None) -> MirelsSite | None:
    """Mirels site from the bone and segment; None when the femoral segment is not precise enough."""
    if bone in _UPPER_LIMB_LONG_BONES:
        return MirelsSite.upper_limb
    if bone in _LOWER_LIMB_LONG_BONES:
        return MirelsSite.lower_limb
    if bone is Bone.femur:
        if segment in _PERITROCHANTERIC_SEGMENTS:
            return MirelsSite.peritrochanteric
        if segment in _FEMORAL_LOWER_LIMB_SEGMENTS:
            return MirelsSite.lower_limb
    return None


def size_points(cortical_involvement: float) -> int:
    """Mirels size points. The fraction is rounded to two decimals first: a measurement on a
    plain radiograph is no finer than that, and 0.33 / 0.67 mean one third / two thirds, which
    Mirels' middle category (1/3 to 2/3) includes."""
    fraction = round(cortical_involvement, 2)
    if fraction < ONE_THIRD:
        return 1
    if fraction <= TWO_THIRDS:
        return 2
    return 3


def items_from_case(case: Case, lesion_index: int) -> MirelsItems:
    lesion = case.lesions[lesion_index]
    if not applies_to(lesion):
        raise ValueError(
            f"Mirels does not apply to lesion {lesion_index} ({lesion.bone.value}): "
            "it scores impending fracture in an unfractured long bone"
        )
    return MirelsItems(
        site=site_of(lesion.bone, lesion.segment),
        pain=lesion.pain,
        pattern=lesion.pattern,
        cortical_involvement=lesion.cortical_involvement,
    )


def compute(items: MirelsItems, lesion_index: int | None = None) -> ScoreResult:
    scored = (
        SITE_TABLE.item(items.site),
        _pain_item(items.pain),
        LESION_TYPE_TABLE.item(items.pattern),
        _size_item(items.cortical_involvement),
    )
    return TABLE.result(scored, lambda total: _interpretation(total, items), incomplete_interpretation, lesion_index)


def band_of(total: float) -> str:
    if total >= FIXATION_THRESHOLD:
        return BAND_HIGH
    if total >= BORDERLINE_TOTAL:
        return BAND_BORDERLINE
    return BAND_LOW


def _pain_item(pain: LimbPain | None) -> Item:
    if pain is None:
        return Item("pain", None, None)
    if pain is LimbPain.none:
        # Mirels offers no pain-free answer: mild (1) is the floor. A painless lesion cannot
        # carry less risk than the lowest category allows, so it is scored there and said so.
        return Item("pain", "none (scored as mild: Mirels has no pain-free category)", PAIN_POINTS[LimbPain.mild])
    return Item("pain", pain.value, PAIN_POINTS[pain])


def _size_item(cortical_involvement: float | None) -> Item:
    if cortical_involvement is None:
        return Item("size", None, None)
    points = size_points(cortical_involvement)
    category = _SIZE_CATEGORY[points]
    return Item("size", f"{cortical_involvement:.2f} of the bone's width/cortex destroyed ({category})", points)


def _value(category: StrEnum) -> str:
    return category.value


# The score as data: each item's allowed values and points (Mirels 1989, Table 1). A painless
# lesion and a measured fraction are read into these categories by _pain_item and size_points.
SITE_TABLE: ItemTable[MirelsSite] = ItemTable("site", SITE_POINTS, _value)
PAIN_TABLE: ItemTable[LimbPain] = ItemTable("pain", PAIN_POINTS, _value)
LESION_TYPE_TABLE: ItemTable[Pattern] = ItemTable("lesion_type", LESION_TYPE_POINTS, _value)
SIZE_TABLE: ItemTable[str] = ItemTable("size", {"< 1/3": 1, "1/3 to 2/3": 2, "> 2/3": 3})
_SIZE_CATEGORY: dict[int, str] = {points: category for category, points in SIZE_TABLE.points.items()}
TABLE = ScoreTable(
    name=ScoreName.mirels,
    label="Mirels",
    items=(SITE_TABLE, PAIN_TABLE, LESION_TYPE_TABLE, SIZE_TABLE),
    band_of=band_of,
    citation=MIRELS_1989,
    higher_is_worse=True,
    # "low risk", "borderline", "high risk": the range never prints a cut-off that reads as a total.
    range_band=lambda total: band_of(total).split(" (")[0],
)


_BAND_TEXT: dict[str, str] = {
    BAND_LOW: (
        "fracture risk about 4% within 6 months of radiotherapy in Mirels' cohort. "
        "Radiotherapy and observation; prophylactic fixation is not indicated by this score."
    ),
    BAND_BORDERLINE: (
        "fracture risk about 15% within 6 months. Borderline: use clinical judgement and "
        "consider prophylactic fixation."
    ),
    BAND_HIGH: (
        "fracture risk 33% at a score of 9, rising towards 100% at 12 (separate figures for "
        "10, 11 and 12 are not established). Prophylactic fixation is recommended before radiotherapy."
    ),
}


def _interpretation(total: float, items: MirelsItems) -> str:
    parts = [f"Mirels {total:g}/12, {band_of(total)}: {_BAND_TEXT[band_of(total)]}"]
    if items.pain is LimbPain.none:
        parts.append(
            "The lesion is painless; Mirels has no pain-free option, so pain was scored as mild "
            "(1), the lowest category; pain is the item that predicts fracture best."
        )
    if items.site is MirelsSite.upper_limb:
        parts.append(
            "In the humerus the 9-or-more cut-off is insensitive (sensitivity 14.5%, Evans 2008); "
            "a score of 7 or more found 81% of fractures."
        )
    parts.append(
        "Decision support, not a rule: at 9 or more Mirels is sensitive (91%) but not specific "
        "(35%) (Damron 2003); it was derived in irradiated patients before bone-modifying agents. "
        "Size is the fraction of the bone's width or cortex destroyed on plain radiograph."
    )
    return " ".join(parts)
