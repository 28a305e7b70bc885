"""Bilsky epidural spinal cord compression (ESCC) grade, on axial T2 MRI.

Graded at the level of most severe compression: 0, 1a, 1b, 1c, 2, 3 (Bilsky 2010, J Neurosurg
Spine 13:324). Higher is worse. Grouped as low grade (0-1b), grey zone (1c) and high grade
(2-3); the grade drives the N (neurologic) arm of NOMS (see `scores.noms`).

Total: the main Bilsky grade (0, 1, 2, 3), so 1a, 1b and 1c all total 1 and the sub-grade is
carried by the item value and the band. That keeps the number a clinician reads equal to the
grade they know; `rank` gives the strict order 0 < 1a < 1b < 1c < 2 < 3 when one is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Case, Lesion
from bonemet.model.vocabulary import EsccGrade, ScoreName
from bonemet.scores.base import Item, ScoreResult, incomplete_interpretation, total_of

BILSKY_2010 = Citation(
    key="bilsky2010_escc",
    label="Bilsky 2010 (ESCC)",
    reference=(
        "Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord "
        "compression scale. J Neurosurg Spine 2010;13(3):324-328"
    ),
)
register(BILSKY_2010)

# Bilsky 2010: what each grade means on the axial T2 image.
DEFINITIONS: dict[EsccGrade, str] = {
    EsccGrade.g0: "bone-only disease, no epidural extension",
    EsccGrade.g1a: "epidural impingement without deformation of the thecal sac",
    EsccGrade.g1b: "thecal sac deformed, spinal cord not abutted",
    EsccGrade.g1c: "thecal sac deformed and abutting the spinal cord, cord not compressed",
    EsccGrade.g2: "spinal cord compressed, CSF still visible around the cord",
    EsccGrade.g3: "spinal cord compressed, no CSF visible around the cord",
}
GRADE_POINTS: dict[EsccGrade, int] = {
    EsccGrade.g0: 0,
    EsccGrade.g1a: 1,
    EsccGrade.g1b: 1,
    EsccGrade.g1c: 1,
    EsccGrade.g2: 2,
    EsccGrade.g3: 3,
}
# Strict severity order; the vocabulary enum is declared in this order.
RANK: dict[EsccGrade, int] = {grade: position for position, grade in enumerate(EsccGrade)}

LOW_GRADE: frozenset[EsccGrade] = frozenset({EsccGrade.g0, EsccGrade.g1a, EsccGrade.g1b})
GREY_ZONE: frozenset[EsccGrade] = frozenset({EsccGrade.g1c})
HIGH_GRADE: frozenset[EsccGrade] = frozenset({EsccGrade.g2, EsccGrade.g3})

BAND_LOW = "low grade (0-1b)"
BAND_GREY_ZONE = "grey zone (1c)"
BAND_HIGH = "high grade (2-3)"

MINIMUM_TOTAL = 0
MAXIMUM_TOTAL = 3


@dataclass(frozen=True)
class EsccItems:
    grade: EsccGrade | None


def applies_to(lesion: Lesion) -> bool:
    return lesion.is_spinal


def rank(grade: EsccGrade) -> int:
    """Position in 0 < 1a < 1b < 1c < 2 < 3 (0 to 5)."""
    return RANK[grade]


def band_of_grade(grade: EsccGrade) -> str:
    if grade in HIGH_GRADE:
        return BAND_HIGH
    if grade in GREY_ZONE:
        return BAND_GREY_ZONE
    return BAND_LOW


def items_from_case(case: Case, lesion_index: int) -> EsccItems:
    lesion = case.lesions[lesion_index]
    if not applies_to(lesion):
        raise ValueError(f"ESCC applies to spinal lesions; lesion {lesion_index} is in the {lesion.bone.value}")
    return EsccItems(grade=lesion.escc_grade)


def compute(items: EsccItems, lesion_index: int | None = None) -> ScoreResult:
    grade = items.grade
    scored = (Item("grade", None, None) if grade is None else Item("grade", grade.value, GRADE_POINTS[grade]),)
    total = total_of(scored)
    return ScoreResult(
        name=ScoreName.escc,
        items=scored,
        total=total,
        band=band_of_grade(grade) if grade is not None else None,
        interpretation=_interpretation(grade) if grade is not None else incomplete_interpretation(scored),
        citation=BILSKY_2010,
        higher_is_worse=True,
        lesion_index=lesion_index,
    )


_BAND_TEXT: dict[str, str] = {
    BAND_LOW: (
        "Low-grade compression: with a stable spine, radiation comes first (conventional external "
        "beam for radiosensitive, stereotactic radiation for radioresistant histology) (NOMS, Laufer 2013)."
    ),
    BAND_GREY_ZONE: (
        "Grey zone between low and high grade: stereotactic radiation alone versus separation surgery "
        "followed by stereotactic radiation is debated; follow institutional policy (NOMS, Laufer 2013)."
    ),
    BAND_HIGH: (
        "High-grade spinal cord compression: surgical decompression before radiation, unless the tumour "
        "is radiosensitive (conventional external beam radiation) or the patient cannot tolerate "
        "surgery (NOMS, Laufer 2013)."
    ),
}


@cache  # one text per grade, written once
def _interpretation(grade: EsccGrade) -> str:
    band = band_of_grade(grade)
    return (
        f"Bilsky ESCC grade {grade.value} ({DEFINITIONS[grade]}), {band}. {_BAND_TEXT[band]} "
        "Graded on axial T2 MRI at the level of most severe compression; instability (SINS) is "
        "judged separately."
    )
