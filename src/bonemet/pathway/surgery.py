"""Surgery and procedures: fixation, prophylactic fixation, spine consultation, vertebral
augmentation and en bloc excision.

Mirels drives prophylactic fixation of long bones; SINS and the Bilsky grade (within NOMS)
drive the spine surgery opinion; augmentation is for painful vertebral compression fractures
without epidural extension; en bloc excision for a limited, late metastasis with the primary
controlled (Merck Manual 2022; guideline details in knowledge.surgery).
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import surgery as facts
from bonemet.knowledge.guideline_sources import Fact
from bonemet.knowledge.imaging import BIOPSY_BEFORE_FIXATION, POSSIBLE_PRIMARY_BONE_TUMOUR
from bonemet.knowledge.pathway_sources import MERCK_METASTATIC_BONE_TUMORS
from bonemet.model import Lesion
from bonemet.model.vocabulary import (
    CancerHistory,
    Code,
    EsccGrade,
    Priority,
    ScoreName,
    Segment,
    SpinalPain,
    Step,
    VertebralCollapse,
)
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, lesion_label, missing, recommend, sources_of
from bonemet.scores import mirels, sins
from bonemet.scores.noms import Stabilization

PROXIMAL_FEMUR = frozenset({Segment.proximal, Segment.neck, Segment.peritrochanteric})
COLLAPSED = frozenset({VertebralCollapse.under_50pct, VertebralCollapse.over_50pct})


def _label(index: int, lesion: Lesion) -> str:
    detail = lesion.level.value if lesion.level else (lesion.segment.value if lesion.segment else None)
    return lesion_label(index, lesion.bone.value, detail)


def _why_primary_bone_tumour(ctx: Context) -> str:
    years = ctx.case.patient.age_years
    if ctx.possible_primary_bone_sarcoma and years is not None:
        return f"bone lesion without a known cancer at {years:g} years: a primary bone sarcoma is possible."
    return "solitary lesion without a cancer history."


def _operative_advice(ctx: Context) -> list[Fact]:
    """What every limb operation for metastasis should respect, for this patient."""
    advice = [facts.FIX_WHOLE_BONE]
    if ctx.case.cancer.primary in facts.HYPERVASCULAR_PRIMARIES:
        advice.append(facts.EMBOLISE_HYPERVASCULAR)
    if ctx.possible_primary_bone_tumour:
        advice.append(POSSIBLE_PRIMARY_BONE_TUMOUR)
    elif ctx.case.cancer.history is not CancerHistory.known_primary and ctx.case.cancer.primary is None:
        advice.append(BIOPSY_BEFORE_FIXATION)
    outlook = ctx.life_expectancy  # the clinician's estimate when given, else the Katagiri lower bound
    months = outlook.at_least_months if outlook is not None else None
    if months is not None:
        advice.append(facts.limb_construct_for_survival(months).statement)
    return advice


def fracture_fixation(ctx: Context) -> Iterator[Finding]:
    for index, lesion in enumerate(ctx.case.lesions):
        if not lesion.pathologic_fracture or lesion.is_spinal:
            continue
        advice = _operative_advice(ctx)
        yield recommend(
            Code.surgery_fixation,
            Priority.urgent,
            Step.treatment,
            f"Orthopaedic surgery for the pathologic fracture of the {lesion.bone.value}: fixation, or "
            "resection with reconstruction, protecting the whole bone.",
            [f"{_label(index, lesion)}: actual pathologic fracture."] + [f.text for f in advice],
            [MERCK_METASTATIC_BONE_TUMORS, *sources_of(advice)],
            lesion_index=index,
        )


def prophylactic_fixation(ctx: Context) -> Iterator[Finding]:
    for index, lesion in ctx.long_bone_lesions:
        if lesion.pathologic_fracture:
            continue
        score = ctx.lesion_score(index, ScoreName.mirels)
        total = score.total if score is not None else None
        findings = facts.impending_fracture_findings(
            bone=lesion.bone,
            mirels_total=int(total) if total is not None else None,
            cortical_destruction_fraction=lesion.cortical_involvement,
            size_cm=lesion.size_cm,
            proximal_femur=lesion.segment in PROXIMAL_FEMUR,
        )
        yield from _fixation_decision(ctx, index, lesion, total, findings)


def _fixation_decision(
    ctx: Context,
    index: int,
    lesion: Lesion,
    mirels_total: float | None,
    findings: tuple[facts.FractureRiskFinding, ...],
) -> Iterator[Finding]:
    label = _label(index, lesion)
    if ctx.possible_primary_bone_tumour:
        yield decline(
            Code.surgery_prophylactic_fixation,
            [f"{label}: {_why_primary_bone_tumour(ctx)}", POSSIBLE_PRIMARY_BONE_TUMOUR.text],
            [POSSIBLE_PRIMARY_BONE_TUMOUR.citation],
            lesion_index=index,
        )
        return
    other_met = [f for f in findings if f.met and not f.criterion.startswith("Mirels")]
    if mirels_total is not None and mirels_total >= mirels.FIXATION_THRESHOLD:
        advice = [facts.MIRELS_FIXATION, facts.PROPHYLACTIC_BEFORE_FRACTURE, *_operative_advice(ctx)]
        yield recommend(
            Code.surgery_prophylactic_fixation,
            Priority.urgent,
            Step.treatment,
            f"Orthopaedic referral for prophylactic fixation of the {lesion.bone.value} before radiotherapy.",
            [f"{label}: Mirels {mirels_total:g} (>= {mirels.FIXATION_THRESHOLD})."]
            + [f.text for f in advice]
            + [f"Also met: {f.criterion}." for f in other_met],
            sources_of(advice),
            lesion_index=index,
        )
    elif mirels_total is not None and mirels_total == mirels.FIXATION_THRESHOLD - 1:
        yield recommend(
            Code.surgery_prophylactic_fixation,
            Priority.consider,
            Step.treatment,
            f"Borderline fracture risk of the {lesion.bone.value}: discuss prophylactic fixation with an "
            "orthopaedic surgeon.",
            [f"{label}: Mirels 8, fracture risk about 15%; clinical judgement."]
            + [f"Also met: {f.criterion}." for f in other_met],
            [mirels.MIRELS_1989, *sources_of([f.statement for f in other_met])],
            lesion_index=index,
        )
    elif mirels_total is not None:
        if other_met:
            yield recommend(
                Code.surgery_prophylactic_fixation,
                Priority.consider,
                Step.treatment,
                f"Discuss prophylactic fixation of the {lesion.bone.value} with an orthopaedic surgeon.",
                [f"{label}: Mirels {mirels_total:g} is low, but {', '.join(f.criterion for f in other_met)}."]
                + [f.statement.text for f in other_met],
                sources_of([f.statement for f in other_met]),
                lesion_index=index,
            )
        else:
            yield decline(
                Code.surgery_prophylactic_fixation,
                [f"{label}: Mirels {mirels_total:g} (<= 7): fracture risk about 4%; radiotherapy and observation."],
                [mirels.MIRELS_1989],
                lesion_index=index,
            )
    elif other_met:
        yield recommend(
            Code.surgery_prophylactic_fixation,
            Priority.consider,
            Step.treatment,
            f"Discuss prophylactic fixation of the {lesion.bone.value} with an orthopaedic surgeon.",
            [f"{label}: Mirels incomplete, but {', '.join(f.criterion for f in other_met)}."]
            + [f.statement.text for f in other_met],
            sources_of([f.statement for f in other_met]),
            lesion_index=index,
        )


def spine_consultation(ctx: Context) -> Iterator[Finding]:
    """SINS >= 7 or high-grade compression: spine surgery opinion (NOMS 'M' and 'N')."""
    for index, lesion in ctx.spinal_lesions:
        decision = ctx.noms(index)
        score = ctx.lesion_score(index, ScoreName.sins)
        sins_total = score.total if score is not None else None
        high_grade = lesion.escc_grade in (EsccGrade.g2, EsccGrade.g3)
        wants_surgeon = Code.surgery_spine_consult in decision.codes
        if not wants_surgeon:
            continue
        urgent = high_grade or decision.stabilization is Stabilization.recommended
        why = [f"{_label(index, lesion)}: {decision.summary}."]
        if sins_total is not None:
            why.append(f"SINS {sins_total:g} ({sins.band_of(sins_total)}).")
        yield recommend(
            Code.surgery_spine_consult,
            Priority.urgent if urgent else Priority.routine,
            Step.treatment,
            f"Spine surgery consultation for the {lesion.level.value if lesion.level else 'spinal'} lesion "
            "(stability and decompression) before radiotherapy.",
            why + list(decision.reasons),
            list(decision.citations),
            lesion_index=index,
        )


def _painful_compression_fracture(lesion: Lesion) -> bool | None:
    if lesion.vertebral_collapse is None or lesion.spinal_pain is None:
        return None
    return lesion.vertebral_collapse in COLLAPSED and lesion.spinal_pain is not SpinalPain.none


def vertebral_augmentation(ctx: Context) -> Iterator[Finding]:
    for index, lesion in ctx.spinal_lesions:
        if _painful_compression_fracture(lesion) is not True:
            continue
        label = _label(index, lesion)
        if lesion.escc_grade is None:
            yield missing(
                f"lesions[{index}].escc_grade",
                "Kyphoplasty or vertebroplasty is only for fractures without epidural extension (MRI).",
            )
            continue
        contraindications = facts.vertebral_augmentation_contraindications(escc_grade=lesion.escc_grade, painful=True)
        if contraindications.any:
            found = [*contraindications.absolute, *contraindications.relative]
            yield decline(
                Code.spine_vertebral_augmentation,
                [f"{label}: Bilsky ESCC {lesion.escc_grade.value}."] + [f.text for f in found],
                sources_of(found),
                lesion_index=index,
            )
            continue
        reasons = [facts.VERTEBRAL_AUGMENTATION_INDICATION, facts.CAFE_RESULT, facts.AUGMENTATION_DOES_NOT_TREAT_TUMOUR]
        yield recommend(
            Code.spine_vertebral_augmentation,
            Priority.routine,
            Step.treatment,
            f"Consider kyphoplasty or vertebroplasty of {lesion.level.value if lesion.level else 'the vertebra'} "
            "for the painful compression fracture, with radiotherapy.",
            [f"{label}: painful vertebral compression fracture without epidural extension (ESCC 0)."]
            + [f.text for f in reasons],
            sources_of(reasons),
            lesion_index=index,
        )


def en_bloc_resection(ctx: Context) -> Iterator[Finding]:
    cancer = ctx.case.cancer
    if cancer.history is not CancerHistory.known_primary or not ctx.solitary_lesion:
        return
    years = ctx.years_since_diagnosis
    verdict = facts.en_bloc_resection_assessment(
        primary=cancer.primary,
        # One lesion listed is solitary only once whole-body staging has looked for others.
        solitary_bone_lesion=True if ctx.whole_body_staging_done else None,
        months_since_primary_diagnosis=years * 12 if years is not None else None,
        primary_controlled=cancer.primary_treated,
        visceral_metastases=cancer.visceral_metastases,
        visceral_metastases_resectable=cancer.visceral_metastases_resectable,
    )
    index = 0 if len(ctx.case.lesions) == 1 else None
    citations = sources_of(list(verdict.statements))
    if verdict.candidate is not False:
        yield from _en_bloc_gaps(ctx)
    if verdict.candidate is True:
        yield recommend(
            Code.surgery_en_bloc_resection,
            Priority.routine,
            Step.treatment,
            "Refer to orthopaedic oncology to consider en bloc excision of the solitary metastasis.",
            ["Met: " + "; ".join(verdict.met) + "."] + [f.text for f in verdict.statements],
            citations,
            lesion_index=index,
        )
    elif verdict.candidate is None:
        yield recommend(
            Code.surgery_en_bloc_resection,
            Priority.consider,
            Step.treatment,
            "Possible candidate for en bloc excision of the solitary metastasis: establish "
            + "; ".join(verdict.unknown)
            + ".",
            (["Met: " + "; ".join(verdict.met) + "."] if verdict.met else []) + [f.text for f in verdict.statements],
            citations,
            lesion_index=index,
        )
    else:
        yield decline(
            Code.surgery_en_bloc_resection,
            ["Not met: " + "; ".join(verdict.not_met) + "."],
            citations,
            lesion_index=index,
        )


def _en_bloc_gaps(ctx: Context) -> Iterator[Finding]:
    """While en bloc excision is still open, the interval since diagnosis and control of the primary decide it."""
    cancer = ctx.case.cancer
    if cancer.diagnosed_on is None:
        yield missing(
            "cancer.diagnosed_on",
            f"En bloc excision of a solitary metastasis is considered only more than "
            f"{facts.EN_BLOC_MIN_MONTHS_AFTER_PRIMARY:g} months after the primary was diagnosed.",
        )
    if cancer.primary_treated is None:
        yield missing(
            "cancer.primary_treated",
            "En bloc excision of a solitary metastasis is considered only with the primary removed or controlled.",
        )
