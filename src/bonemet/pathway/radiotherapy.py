"""Radiotherapy: palliative external beam, SBRT where it fits, and after fixation.

ASTRO 2024 is the newest guideline and is followed: 8 Gy x 1, 20 Gy/5, 24 Gy/6 or 30 Gy/10
relieve pain equally; a single fraction suits uncomplicated lesions and short expected
survival (ESMO 2020) at the cost of more retreatment; SBRT in selected patients with good
performance status, no planned surgery and no neurological deficit; postoperative
radiation after surgery. Spinal lesions follow NOMS (Laufer 2013).
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import radiotherapy as facts
from bonemet.knowledge.citations import unique_citations
from bonemet.knowledge.radiosensitivity import Radiosensitivity, radiosensitivity
from bonemet.model import Lesion
from bonemet.model.vocabulary import (
    Code,
    LimbPain,
    NeurologicDeficit,
    Pattern,
    Primary,
    Priority,
    ScoreName,
    SpinalPain,
    Step,
)
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, lesion_label, missing, recommend, sources_of
from bonemet.scores import mirels
from bonemet.scores.noms import NomsTreatment, Stabilization
from bonemet.scores.performance import effective_ecog

GOOD_HEALERS = frozenset({Primary.prostate, Primary.breast})
POOR_HEALERS = frozenset({Primary.lung, Primary.kidney})


def _painful(lesion: Lesion) -> bool | None:
    if lesion.is_spinal:
        return None if lesion.spinal_pain is None else lesion.spinal_pain is not SpinalPain.none
    return None if lesion.pain is None else lesion.pain is not LimbPain.none


def _bone_pain(ctx: Context) -> bool | None:
    """Bone pain for the palliative radiotherapy decision: recorded, or read from a painful lesion.

    True when the presentation records bone pain or any lesion is painful (limb pain other than
    none, spinal pain other than none): the lesion's own pain is the more specific record, so it
    counts even when the presentation says no bone pain. False when the presentation records none
    and no lesion is painful; None when neither says.
    """
    recorded = ctx.case.presentation.bone_pain
    if recorded or any(_painful(lesion) is True for lesion in ctx.case.lesions):
        return True
    return recorded


def _bone_pain_would_decide(ctx: Context) -> bool:
    """Unknown bone pain matters unless every lesion is recorded as painless (then no site to treat)."""
    lesions = ctx.case.lesions
    return not lesions or any(_painful(lesion) is None for lesion in lesions)


def _going_to_surgery(ctx: Context, index: int, lesion: Lesion) -> bool:
    if ctx.possible_primary_bone_tumour:
        return False
    if lesion.is_spinal:
        return ctx.noms(index).stabilization is (Stabilization.recommended)
    if lesion.pathologic_fracture:
        return True
    score = ctx.lesion_score(index, ScoreName.mirels)
    return score is not None and score.total is not None and score.total >= mirels.FIXATION_THRESHOLD


def _noms_treatment(ctx: Context, index: int) -> NomsTreatment | None:
    return ctx.noms(index).treatment


def _complicated(ctx: Context) -> bool:
    """ESMO 'uncomplicated' excludes fracture (actual or impending) and cord compression."""
    return (
        ctx.pathologic_fracture
        or bool(ctx.high_grade_escc)
        or any(_going_to_surgery(ctx, i, les) for i, les in enumerate(ctx.case.lesions))
    )


def _healing_note(ctx: Context) -> str | None:
    primary = ctx.case.cancer.primary
    patterns = ctx.patterns
    if primary in GOOD_HEALERS and Pattern.blastic in patterns:
        return "Blastic lesions of prostate or breast cancer often heal after radiation."
    if primary in POOR_HEALERS or (patterns and patterns <= {Pattern.lytic}):
        return "Lytic lesions (as in lung or kidney cancer) heal less often after radiation: watch fracture risk."
    return None


def palliative_radiotherapy(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    if not metastatic:
        return
    pain = _bone_pain(ctx)
    if pain is None and _bone_pain_would_decide(ctx):
        yield missing(
            "presentation.bone_pain",
            "Palliative radiotherapy is offered for painful bone metastases: record bone pain, or the "
            "pain of each lesion.",
        )
    if not pain:
        return
    # Bone pain recorded: every lesion not known to be painless is a candidate site. Read from
    # the lesions only: the lesions known to be painful.
    recorded = bool(ctx.case.presentation.bone_pain)
    targets = [
        (i, les)
        for i, les in enumerate(ctx.case.lesions)
        if (_painful(les) is not False if recorded else _painful(les) is True)
        and not _going_to_surgery(ctx, i, les)
        and not (les.is_spinal and _noms_treatment(ctx, i) is not NomsTreatment.conventional_radiation)
    ]
    if ctx.case.lesions and not targets:
        return
    where = ", ".join(lesion_label(i, les.bone.value, les.level or les.segment) for i, les in targets)
    single = facts.single_fraction_reasons(
        uncomplicated=not _complicated(ctx), limited_life_expectancy=ctx.short_expected_survival
    )
    schedules = facts.conventional_schedules()
    schedule_text = f"{facts.SINGLE_8_GY.text} preferred" if single else " or ".join(s.text for s in schedules)
    used = [facts.CONVENTIONAL_SCHEDULES_FACT, *single, facts.EBRT_NOT_REPLACED]
    reasons = ["Painful bone metastases: external beam radiation relieves pain."]
    if not recorded:
        painful = [
            lesion_label(i, les.bone.value, les.level or les.segment)
            for i, les in enumerate(ctx.case.lesions)
            if _painful(les) is True
        ]
        status = "not recorded" if ctx.case.presentation.bone_pain is None else "recorded as absent"
        reasons.append(f"Bone pain {status} in the presentation, but painful: {', '.join(painful)}.")
    reasons += [f.text for f in used]
    healing = _healing_note(ctx)
    if healing:
        reasons.append(healing)
        used.append(facts.HEALING_BY_PATTERN)
    yield recommend(
        Code.rt_palliative,
        Priority.routine,
        Step.treatment,
        f"Palliative radiotherapy to the painful site{'s' if len(targets) != 1 else ''}"
        + (f" ({where})" if where else "")
        + f": {schedule_text}.",
        reasons,
        sources_of(used),
    )


def stereotactic_radiotherapy(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    if not metastatic:
        return
    ecog, _ = effective_ecog(ctx.case.patient)
    deficit = ctx.case.presentation.neurologic_deficit
    for index, lesion in ctx.spinal_lesions:
        decision = ctx.noms(index)
        if decision.treatment is not NomsTreatment.stereotactic_radiation:
            continue
        sins_score = ctx.lesion_score(index, ScoreName.sins)
        sensitivity = radiosensitivity(ctx.case.cancer.primary, ctx.case.cancer.histology)
        fit = facts.sbrt_assessment(
            ecog=ecog,
            neurologic_deficit=None if deficit is None else deficit is not NeurologicDeficit.none,
            surgery_planned=False,
            spine=True,
            sins=int(sins_score.total) if sins_score and sins_score.total is not None else None,
            radioresistant=sensitivity is Radiosensitivity.resistant if sensitivity else None,
        )
        label = lesion_label(index, "spine", lesion.level)
        if fit.suitable is False:
            continue
        reasons = [f"{label}: {decision.summary}.", *decision.reasons]
        reasons += [f.text for f in fit.reasons_for]
        if fit.unknown:
            reasons.append("Still to confirm: " + ", ".join(fit.unknown) + ".")
        yield recommend(
            Code.rt_sbrt,
            Priority.routine if fit.suitable else Priority.consider,
            Step.treatment,
            f"Stereotactic body radiotherapy to {lesion.level.value if lesion.level else 'the spinal lesion'} "
            "(e.g. 24 Gy in 2 fractions, as in SC.24).",
            [*reasons, facts.SBRT_DOSE_NOTE.text],
            unique_citations([*decision.citations, *sources_of([*fit.reasons_for, facts.SBRT_DOSE_NOTE])]),
            lesion_index=index,
        )


def postoperative_radiotherapy(ctx: Context) -> Iterator[Finding]:
    for index, lesion in enumerate(ctx.case.lesions):
        if not _going_to_surgery(ctx, index, lesion):
            continue
        used = [facts.POSTOPERATIVE_RT] + ([] if lesion.is_spinal else [facts.POSTOPERATIVE_RT_FIELD])
        where = (
            f"the stabilised segment ({lesion.level.value if lesion.level else 'spine'})"
            if lesion.is_spinal
            else f"the whole operated {lesion.bone.value}"
        )
        yield recommend(
            Code.rt_postoperative,
            Priority.routine,
            Step.treatment,
            f"Radiotherapy to {where} after surgery.",
            [f.text for f in used],
            sources_of(used),
            lesion_index=index,
        )
