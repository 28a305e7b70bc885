"""How suspicious is this for bone metastasis? (Merck Manual 2022, 'Diagnosis')

Metastases are considered in every patient with unexplained bone pain, and particularly
with known cancer, pain or radiographic abnormality at more than one site, or imaging
that suggests metastases. Multiple lesions in a patient with known cancer are presumed
metastases; a biopsy showing metastasis settles it.
"""

from __future__ import annotations

from bonemet.model import Suspicion
from bonemet.model.vocabulary import BoneBiopsy, CancerHistory, SuspicionLevel
from bonemet.pathway.context import Context

_SOURCE = "(Merck Manual 2022)"


def _established_reasons(ctx: Context) -> list[str]:
    reasons = []
    if ctx.case.cancer.bone_biopsy is BoneBiopsy.metastasis_confirmed:
        reasons.append("Bone biopsy confirmed metastasis.")
    if ctx.known_cancer and ctx.multiple_lesions:
        reasons.append(
            f"Multiple bone lesions ({ctx.lesion_count}) in a patient with known cancer are presumed "
            f"metastases {_SOURCE}."
        )
    return reasons


def _pointers(ctx: Context) -> list[str]:
    """Each finding that raises suspicion, in the words of the source."""
    p = ctx.case.presentation
    pointers = []
    unexplained_pain = bool(p.bone_pain) and p.pain_unexplained is not False
    if unexplained_pain:
        pointers.append("Bone pain without a benign explanation.")
    if ctx.known_cancer and (p.bone_pain or ctx.any_lesion):
        history = (
            "metastatic carcinoma of unknown primary"
            if ctx.case.cancer.history is CancerHistory.unknown_primary
            else f"known {ctx.case.cancer.primary or 'cancer'}"
        )
        pointers.append(f"Bone pain or a bone lesion in a patient with {history} {_SOURCE}.")
    if p.bone_pain and (p.pain_site_count or 0) > 1:
        pointers.append(f"Pain at more than one site ({p.pain_site_count}) {_SOURCE}.")
    if ctx.multiple_lesions:
        pointers.append(f"Multiple bone lesions on imaging ({ctx.lesion_count}) {_SOURCE}.")
    elif ctx.any_lesion:
        pointers.append("A bone lesion on imaging.")
    if ctx.pathologic_fracture:
        pointers.append("Pathologic fracture.")
    if ctx.case.presentation.neurologic_deficit_new:
        pointers.append("New neurological deficit.")
    return pointers


def suspicion(ctx: Context) -> Suspicion:
    if ctx.case.cancer.bone_biopsy is BoneBiopsy.other_diagnosis:
        return Suspicion(
            level=SuspicionLevel.low,
            reasons=["Bone biopsy showed another diagnosis; re-assess if new lesions or symptoms appear."],
        )
    established = _established_reasons(ctx)
    if established:
        return Suspicion(level=SuspicionLevel.established, reasons=established)

    pointers = _pointers(ctx)
    p = ctx.case.presentation
    strong = (
        (ctx.known_cancer and (bool(p.bone_pain) or ctx.any_lesion))
        or bool(ctx.multiple_lesions)
        or (bool(p.bone_pain) and (p.pain_site_count or 0) > 1 and p.pain_unexplained is not False)
        or ctx.pathologic_fracture
    )
    if strong:
        return Suspicion(level=SuspicionLevel.high, reasons=pointers)
    if pointers:
        return Suspicion(level=SuspicionLevel.moderate, reasons=pointers)
    return Suspicion(
        level=SuspicionLevel.low,
        reasons=["No bone pain, bone lesion, pathologic fracture or neurological deficit recorded."],
    )


def worth_working_up(level: SuspicionLevel) -> bool:
    return level is not SuspicionLevel.low
