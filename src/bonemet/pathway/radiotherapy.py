"""Radiotherapy: palliative external beam, SBRT where it fits, and after fixation.

ASTRO 2024 is the newest guideline and is followed: 8 Gy x 1, 20 Gy/5, 24 Gy/6 or 30 Gy/10
relieve pain equally; a single fraction suits uncomplicated lesions and short expected
survival (ESMO 2020) at the cost of more retreatment; SBRT in selected patients with good
performance status, no planned surgery and no neurological deficit; postoperative
radiation after surgery. Spinal lesions follow NOMS (Laufer 2013).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge import radiotherapy as facts
from bonemet.knowledge import safety
from bonemet.knowledge.citations import unique_citations
from bonemet.knowledge.pathway_sources import BOAST_2022
from bonemet.knowledge.radiosensitivity import Radiosensitivity, radiosensitivity
from bonemet.model import Lesion, PriorRadiotherapy
from bonemet.model.vocabulary import (
    LONG_BONES,
    Bone,
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
from bonemet.pathway.context import HIGH_GRADE_ESCC, Context
from bonemet.pathway.rules import Finding, decline, lesion_label, missing, recommend, sources_of
from bonemet.scores import burden, mirels
from bonemet.scores.noms import TREATMENT_TEXT, NomsTreatment, Stabilization
from bonemet.scores.performance import effective_ecog

HAEMATOLOGICAL = frozenset({Primary.myeloma, Primary.lymphoma})
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


def noms_text(treatment: NomsTreatment | None) -> str:
    return TREATMENT_TEXT[treatment] if treatment is not None else "an undetermined treatment"


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


class Route(StrEnum):
    """How radiotherapy reaches one lesion."""

    palliative = "palliative"
    stereotactic = "stereotactic"
    postoperative = "postoperative"
    reirradiation = "reirradiation"
    none = "none"


@dataclass(frozen=True)
class LesionRoute:
    route: Route
    why: tuple[str, ...] = ()  # why this route (a fallback, a re-irradiation), shown with the line


def _sbrt_fit(ctx: Context, index: int, reirradiation: bool = False) -> facts.SbrtAssessment:
    ecog, _ = effective_ecog(ctx.case.patient)
    deficit = ctx.case.presentation.neurologic_deficit
    sins_score = ctx.lesion_score(index, ScoreName.sins)
    sensitivity = radiosensitivity(ctx.case.cancer.primary, ctx.case.cancer.histology)
    return facts.sbrt_assessment(
        ecog=ecog,
        neurologic_deficit=None if deficit is None else deficit is not NeurologicDeficit.none,
        surgery_planned=False,
        spine=True,
        sins=int(sins_score.total) if sins_score and sins_score.total is not None else None,
        radioresistant=sensitivity is Radiosensitivity.resistant if sensitivity else None,
        reirradiation=reirradiation,
    )


_SEPARATION_SURGERY = frozenset(
    {
        NomsTreatment.separation_surgery_then_stereotactic_radiation,
        NomsTreatment.stereotactic_radiation_or_separation_surgery,
    }
)


def _spinal_route(ctx: Context, index: int) -> LesionRoute:
    treatment = _noms_treatment(ctx, index)
    if treatment in (NomsTreatment.stereotactic_radiation, *_SEPARATION_SURGERY):
        fit = _sbrt_fit(ctx, index)
        if fit.suitable is False:
            return LesionRoute(
                Route.palliative,
                (
                    f"NOMS points to {noms_text(treatment)}, but SBRT does not fit ("
                    + "; ".join(fit.reasons_against)
                    + "): conventional radiotherapy instead.",
                    *(
                        ("If separation surgery goes ahead, the radiotherapy follows it (ASTRO 2024).",)
                        if treatment in _SEPARATION_SURGERY
                        else ()
                    ),
                ),
            )
        if treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation:
            return LesionRoute(Route.postoperative, ("NOMS: separation surgery, then stereotactic radiation.",))
        return LesionRoute(Route.stereotactic)
    if treatment is None:
        return LesionRoute(
            Route.palliative,
            ("NOMS incomplete (see missing data): conventional radiotherapy unless the spine MRI changes the plan.",),
        )
    return LesionRoute(Route.palliative)


def lesion_route(ctx: Context, index: int, lesion: Lesion) -> LesionRoute:
    """The one place that decides how radiotherapy reaches a lesion, so no painful lesion falls between rules."""
    if ctx.possible_primary_bone_tumour or ctx.possible_primary_bone_sarcoma:
        return LesionRoute(
            Route.none,
            ("Possible primary bone tumour: no treatment until the sarcoma centre has made the diagnosis.",),
        )
    if _going_to_surgery(ctx, index, lesion):
        return LesionRoute(Route.postoperative)
    route = _spinal_route(ctx, index) if lesion.is_spinal else LesionRoute(Route.palliative)
    if route.route is Route.palliative and ctx.prior_radiotherapy_for(lesion) is not None:
        return LesionRoute(Route.reirradiation, route.why)
    return route


def _painful_targets(ctx: Context) -> list[tuple[int, Lesion]]:
    """Lesions to treat for pain: painful, or not known to be painless when bone pain is recorded."""
    recorded = bool(ctx.case.presentation.bone_pain)
    return [
        (i, les)
        for i, les in enumerate(ctx.case.lesions)
        if (_painful(les) is not False if recorded else _painful(les) is True)
    ]


def _life_expectancy_under_4_weeks(ctx: Context) -> bool:
    outlook = ctx.life_expectancy
    return outlook is not None and outlook.below(safety.RT_QOL_LIFE_EXPECTANCY_MONTHS) is True


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
    recorded = bool(ctx.case.presentation.bone_pain)
    routed = [(i, les, lesion_route(ctx, i, les)) for i, les in _painful_targets(ctx)]
    targets = [(i, les, r) for i, les, r in routed if r.route is Route.palliative]
    if ctx.case.lesions and not targets:
        return
    where = ", ".join(lesion_label(i, les.bone.value, les.level or les.segment) for i, les, _ in targets)
    cord = any(les.escc_grade in HIGH_GRADE_ESCC for _, les, _ in targets) or bool(
        ctx.case.presentation.neurologic_deficit_new
    )
    single = facts.single_fraction_reasons(
        uncomplicated=not _complicated(ctx), limited_life_expectancy=ctx.short_expected_survival
    )
    single = tuple(f for f in single if f is not facts.SINGLE_FRACTION_RETREATMENT)
    schedules = facts.conventional_schedules(cord_compression=cord)
    if cord:
        schedule_text = " or ".join(s.text for s in schedules) + " (cord compression schedules)"
        used = [facts.MSCC_SCHEDULES_FACT, facts.SCORAD_FACT]
    elif single:
        schedule_text = f"{facts.SINGLE_8_GY.text} preferred"
        used = [facts.CONVENTIONAL_SCHEDULES_FACT, *single, safety.SINGLE_FRACTION_RETREATMENT_CHOW]
        used.append(safety.PAIN_FLARE_DEXAMETHASONE)
    else:
        schedule_text = " or ".join(s.text for s in schedules)
        used = [facts.CONVENTIONAL_SCHEDULES_FACT]
    used.append(facts.EBRT_NOT_REPLACED)
    reasons = ["Painful bone metastases: external beam radiation relieves pain."]
    for i, les, r in targets:
        reasons += [f"{lesion_label(i, les.bone.value, les.level or les.segment)}: {why}" for why in r.why]
    if not recorded:
        painful = [
            lesion_label(i, les.bone.value, les.level or les.segment)
            for i, les in enumerate(ctx.case.lesions)
            if _painful(les) is True
        ]
        status = "not recorded" if ctx.case.presentation.bone_pain is None else "recorded as absent"
        reasons.append(f"Bone pain {status} in the presentation, but painful: {', '.join(painful)}.")
    reasons += [f.text for f in used]
    priority = Priority.routine
    if _life_expectancy_under_4_weeks(ctx):
        priority = Priority.consider
        used.append(facts.RT_FOR_QUALITY_OF_LIFE)
        outlook = ctx.life_expectancy
        assert outlook is not None
        reasons.insert(
            0,
            f"Life expectancy under 4 weeks ({outlook.source}): ASTRO 2024 conditions RT for quality of life on "
            "at least 4 weeks; offer it only if relief can come in time, as a single fraction.",
        )
        reasons.append(facts.RT_FOR_QUALITY_OF_LIFE.text)
        schedule_text = f"{facts.SINGLE_8_GY.text} if given"
    healing = _healing_note(ctx)
    if healing:
        reasons.append(healing)
        used.append(facts.HEALING_BY_PATTERN)
    yield recommend(
        Code.rt_palliative,
        priority,
        Step.treatment,
        f"Palliative radiotherapy to the painful site{'s' if len(targets) != 1 else ''}"
        + (f" ({where})" if where else "")
        + f": {schedule_text}.",
        reasons,
        sources_of(used),
    )


def reirradiation(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    """A painful lesion at a site irradiated before: re-irradiation advice, not a first course (ASTRO 2024)."""
    if not metastatic or not _bone_pain(ctx):
        return
    for index, lesion in _painful_targets(ctx):
        if lesion_route(ctx, index, lesion).route is not Route.reirradiation:
            continue
        prior = ctx.prior_radiotherapy_for(lesion)
        assert prior is not None
        label = lesion_label(index, lesion.bone.value, lesion.level or lesion.segment)
        schedules = facts.reirradiation_schedules(spine=lesion.is_spinal)
        reasons = [f"{label}: irradiated before ({_prior_text(prior)})."]
        used = [facts.REIRRADIATION_FACT, safety.REIRRADIATION_TIMING]
        interval = _months_since(ctx, prior)
        if interval is None:
            reasons.append("Date of the first course unknown: re-irradiation is considered more than 1 month after it.")
        elif interval < safety.REIRRADIATION_MIN_INTERVAL_MONTHS:
            reasons.append(
                f"Only {interval:.1f} months since the first course: pain flare and the time to respond (up to "
                "about 4 weeks) come first; re-irradiation is considered after 1 month."
            )
        else:
            reasons.append(f"{interval:.0f} months since the first course.")
        if lesion.is_spinal:
            used.append(safety.REIRRADIATION_CORD_DOSE)
        too_soon = interval is not None and interval < safety.REIRRADIATION_MIN_INTERVAL_MONTHS
        reasons += [f.text for f in used]
        yield recommend(
            Code.rt_reirradiation,
            Priority.consider if too_soon else Priority.routine,
            Step.treatment,
            f"Re-irradiation of {label}: " + ", ".join(s.text for s in schedules) + " (ASTRO 2024 re-irradiation "
            "schedules); the radiation oncologist checks the cumulative dose.",
            reasons,
            sources_of(used),
            lesion_index=index,
        )
        if isinstance(prior, PriorRadiotherapy) and prior.completed_on is None:
            yield missing(
                "treatment.prior_radiotherapy[].completed_on",
                "The interval since the first course decides whether re-irradiation is due (more than 1 month).",
            )


def _prior_text(prior: PriorRadiotherapy | str) -> str:
    if isinstance(prior, str):
        return prior
    parts = [prior.site or prior.bone.value if prior.bone else (prior.site or "")]
    if prior.level is not None:
        parts.append(prior.level.value)
    if prior.dose_gy is not None:
        parts.append(f"{prior.dose_gy:g} Gy" + (f" in {prior.fractions} fractions" if prior.fractions else ""))
    if prior.completed_on is not None:
        parts.append(f"completed {prior.completed_on.isoformat()}")
    return ", ".join(p for p in parts if p)


def _months_since(ctx: Context, prior: PriorRadiotherapy | str) -> float | None:
    if isinstance(prior, str) or prior.completed_on is None:
        return None
    return (ctx.today - prior.completed_on).days / 30.4375


def stereotactic_radiotherapy(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    if not metastatic:
        return
    for index, lesion in ctx.spinal_lesions:
        decision = ctx.noms(index)
        if lesion_route(ctx, index, lesion).route is not Route.stereotactic:
            continue
        label = lesion_label(index, "spine", lesion.level)
        if _painful(lesion) is False and lesion.escc_grade not in HIGH_GRADE_ESCC:
            # SBRT's evidence (SC.24, ASTRO 2024) is for painful lesions; NG234 governs painless ones.
            yield decline(
                Code.rt_sbrt,
                [
                    f"{label}: painless, NOMS would point to {noms_text(decision.treatment)}.",
                    safety.PROPHYLACTIC_RT_SPINE_NICE.text,
                    facts.SBRT_OLIGOMETASTATIC.text,
                ],
                sources_of([safety.PROPHYLACTIC_RT_SPINE_NICE, facts.SBRT_OLIGOMETASTATIC]),
                lesion_index=index,
            )
            continue
        prior = ctx.prior_radiotherapy_for(lesion)
        fit = _sbrt_fit(ctx, index, reirradiation=prior is not None)
        reasons = [f"{label}: {decision.summary}.", *decision.reasons]
        if prior is not None:
            reasons.append(f"Irradiated before ({_prior_text(prior)}): SBRT re-irradiation; check the cord dose.")
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
        if lesion_route(ctx, index, lesion).route is not Route.postoperative:
            continue
        separation = lesion.is_spinal and not _going_to_surgery(ctx, index, lesion)
        used = [facts.POSTOPERATIVE_RT] + ([] if lesion.is_spinal else [facts.POSTOPERATIVE_RT_FIELD])
        if separation:
            used.append(facts.MSCC_SURGERY_THEN_RT)
        where = (
            f"the operated segment ({lesion.level.value if lesion.level else 'spine'})"
            if lesion.is_spinal
            else f"the whole operated {lesion.bone.value}"
        )
        what = "Stereotactic (or conventional) radiotherapy" if separation else "Radiotherapy"
        reasons = [f.text for f in used]
        if separation:
            reasons.insert(
                0,
                "NOMS: separation surgery for high-grade compression from a radioresistant tumour, then "
                "stereotactic radiation (hybrid therapy).",
            )
        yield recommend(
            Code.rt_postoperative,
            Priority.routine,
            Step.treatment,
            f"{what} to {where} after surgery.",
            reasons,
            sources_of(used),
            lesion_index=index,
        )


def _high_risk_site(lesion: Lesion) -> bool:
    """Gillespie 2024's high-risk sites outside the spine: the hip (acetabulum) and the long bones."""
    return lesion.bone in LONG_BONES or lesion.bone is Bone.acetabulum


