"""Skeletal tumour burden: how many bone metastases there are, and where, as far as the case says.

Two sources, combined the same way everywhere:

- `case.skeletal_burden`: counts from whole-body imaging (bone scan, PET-CT, whole-spine MRI).
- `case.lesions`: the lesions listed one by one. The contract gives counts "when not every lesion
  is listed", so when no count at all is given the list is taken as complete; when counts are
  given, the list is only a lower bound (the lesions someone chose to describe).

Rules:
- A count always wins when it is at least the number listed; the listing wins when it is larger
  (a count cannot be smaller than the lesions actually described).
- Each listed lesion is one metastasis; spinal lesions (spine or sacrum) at the same level are one
  vertebral body; a spinal lesion listed without a level counts as one more. Sacral lesions count
  as vertebral: Tokuhashi's item counts metastases in the vertebral bodies of the spine, and the
  sacrum is part of it.
- A region's count missing while the total and the other region are counted is the remainder
  (total 3 with 2 vertebral bodies leaves 1 extraspinal): a vertebral body counts as one lesion.
- "Unknown" is None, never 0: with neither counts nor listed lesions nothing is known.

Functions returning `int | None` give an exact count or None. The `*_minimum` functions give
what is known for certain (0 when nothing is), which is enough for thresholds such as "2 or more"
(multiple) or "3 or more" (Tokuhashi's worst categories) even when the exact count is unknown.
"""

from __future__ import annotations

from typing import NamedTuple

from bonemet.model import Case
from bonemet.model.vocabulary import SpinalLevel


def vertebral_metastasis_count(case: Case) -> int | None:
    """Vertebral bodies with metastasis: the whole-body count (or the total less the extraspinal
    count), else the listed spinal levels when the list is complete; None when unknown."""
    return _vertebral_count(_counts(case))


def extraspinal_metastasis_count(case: Case) -> int | None:
    """Bone metastases outside the spine and sacrum: the whole-body count (or the total less the
    vertebral count), else the listed ones when the list is complete; None when unknown."""
    return _extraspinal_count(_counts(case))


def skeletal_metastasis_count(case: Case) -> int | None:
    """All bone metastases: the whole-body total, else vertebral + extraspinal when both are known,
    else the complete listing; never fewer than are certainly present (listed, or counted in one
    region); None when unknown."""
    return _skeletal_count(_counts(case))


def vertebral_metastasis_minimum(case: Case) -> int:
    """Vertebral bodies certainly involved (counted or listed); 0 when nothing is known."""
    return _vertebral_minimum(_counts(case))


def extraspinal_metastasis_minimum(case: Case) -> int:
    """Extraspinal bone metastases certainly present (counted or listed); 0 when nothing is known."""
    return _extraspinal_minimum(_counts(case))


def skeletal_metastasis_minimum(case: Case) -> int:
    """Bone metastases certainly present (any count, the parts, or the listing); 0 when nothing is known."""
    return _skeletal_minimum(_counts(case))


def listed_vertebral_bodies(case: Case) -> int:
    """Vertebral bodies among the listed lesions: one per level, one more per lesion without a level."""
    return _counts(case).listed_vertebral


def has_multiple_skeletal_metastases(case: Case) -> bool | None:
    """More than one bone metastasis? True as soon as two are known for certain (two listed lesions
    suffice without any count); False only when the exact count is 0 or 1; None when unknown."""
    counts = _counts(case)
    count = _skeletal_count(counts)
    if count is not None:
        return count >= 2
    if _skeletal_minimum(counts) >= 2:
        return True
    return None


def burden_basis(case: Case) -> str:
    """Where the burden figures come from, for item explanations."""
    counts = _counts(case)
    listed = counts.listed
    listed_text = f"{listed} listed lesion{'s' if listed != 1 else ''}"
    if counts.given:
        return f"whole-body counts and {listed_text}" if listed else "whole-body counts"
    if listed:
        return f"{listed_text}, taken as the complete list as no whole-body count is given"
    return "no whole-body count and no lesions listed"


class _Counts(NamedTuple):
    """Everything the rules above read from a case, read once (case fields are slow to read)."""

    total: int | None  # whole-body counts, as given
    vertebral: int | None
    extraspinal: int | None
    listed: int  # lesions listed
    listed_vertebral: int  # vertebral bodies among them
    listed_extraspinal: int

    @property
    def given(self) -> bool:
        """Any whole-body count given: the listing is then only a lower bound."""
        return self.total is not None or self.vertebral is not None or self.extraspinal is not None

    @property
    def list_is_complete(self) -> bool:
        return self.listed > 0 and not self.given


def _counts(case: Case) -> _Counts:
    """The counts, and the listed lesions in one pass: spinal lesions at the same level are one
    vertebral body; one without a level counts as one more."""
    burden = case.skeletal_burden
    lesions = case.lesions
    levels: set[SpinalLevel] = set()
    unlevelled = extraspinal = 0
    for lesion in lesions:
        if not lesion.is_spinal:
            extraspinal += 1
        elif lesion.level is None:
            unlevelled += 1
        else:
            levels.add(lesion.level)
    return _Counts(
        burden.total_lesions,
        burden.vertebral_bodies,
        burden.extraspinal_lesions,
        len(lesions),
        len(levels) + unlevelled,
        extraspinal,
    )


def _vertebral_count(counts: _Counts) -> int | None:
    return _region_count(counts, counts.vertebral, counts.extraspinal, counts.listed_vertebral)


def _extraspinal_count(counts: _Counts) -> int | None:
    return _region_count(counts, counts.extraspinal, counts.vertebral, counts.listed_extraspinal)


def _region_count(counts: _Counts, region: int | None, other_region: int | None, listed: int) -> int | None:
    """One region's count (or the total less the other region), never below its listed lesions;
    else the listing when it is complete; None when unknown."""
    counted = _counted_or_remainder(region, counts.total, other_region)
    if counted is not None:
        return max(counted, listed)
    if counts.list_is_complete:
        return listed
    return None


def _skeletal_count(counts: _Counts) -> int | None:
    candidates = [_skeletal_minimum(counts)]
    total = counts.total
    vertebral = _vertebral_count(counts)
    extraspinal = _extraspinal_count(counts)
    parts_known = vertebral is not None and extraspinal is not None
    if total is None and not parts_known:
        return None
    if total is not None:
        candidates.append(total)
    if vertebral is not None and extraspinal is not None:
        candidates.append(vertebral + extraspinal)
    return max(candidates)


def _vertebral_minimum(counts: _Counts) -> int:
    return max(counts.vertebral or 0, counts.listed_vertebral)


def _extraspinal_minimum(counts: _Counts) -> int:
    return max(counts.extraspinal or 0, counts.listed_extraspinal)


def _skeletal_minimum(counts: _Counts) -> int:
    return max(counts.total or 0, _vertebral_minimum(counts) + _extraspinal_minimum(counts), counts.listed)


def _counted_or_remainder(counted: int | None, total: int | None, other_region: int | None) -> int | None:
    """A region's count, or the total less the other region's count when both of those are given."""
    if counted is not None:
        return counted
    if total is not None and other_region is not None:
        return max(total - other_region, 0)
    return None
