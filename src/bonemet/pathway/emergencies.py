"""Emergencies first: metastatic spinal cord compression and hypercalcaemia of malignancy.

MSCC is suspected with high-grade epidural compression (Bilsky ESCC 2-3) or a neurological
deficit in a patient with a spinal lesion or known cancer (NICE NG234; Bilsky 2010).
Hypercalcaemia is judged on albumin-corrected calcium (Zometa label formula) and graded
by the Endocrine Society 2023 guideline.
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import emergencies as facts
from bonemet.knowledge.citations import unique_citations
from bonemet.knowledge.guideline_sources import Fact
from bonemet.knowledge.imaging import HYPERCALCAEMIA_WORKUP, MSCC_WHOLE_SPINE_MRI
from bonemet.knowledge.radiosensitivity import Radiosensitivity, radiosensitivity
from bonemet.model import Dose, Labs
from bonemet.model.vocabulary import Code, Modality, NeurologicDeficit, Priority, Step
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, lesion_label, missing, recommend, sources_of
from bonemet.scores import escc


def _mscc_triggers(ctx: Context) -> list[str]:
    p = ctx.case.presentation
    triggers = []
    for index, lesion in ctx.high_grade_escc:
        grade = lesion.escc_grade
        assert grade is not None
        triggers.append(
            f"{lesion_label(index, 'spine', lesion.level)}: Bilsky ESCC grade {grade.value} "
            f"({escc.DEFINITIONS[grade]})."
        )
    deficit = p.neurologic_deficit not in (None, NeurologicDeficit.none)
    if (deficit or p.neurologic_deficit_new) and (ctx.spinal_lesions or ctx.known_cancer):
        kind = "new or progressing" if p.neurologic_deficit_new else "present"
        severity = p.neurologic_deficit.value if p.neurologic_deficit else "unspecified"
        triggers.append(f"Neurological deficit ({severity}, {kind}) with known cancer or a spinal lesion.")
    return triggers


def _expected_survival_months(ctx: Context) -> float | None:
    return ctx.expected_survival_months


def cord_compression(ctx: Context) -> Iterator[Finding]:
    triggers = _mscc_triggers(ctx)
    if not triggers:
        return
    p = ctx.case.presentation
    neuro = None if p.neurologic_deficit is None else p.neurologic_deficit is not NeurologicDeficit.none
    sensitivity = radiosensitivity(ctx.case.cancer.primary, ctx.case.cancer.histology)
    candidacy = facts.mscc_surgical_candidacy(
        neurological_sign_or_symptom=neuro or bool(p.neurologic_deficit_new) or None,
        single_area_of_compression=(len(ctx.high_grade_escc) == 1) if ctx.high_grade_escc else None,
        expected_survival_months=_expected_survival_months(ctx),
        radiosensitive_tumour=None if sensitivity is None else sensitivity is Radiosensitivity.sensitive,
        paraplegia_hours=0.0 if p.neurologic_deficit is not NeurologicDeficit.complete else None,
        fit_for_surgery=None,
    )
    steps = [f"Dexamethasone {facts.MSCC_DEXAMETHASONE_MG_PER_DAY:g} mg now, then daily"]
    if not ctx.done(Modality.mri):
        steps.append(f"MRI of the whole spine within {facts.MSCC_MRI_HOURS} hours")
    steps.append("same-day spine surgery and radiation oncology opinion")
    reasons = [*triggers, facts.MSCC_DEXAMETHASONE.text, facts.MSCC_RT_WITH_DEXAMETHASONE.text]
    used: list[Fact] = [facts.MSCC_DEXAMETHASONE, facts.MSCC_RT_WITH_DEXAMETHASONE, facts.MSCC_DEXAMETHASONE_STOP]
    if candidacy.candidate is True:
        reasons.append("Meets the Patchell criteria: " + "; ".join(candidacy.met) + ".")
        reasons.append(facts.PATCHELL_RESULT.text)
        used.append(facts.PATCHELL_RESULT)
    elif candidacy.candidate is False:
        reasons.append(
            "Does not meet the Patchell surgical criteria (" + "; ".join(candidacy.not_met) + "): "
            "radiation with dexamethasone is the usual treatment."
        )
        used.append(facts.PATCHELL_RESULT)
    else:
        reasons.append(
            "Surgical decompression plus radiation beats radiation alone in selected patients; still to "
            "establish: " + "; ".join(candidacy.unknown) + "."
        )
        used.append(facts.PATCHELL_RESULT)
    reasons.append(facts.MSCC_DEXAMETHASONE_STOP.text)
    citations = sources_of(used)
    if not ctx.done(Modality.mri):
        citations.append(MSCC_WHOLE_SPINE_MRI.reason.citation)
    yield recommend(
        Code.urgent_mscc,
        Priority.emergency,
        Step.emergency,
        "Suspected metastatic spinal cord compression: " + "; ".join(steps) + ".",
        reasons,
        unique_citations(citations),
        lesion_index=ctx.high_grade_escc[0][0] if ctx.high_grade_escc else None,
        dose=Dose(
            value=facts.MSCC_DEXAMETHASONE_MG_PER_DAY,
            unit="mg",
            route="oral or IV",
            interval="daily (loading dose then daily, tapered after definitive treatment)",
            basis="dexamethasone for neurological signs of cord compression (NICE NG234)",
        ),
    )


def _calcium_basis(labs: Labs, corrected: float) -> str:
    if labs.albumin_g_dl is None:
        return f"measured calcium {corrected:.1f} mg/dL (albumin unknown: not corrected)"
    return (
        f"albumin-corrected calcium {corrected:.1f} mg/dL (measured {labs.calcium_mg_dl:.1f}, "
        f"albumin {labs.albumin_g_dl:.1f} g/dL)"
    )


def hypercalcaemia(ctx: Context) -> Iterator[Finding]:
    labs = ctx.case.labs
    if labs.calcium_mg_dl is None:
        return
    if labs.albumin_g_dl is None:
        corrected = labs.calcium_mg_dl
        if labs.calcium_mg_dl > facts.DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL:
            yield missing("labs.albumin_g_dl", "Calcium is raised; albumin is needed to correct it.")
    else:
        corrected = facts.corrected_calcium_mg_dl(labs.calcium_mg_dl, labs.albumin_g_dl)
    plan = facts.hypercalcaemia_plan(corrected, crcl_ml_min=ctx.crcl_ml_min)
    if plan.grade is facts.HypercalcaemiaGrade.none:
        return
    basis = _calcium_basis(labs, corrected)
    severe_or_moderate = plan.grade in (facts.HypercalcaemiaGrade.moderate, facts.HypercalcaemiaGrade.severe)
    priority = Priority.emergency if severe_or_moderate else Priority.urgent
    action = (
        "IV saline, then an antiresorptive (denosumab or zoledronic acid 4 mg IV)"
        + (", with calcitonin as a bridge" if plan.grade is facts.HypercalcaemiaGrade.severe else "")
        if severe_or_moderate
        else "IV or oral hydration and recheck; treat as below if symptomatic"
    )
    reasons = [f"{plan.grade.value.capitalize()} hypercalcaemia: {basis}.", facts.CORRECTED_CALCIUM_FORMULA.text]
    reasons += [step.text for step in plan.steps] + [HYPERCALCAEMIA_WORKUP.text]
    if plan.note:
        reasons.append(plan.note)
    yield recommend(
        Code.urgent_hypercalcemia,
        priority,
        Step.emergency,
        f"Hypercalcaemia of malignancy ({plan.grade.value}): {action}. Check PTH, PTHrP and vitamin D.",
        reasons,
        sources_of([facts.GRADE_SOURCES, facts.CORRECTED_CALCIUM_FORMULA, *plan.steps, HYPERCALCAEMIA_WORKUP]),
    )
