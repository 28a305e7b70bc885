"""Tomita score (2001): surgical strategy for spinal metastases.

Three items (growth of the primary tumour, visceral metastases, bone metastases); total 2-10.
HIGHER IS WORSE: 2-3 aims at long-term local control (wide or marginal excision), 8-10 at
terminal care.

Points and bands: Tomita 2001 (Spine 26:298), as widely reproduced. Resolved or flagged:
- Rapid growth scores 4, not 3. One review table (Cassidy et al., Global Spine J 2018) prints 3;
  the score's published range of 2-10 only adds up with 4 (4 + 4 + 2 = 10).
- The paper names tumours only as examples ("e.g."): slow growth breast, thyroid, prostate;
  moderate growth kidney, uterus; rapid growth lung, liver, stomach, colon, and unknown primary.
  Only those are placed automatically; any other primary is left for the clinician to grade
  rather than guessed (the assignment of sarcoma, melanoma, rectum and others is not settled).
- "No visceral metastases" with brain status not recorded is scored as no organ metastases, and
  the item says so: brain imaging is not routine, and the visceral record decides.
- "Treatable" versus "untreatable" visceral metastases is a clinical judgement. From a case,
  resectable nodular metastases are taken as treatable and non-resectable or disseminated ones as
  untreatable, and each such reading is said in the item; pass `TomitaItems` directly to override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Cancer, Case
from bonemet.model.vocabulary import CancerHistory, Primary, ScoreName, VisceralMetastases
from bonemet.scores.base import Item, ItemTable, ScoreResult, ScoreTable, incomplete_interpretation
from bonemet.scores.burden import burden_basis, has_multiple_skeletal_metastases
from bonemet.scores.tokuhashi import OLDER_COHORT_CAVEAT

TOMITA_2001 = Citation(
    key="tomita2001",
    label="Tomita 2001",
    reference=(
        "Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for "
        "spinal metastases. Spine (Phila Pa 1976) 2001;26(3):298-306. "
        "doi:10.1097/00007632-200102010-00016"
    ),
)
register(TOMITA_2001)

MINIMUM_TOTAL = 2
MAXIMUM_TOTAL = 10


class TomitaGrowth(StrEnum):
    slow = "slow"
    moderate = "moderate"
    rapid = "rapid"


class TomitaVisceral(StrEnum):
    none = "none"
    treatable = "treatable"
    untreatable = "untreatable"


class TomitaBand(StrEnum):
    long_term_local_control = "2-3: long-term local control"
    middle_term_local_control = "4-5: middle-term local control"
    short_term_palliation = "6-7: short-term palliation"
    terminal_care = "8-10: terminal care"


# --- Tomita 2001, prognostic scoring (points per item) ---------------------------------------
GROWTH_POINTS: dict[TomitaGrowth, int] = {
    TomitaGrowth.slow: 1,
    TomitaGrowth.moderate: 2,
    TomitaGrowth.rapid: 4,  # not 3: see the module docstring
}
VISCERAL_POINTS: dict[TomitaVisceral, int] = {
    TomitaVisceral.none: 0,
    TomitaVisceral.treatable: 2,
    TomitaVisceral.untreatable: 4,
}
SOLITARY_BONE_POINTS = 1  # solitary or isolated bone metastasis
MULTIPLE_BONE_POINTS = 2
# Bands: 2-3 / 4-5 / 6-7 / 8-10 (Tomita 2001, surgical strategy).
MIDDLE_TERM_MINIMUM_TOTAL = 4
PALLIATION_MINIMUM_TOTAL = 6
TERMINAL_CARE_MINIMUM_TOTAL = 8

# The score as data: each item's allowed values and points (Tomita 2001).
PRIMARY_TABLE: ItemTable[TomitaGrowth] = ItemTable(
    "primary_tumor", GROWTH_POINTS, lambda growth: f"{growth.value} growth"
)
VISCERAL_TABLE: ItemTable[TomitaVisceral] = ItemTable(
    "visceral_metastases", VISCERAL_POINTS, lambda visceral: visceral.value
)
BONE_TABLE: ItemTable[bool] = ItemTable(
    "bone_metastases",
    {False: SOLITARY_BONE_POINTS, True: MULTIPLE_BONE_POINTS},
    lambda multiple: "multiple" if multiple else "solitary or isolated",
)


def _band_label(total: float) -> str:
    return band_of(total).value


TABLE = ScoreTable(
    name=ScoreName.tomita,
    label="Tomita",
    items=(PRIMARY_TABLE, VISCERAL_TABLE, BONE_TABLE),
    band_of=_band_label,
    citation=TOMITA_2001,
    higher_is_worse=True,
)

# Tomita 2001's examples for each growth group; nothing beyond them is placed automatically.
_GROWTH_EXAMPLES: dict[Primary, TomitaGrowth] = {
    Primary.breast: TomitaGrowth.slow,
    Primary.thyroid: TomitaGrowth.slow,
    Primary.prostate: TomitaGrowth.slow,
    Primary.kidney: TomitaGrowth.moderate,
    Primary.uterus: TomitaGrowth.moderate,
    Primary.lung: TomitaGrowth.rapid,
    Primary.liver: TomitaGrowth.rapid,
    Primary.stomach: TomitaGrowth.rapid,
    Primary.colon: TomitaGrowth.rapid,
}
_EXAMPLES_TEXT = (
    "Tomita's examples: slow growth breast, thyroid, prostate; moderate kidney, uterus; rapid lung, "
    "liver, stomach, colon, unknown primary"
)


@dataclass(frozen=True)
class TomitaItems:
    """The three Tomita items; None means unknown.

    `notes` holds, per item name, how a value was derived (shown beside it) or why it is unknown.
    """

    primary_growth: TomitaGrowth | None
    visceral_metastases: TomitaVisceral | None
    multiple_bone_metastases: bool | None  # False: solitary or isolated
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)


def compute(items: TomitaItems) -> ScoreResult:
    notes = items.notes
    multiple = items.multiple_bone_metastases
    scored = (
        PRIMARY_TABLE.item(items.primary_growth, notes.get(PRIMARY_TABLE.name)),
        VISCERAL_TABLE.item(items.visceral_metastases, notes.get(VISCERAL_TABLE.name)),
        BONE_TABLE.item(multiple, notes.get(BONE_TABLE.name)),
    )
    return TABLE.result(scored, _interpretation, lambda scored: _incomplete(scored, notes))


def band_of(total: float) -> TomitaBand:
    if total >= TERMINAL_CARE_MINIMUM_TOTAL:
        return TomitaBand.terminal_care
    if total >= PALLIATION_MINIMUM_TOTAL:
        return TomitaBand.short_term_palliation
    if total >= MIDDLE_TERM_MINIMUM_TOTAL:
        return TomitaBand.middle_term_local_control
    return TomitaBand.long_term_local_control


# --- From a case -------------------------------------------------------------------------------


def items_from_case(case: Case) -> TomitaItems:
    growth, growth_note = primary_growth_of(case.cancer)
    visceral, visceral_note = visceral_metastases_of(case.cancer)
    multiple = has_multiple_skeletal_metastases(case)
    return TomitaItems(
        primary_growth=growth,
        visceral_metastases=visceral,
        multiple_bone_metastases=multiple,
        notes={
            "primary_tumor": growth_note,
            "visceral_metastases": visceral_note,
            "bone_metastases": f"from {burden_basis(case)}" if multiple is not None else burden_basis(case),
        },
    )


def primary_growth_of(cancer: Cancer) -> tuple[TomitaGrowth | None, str]:
    """Tomita growth group for the primaries the paper names; None (with the reason) otherwise."""
    if cancer.primary is None:
        if cancer.history is CancerHistory.unknown_primary:
            return TomitaGrowth.rapid, "unknown primary"
        if cancer.history is CancerHistory.none:
            return None, "no known cancer: the score applies to spinal metastases of a cancer"
        return None, "primary site not recorded"
    growth = _GROWTH_EXAMPLES.get(cancer.primary)
    if growth is None:
        return (
            None,
            f"{cancer.primary.value} is not among {_EXAMPLES_TEXT}: the growth group needs a clinician",
        )
    return growth, cancer.primary.value


def visceral_metastases_of(cancer: Cancer) -> tuple[TomitaVisceral | None, str]:
    """None / treatable / untreatable, read from the recorded visceral and brain metastases.

    Tomita's treatable-or-not is a clinical judgement; resectability stands in for it here, and
    the item says so.
    """
    visceral, brain = cancer.visceral_metastases, cancer.brain_metastases
    if visceral is VisceralMetastases.disseminated:
        return TomitaVisceral.untreatable, (
            "disseminated (pleural, peritoneal or leptomeningeal) metastases, taken as untreatable"
        )
    if visceral is None:
        return None, "visceral metastases not recorded"
    if visceral is VisceralMetastases.none and brain is False:
        return TomitaVisceral.none, "no visceral or brain metastases"
    if visceral is VisceralMetastases.none and brain is None:
        return TomitaVisceral.none, (
            "no visceral metastases; brain metastases not recorded (a brain metastasis would raise this item)"
        )
    what = "brain metastases" if visceral is VisceralMetastases.none else "nodular visceral metastases"
    resectable = cancer.visceral_metastases_resectable
    if resectable is None:
        return None, f"{what}: whether they are treatable is not recorded"
    if resectable:
        return TomitaVisceral.treatable, f"resectable {what} taken as treatable"
    return TomitaVisceral.untreatable, (
        f"non-resectable {what} taken as untreatable (a clinical judgement: override if treatable otherwise)"
    )


# --- Items and text --------------------------------------------------------------------------


_BAND_TEXT: dict[TomitaBand, str] = {
    TomitaBand.long_term_local_control: (
        "goal long-term local control; wide or marginal excision (e.g. total en bloc spondylectomy)"
    ),
    TomitaBand.middle_term_local_control: ("goal middle-term local control; marginal or intralesional excision"),
    TomitaBand.short_term_palliation: (
        "goal short-term palliation; palliative surgery (decompression with or without stabilisation)"
    ),
    TomitaBand.terminal_care: "goal terminal care; non-operative supportive care",
}


@cache  # one text per total (2-10), written once
def _interpretation(total: float) -> str:
    band = band_of(total)
    return (
        f"Tomita {total:g}/10 (higher is worse), band {band.value.split(':')[0]}: {_BAND_TEXT[band]} "
        f"(Tomita 2001). {OLDER_COHORT_CAVEAT}"
    )


def _incomplete(items: tuple[Item, ...], notes: Mapping[str, str]) -> str:
    why = [f"{item.name}: {notes[item.name]}" for item in items if item.points is None and item.name in notes]
    text = incomplete_interpretation(items)
    return f"{text} Why: {'; '.join(why)}." if why else text
