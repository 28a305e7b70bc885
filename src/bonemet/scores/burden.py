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

from bonemet.model import Case


def vertebral_metastasis_count(case: Case) -> int | None:
    """Vertebral bodies with metastasis: the whole-body count (or the total less the extraspinal
    count), else the listed spinal levels when the list is complete; None when unknown."""
    burden = case.skeletal_burden
    listed = _listed_vertebral(case)
    counted = _counted_or_remainder(burden.vertebral_bodies, burden.total_lesions, burden.extraspinal_lesions)
    if counted is not None:
        return max(counted, listed)
    if _list_is_complete(case):
        return listed
    return None


def extraspinal_metastasis_count(case: Case) -> int | None:
    """Bone metastases outside the spine and sacrum: the whole-body count (or the total less the
    vertebral count), else the listed ones when the list is complete; None when unknown."""
    burden = case.skeletal_burden
    listed = _listed_extraspinal(case)
    counted = _counted_or_remainder(burden.extraspinal_lesions, burden.total_lesions, burden.vertebral_bodies)
    if counted is not None:
        return max(counted, listed)
    if _list_is_complete(case):
        return listed
    return None


def skeletal_metastasis_count(case: Case) -> int | None:
    """All bone metastases: the whole-body total, else vertebral + extraspinal when both are known,
    else the complete listing; never fewer than are certainly present (listed, or counted in one
    region); None when unknown."""
    candidates = [skeletal_metastasis_minimum(case)]
    total = case.skeletal_burden.total_lesions
    vertebral = vertebral_metastasis_count(case)
    extraspinal = extraspinal_metastasis_count(case)
    parts_known = vertebral is not None and extraspinal is not None
    if total is None and not parts_known:
        return None
    if total is not None:
        candidates.append(total)
    if vertebral is not None and extraspinal is not None:
        candidates.append(vertebral + extraspinal)
    return max(candidates)


def vertebral_metastasis_minimum(case: Case) -> int:
    """Vertebral bodies certainly involved (counted or listed); 0 when nothing is known."""
    return max(case.skeletal_burden.vertebral_bodies or 0, _listed_vertebral(case))


def extraspinal_metastasis_minimum(case: Case) -> int:
    """Extraspinal bone metastases certainly present (counted or listed); 0 when nothing is known."""
    return max(case.skeletal_burden.extraspinal_lesions or 0, _listed_extraspinal(case))


def skeletal_metastasis_minimum(case: Case) -> int:
    """Bone metastases certainly present (any count, the parts, or the listing); 0 when nothing is known."""
    burden = case.skeletal_burden
    return max(
        burden.total_lesions or 0,
        vertebral_metastasis_minimum(case) + extraspinal_metastasis_minimum(case),
        len(case.lesions),
    )


def has_multiple_skeletal_metastases(case: Case) -> bool | None:
    """More than one bone metastasis? True as soon as two are known for certain (two listed lesions
    suffice without any count); False only when the exact count is 0 or 1; None when unknown."""
    count = skeletal_metastasis_count(case)
    if count is not None:
        return count >= 2
    if skeletal_metastasis_minimum(case) >= 2:
        return True
    return None


def burden_basis(case: Case) -> str:
    """Where the burden figures come from, for item explanations."""
    listed = len(case.lesions)
    listed_text = f"{listed} listed lesion{'s' if listed != 1 else ''}"
    if _counts_given(case):
        return f"whole-body counts and {listed_text}" if listed else "whole-body counts"
    if listed:
        return f"{listed_text}, taken as the complete list as no whole-body count is given"
    return "no whole-body count and no lesions listed"


def _counted_or_remainder(counted: int | None, total: int | None, other_region: int | None) -> int | None:
    """A region's count, or the total less the other region's count when both of those are given."""
    if counted is not None:
        return counted
    if total is not None and other_region is not None:
        return max(total - other_region, 0)
    return None


def _counts_given(case: Case) -> bool:
    burden = case.skeletal_burden
    return any(
        count is not None for count in (burden.total_lesions, burden.vertebral_bodies, burden.extraspinal_lesions)
    )


def _list_is_complete(case: Case) -> bool:
    return bool(case.lesions) and not _counts_given(case)


def _listed_vertebral(case: Case) -> int:
    levels = {lesion.level for lesion in case.lesions if lesion.is_spinal and lesion.level is not None}
    unlevelled = sum(1 for lesion in case.lesions if lesion.is_spinal and lesion.level is None)
    return len(levels) + unlevelled


def _listed_extraspinal(case: Case) -> int:
    return sum(1 for lesion in case.lesions if not lesion.is_spinal)