def _polymetastatic(ctx: Context) -> bool:
    return burden.skeletal_metastasis_minimum(ctx.case) > safety.PROPHYLACTIC_RT_MORE_THAN_METASTASES


def _prophylactic_candidates(ctx: Context) -> list[tuple[int, Lesion]]:
    """Painless lesions at a high-risk site with no other treatment line (no fixation, SBRT or earlier RT)."""
    return [
        (i, les)
        for i, les in enumerate(ctx.case.lesions)
        if _painful(les) is False and _high_risk_site(les) and lesion_route(ctx, i, les).route is Route.palliative
    ]


def prophylactic_radiotherapy(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    """Painless high-risk lesions in polymetastatic solid cancer: a radiation oncology opinion (Gillespie 2024).

    Phase II evidence, so offered as 'consider'. The spine follows NICE NG234, which keeps RT for
    asymptomatic spinal metastases to trials, oligometastatic strategies or impending compression.
    """
    if not metastatic or not ctx.known_cancer or ctx.age.child or not _polymetastatic(ctx):
        return
    if ctx.case.cancer.primary in HAEMATOLOGICAL or _life_expectancy_under_4_weeks(ctx):
        return
    candidates = _prophylactic_candidates(ctx)
    if not candidates:
        return
    where = ", ".join(lesion_label(i, les.bone.value, les.segment) for i, les in candidates)
    reasons = [
        f"Painless lesion{'s' if len(candidates) > 1 else ''} at a high-risk site with no other treatment planned: "
        f"{where}.",
        f"At least {burden.skeletal_metastasis_minimum(ctx.case)} bone metastases (the trial enrolled patients "
        f"with more than {safety.PROPHYLACTIC_RT_MORE_THAN_METASTASES}).",
        safety.PROPHYLACTIC_RT_TRIAL.text,
    ]
    used = [safety.PROPHYLACTIC_RT_TRIAL]
    painless_spine = [lesion_label(i, "spine", les.level) for i, les in ctx.spinal_lesions if _painful(les) is False]
    if painless_spine:
        reasons.append(f"Not proposed for {', '.join(painless_spine)}: {safety.PROPHYLACTIC_RT_SPINE_NICE.text}")
        used.append(safety.PROPHYLACTIC_RT_SPINE_NICE)
    yield recommend(
        Code.rt_prophylactic,
        Priority.consider,
        Step.treatment,
        f"Radiation oncology opinion on prophylactic radiotherapy to the painless high-risk "
        f"lesion{'s' if len(candidates) > 1 else ''} ({where}): randomised phase II evidence.",
        reasons,
        sources_of(used),
    )


def untreated_painful_lesions(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    """Every painful lesion leaves with a treatment line or a stated reason."""
    if not metastatic:
        return
    for index, lesion in _painful_targets(ctx):
        route = lesion_route(ctx, index, lesion)
        if route.route is Route.none:
            yield decline(Code.rt_palliative, list(route.why), [BOAST_2022], lesion_index=index)
