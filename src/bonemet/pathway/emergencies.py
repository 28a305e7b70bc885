"""Emergencies first: metastatic spinal cord compression and hypercalcaemia of malignancy.

MSCC is suspected with high-grade epidural compression (Bilsky ESCC 2-3) or a neurological
deficit in a patient with a spinal lesion or known cancer (NICE NG234; Bilsky 2010).
Hypercalcaemia is judged on albumin-corrected calcium (Zometa label formula) and graded
by the Endocrine Society 2023 guideline.
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import emergencies as facts
from bonemet.knowledge import safety
from bonemet.knowledge.citations import unique_citations
from bonemet.knowledge.drugs import DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW
from bonemet.knowledge.guideline_sources import Fact
from bonemet.knowledge.imaging import HYPERCALCAEMIA_WORKUP, MSCC_WHOLE_SPINE_MRI
from bonemet.knowledge.radiosensitivity import Radiosensitivity, radiosensitivity
from bonemet.model import Dose, Labs
from bonemet.model.vocabulary import CancerHistory, Code, Modality, NeurologicDeficit, Primary, Priority, Step
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, lesion_label, missing, recommend, sources_of
from bonemet.scores import escc
from bonemet.scores.crcl import shown as crcl_shown


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


def whole_spine_mri_ordered_as_emergency(ctx: Context) -> bool:
    """The cord-compression rule orders the whole-spine MRI itself; the work-up must not order it twice."""
    return bool(_mscc_triggers(ctx)) and not ctx.done(Modality.mri)


def _expected_survival_months(ctx: Context) -> float | None:
    """The clinician's estimate when given, else the Katagiri lower bound on median survival."""
    outlook = ctx.life_expectancy
    return None if outlook is None else outlook.at_least_months


def _neurological_signs(ctx: Context) -> bool | None:
    """Neurological symptoms or signs of cord compression: True, False (examined, none) or None (unknown)."""
    p = ctx.case.presentation
    if p.neurologic_deficit_new or p.neurologic_deficit in (NeurologicDeficit.incomplete, NeurologicDeficit.complete):
        return True
    if p.neurologic_deficit is NeurologicDeficit.none:
        return False
    return None


def _haematological(ctx: Context) -> str | None:
    """'known' for myeloma or lymphoma; 'possible' when no cancer is known (lymphoma not excluded)."""
    primary = ctx.case.cancer.primary
    if primary in (Primary.myeloma, Primary.lymphoma):
        return "known"
    if primary is None and ctx.case.cancer.history in (None, CancerHistory.none, CancerHistory.unknown_primary):
        return "possible"
    return None


def _paraplegia_hours(ctx: Context) -> float | None:
    p = ctx.case.presentation
    if p.neurologic_deficit is not NeurologicDeficit.complete:
        return 0.0 if p.neurologic_deficit is not None else None
    return p.hours_since_loss_of_ambulation


def _surgical_candidacy_lines(ctx: Context, neuro: bool | None) -> tuple[list[str], list[Fact]]:
    sensitivity = radiosensitivity(ctx.case.cancer.primary, ctx.case.cancer.histology)
    candidacy = facts.mscc_surgical_candidacy(
        neurological_sign_or_symptom=neuro,
        single_area_of_compression=(len(ctx.high_grade_escc) == 1) if ctx.high_grade_escc else None,
        expected_survival_months=_expected_survival_months(ctx),
        radiosensitive_tumour=None if sensitivity is None else sensitivity is Radiosensitivity.sensitive,
        paraplegia_hours=_paraplegia_hours(ctx),
        fit_for_surgery=None,
    )
    if candidacy.candidate is True:
        lines = ["Meets the Patchell criteria: " + "; ".join(candidacy.met) + ".", facts.PATCHELL_RESULT.text]
    elif candidacy.candidate is False:
        lines = [
            "Does not meet the Patchell surgical criteria (" + "; ".join(candidacy.not_met) + "): "
            "radiation (with dexamethasone when there are neurological signs) is the usual treatment."
        ]
    else:
        lines = [
            "Surgical decompression plus radiation beats radiation alone in selected patients; still to "
            "establish: " + "; ".join(candidacy.unknown) + "."
        ]
    outlook = ctx.life_expectancy
    if outlook is not None and outlook.from_clinician:
        lines.append(f"Expected survival from {outlook.source}.")
    return lines, [facts.PATCHELL_RESULT]


def _steroid_lines(ctx: Context, neuro: bool | None) -> tuple[str | None, list[str], list[Fact]]:
    """The steroid step for the headline (None: no steroid now), with reasons and facts."""
    haem = _haematological(ctx)
    if neuro is False:
        return None, [facts.MSCC_DEXAMETHASONE_WITHOUT_NEURO.text], [facts.MSCC_DEXAMETHASONE_WITHOUT_NEURO]
    dose = f"dexamethasone {facts.MSCC_DEXAMETHASONE_MG_PER_DAY:g} mg"
    if neuro is None:
        step = f"examine now: with neurological symptoms or signs give {dose} at once, then daily"
        used = [facts.MSCC_DEXAMETHASONE, facts.MSCC_DEXAMETHASONE_WITHOUT_NEURO]
    else:
        step = f"{dose.capitalize()} now, then daily"
        used = [facts.MSCC_DEXAMETHASONE, facts.MSCC_RT_WITH_DEXAMETHASONE, facts.MSCC_DEXAMETHASONE_STOP]
    if haem == "known":
        used.append(facts.MSCC_HAEMATOLOGICAL)
    elif haem == "possible":
        used.append(safety.STEROIDS_BEFORE_LYMPHOMA_BIOPSY)
        step += " (no cancer known: lymphoma is possible, so discuss with haematology before further steroids)"
    return step, [f.text for f in used], used


def cord_compression(ctx: Context) -> Iterator[Finding]:
    triggers = _mscc_triggers(ctx)
    if not triggers:
        return
    neuro = _neurological_signs(ctx)
    steroid, steroid_reasons, used = _steroid_lines(ctx, neuro)
    steps = [steroid] if steroid else []
    mri_needed = not ctx.done(Modality.mri)
    if mri_needed:
        steps.append(
            f"MRI of the whole spine within {facts.MSCC_MRI_HOURS} hours"
            if neuro is not False
            else "MRI of the whole spine"
        )
    if neuro is False:
        steps.append("urgent spine surgery and oncology opinion (same or next day)")
        used = [safety.HIGH_GRADE_ESCC_WITHOUT_DEFICIT, *used]
    else:
        steps.append("same-day spine surgery and radiation oncology opinion")
    candidacy_lines, candidacy_facts = _surgical_candidacy_lines(ctx, neuro)
    used += candidacy_facts
    reasons = [*triggers]
    if neuro is False:
        reasons.append(
            "Neurological examination recorded as normal: high-grade compression on imaging alone is urgent, "
            "not a steroid emergency. " + safety.HIGH_GRADE_ESCC_WITHOUT_DEFICIT.text
        )
    elif neuro is None:
        reasons.append("Neurological status not recorded: examine now; it decides steroids and timing.")
    reasons += steroid_reasons + candidacy_lines
    citations = sources_of(used)
    if mri_needed:
        citations.append(MSCC_WHOLE_SPINE_MRI.reason.citation)
    headline = (
        "High-grade epidural compression without neurological deficit: "
        if neuro is False
        else "Suspected metastatic spinal cord compression: "
    )
    yield recommend(
        Code.urgent_mscc,
        Priority.urgent if neuro is False else Priority.emergency,
        Step.emergency,
        headline + "; ".join(steps) + ".",
        reasons,
        unique_citations(citations),
        lesion_index=ctx.high_grade_escc[0][0] if ctx.high_grade_escc else None,
        dose=_dexamethasone_dose() if neuro is True else None,
    )
    if mri_needed:
        yield _whole_spine_mri_order(ctx, neuro)


def _dexamethasone_dose() -> Dose:
    return Dose(
        value=facts.MSCC_DEXAMETHASONE_MG_PER_DAY,
        unit="mg",
        route="oral or IV",
        interval="daily (loading dose then daily, tapered after definitive treatment)",
        basis="dexamethasone for neurological signs of cord compression (NICE NG234)",
    )


def _whole_spine_mri_order(ctx: Context, neuro: bool | None) -> Finding:
    """The MRI as its own order, so an EHR that orders by code gets it (not only inside the emergency text)."""
    urgent_only = neuro is False
    return recommend(
        Code.imaging_mri,
        Priority.urgent if urgent_only else Priority.emergency,
        Step.emergency,
        "MRI of the whole spine"
        + ("" if urgent_only else f" within {facts.MSCC_MRI_HOURS} hours")
        + " (CT if MRI is contraindicated).",
        [
            "Suspected cord compression: the whole spine is imaged because compression is often at more than "
            "one level.",
            MSCC_WHOLE_SPINE_MRI.reason.text,
        ],
        [MSCC_WHOLE_SPINE_MRI.reason.citation],
        lesion_index=ctx.high_grade_escc[0][0] if ctx.high_grade_escc else None,
    )


def _calcium_basis(labs: Labs, corrected: float) -> str:
    if labs.albumin_g_dl is None:
        return f"measured calcium {corrected:.1f} mg/dL (albumin unknown: not corrected)"
    return (
        f"albumin-corrected calcium {corrected:.1f} mg/dL (measured {labs.calcium_mg_dl:.1f}, "
        f"albumin {labs.albumin_g_dl:.1f} g/dL)"
    )


def _ionised_calcium_normal(ctx: Context) -> bool:
    ionised = ctx.case.labs.ionized_calcium_mmol_l
    return ionised is not None and ionised <= safety.DEFAULT_IONIZED_CALCIUM_UPPER_LIMIT_MMOL_L


def _low_albumin(ctx: Context) -> bool:
    albumin = ctx.case.labs.albumin_g_dl
    return albumin is not None and albumin < safety.DEFAULT_ALBUMIN_LOWER_LIMIT_G_DL


def _renal_failure(ctx: Context) -> bool:
    crcl = ctx.crcl_ml_min
    return bool(ctx.case.patient.dialysis) or (crcl is not None and crcl < DENOSUMAB_HYPOCALCAEMIA_RISK_CRCL_BELOW)


def _antiresorptive_choice(ctx: Context) -> tuple[str, list[str], list[Fact]]:
    """The antiresorptive named for this patient, consistent with the rest of the plan."""
    creatinine = ctx.case.labs.creatinine_mg_dl
    if _renal_failure(ctx):
        crcl = ctx.crcl_ml_min
        where = (
            "on dialysis"
            if ctx.case.patient.dialysis or crcl is None
            else f"creatinine clearance {crcl_shown(crcl)} mL/min"
        )
        label_ok = (
            creatinine is not None and creatinine < facts.ZOLEDRONIC_ACID_HCM_NO_ADJUSTMENT_BELOW_CREATININE_MG_DL
        )
        label_line = (
            f"Zoledronic acid 4 mg is labelled for hypercalcaemia only with serum creatinine < 4.5 mg/dL "
            f"(here {creatinine:g} mg/dL"
            + ("; an alternative if denosumab cannot be given)." if label_ok else ": not suitable).")
            if creatinine is not None
            else "Zoledronic acid 4 mg is labelled for hypercalcaemia only with serum creatinine < 4.5 mg/dL."
        )
        return (
            f"denosumab 120 mg SC ({where}: preferred in renal failure; monitor calcium closely afterwards)",
            [safety.DENOSUMAB_IN_RENAL_FAILURE_HCM.text, label_line],
            [safety.DENOSUMAB_IN_RENAL_FAILURE_HCM, facts.DENOSUMAB_RENAL_FAILURE],
        )
    return "an antiresorptive (denosumab or zoledronic acid 4 mg IV)", [], []


def hypercalcaemia(ctx: Context) -> Iterator[Finding]:
    labs = ctx.case.labs
    if labs.calcium_mg_dl is None:
        return
    corrected = ctx.corrected_calcium_mg_dl
    assert corrected is not None
    if labs.albumin_g_dl is None and labs.calcium_mg_dl > facts.DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL:
        yield missing("labs.albumin_g_dl", "Calcium is raised; albumin is needed to correct it.")
    plan = facts.hypercalcaemia_plan(corrected, crcl_ml_min=ctx.crcl_ml_min)
    if plan.grade is facts.HypercalcaemiaGrade.none:
        return
    basis = _calcium_basis(labs, corrected)
    if _ionised_calcium_normal(ctx):
        yield decline(
            Code.urgent_hypercalcemia,
            [
                f"{basis.capitalize()} is above the default upper limit, but ionised calcium "
                f"{labs.ionized_calcium_mmol_l:g} mmol/L is normal: the corrected value overstates the free "
                "calcium.",
                safety.IONIZED_CALCIUM_WHEN_ALBUMIN_LOW.text,
                safety.IONIZED_CALCIUM_LIMIT.text,
            ],
            sources_of([safety.IONIZED_CALCIUM_WHEN_ALBUMIN_LOW, safety.IONIZED_CALCIUM_LIMIT]),
        )
        return
    severe_or_moderate = plan.grade in (facts.HypercalcaemiaGrade.moderate, facts.HypercalcaemiaGrade.severe)
    symptomatic_mild = plan.grade is facts.HypercalcaemiaGrade.mild and ctx.case.presentation.hypercalcemia_symptoms
    agent, agent_reasons, agent_facts = _antiresorptive_choice(ctx)
    if severe_or_moderate or symptomatic_mild:
        action = f"IV saline, then {agent}" + (
            ", with calcitonin as a bridge" if plan.grade is facts.HypercalcaemiaGrade.severe else ""
        )
    else:
        action = f"IV or oral hydration and recheck; if symptoms develop, {agent}"
    reasons = [f"{plan.grade.value.capitalize()} hypercalcaemia: {basis}.", facts.CORRECTED_CALCIUM_FORMULA.text]
    if symptomatic_mild:
        reasons.append("Mild but symptomatic: treated like moderate hypercalcaemia (antiresorptive with hydration).")
    reasons += agent_reasons
    reasons += [step.text for step in plan.steps] + [HYPERCALCAEMIA_WORKUP.text]
    if plan.note:
        reasons.append(plan.note)
    reasons.append(safety.UPPER_LIMIT_IS_A_DEFAULT)
    confirm_ionised = _low_albumin(ctx) and labs.ionized_calcium_mmol_l is None
    if confirm_ionised:
        reasons.append(f"Albumin {labs.albumin_g_dl:g} g/dL is low: {safety.IONIZED_CALCIUM_WHEN_ALBUMIN_LOW.text}")
    elif labs.ionized_calcium_mmol_l is not None:
        reasons.append(f"Ionised calcium {labs.ionized_calcium_mmol_l:g} mmol/L is raised: confirms it.")
    priority = Priority.emergency if severe_or_moderate else Priority.urgent
    yield recommend(
        Code.urgent_hypercalcemia,
        priority,
        Step.emergency,
        f"Hypercalcaemia of malignancy ({plan.grade.value}): {action}. Check PTH, PTHrP and vitamin D.",
        reasons,
        sources_of(
            [facts.GRADE_SOURCES, facts.CORRECTED_CALCIUM_FORMULA, *agent_facts, *plan.steps, HYPERCALCAEMIA_WORKUP]
        ),
    )
    if confirm_ionised:
        yield recommend(
            Code.lab_ionized_calcium,
            Priority.urgent,
            Step.emergency,
            "Ionised calcium, to confirm hypercalcaemia while albumin is low.",
            [safety.IONIZED_CALCIUM_WHEN_ALBUMIN_LOW.text, safety.IONIZED_CALCIUM_LIMIT.text],
            sources_of([safety.IONIZED_CALCIUM_WHEN_ALBUMIN_LOW, safety.IONIZED_CALCIUM_LIMIT]),
        )


def hypocalcaemia(ctx: Context) -> Iterator[Finding]:
    """Low corrected calcium: graded (CTCAE v5.0), corrected first (Society for Endocrinology), and it holds
    denosumab (Xgeva contraindication) and every bone-modifying agent until corrected."""
    if not ctx.hypocalcaemic:
        return
    labs = ctx.case.labs
    corrected = ctx.corrected_calcium_mg_dl
    assert corrected is not None
    grade = ctx.hypocalcaemia
    severe = corrected < safety.SFE_SEVERE_BELOW_MG_DL
    basis = _calcium_basis(labs, corrected)
    step = (
        "IV calcium gluconate with ECG monitoring (10-20 mL of 10% in 50-100 mL 5% dextrose over 10 minutes, then "
        "an infusion), then oral calcium"
        if severe
        else "oral calcium, and treat the cause (vitamin D or magnesium deficiency); IV calcium if symptoms "
        "(paraesthesiae, cramps, tetany, prolonged QT) appear"
    )
    reasons = [
        f"Hypocalcaemia, {grade.value}: {basis}, below the lower limit of normal "
        f"({safety.DEFAULT_LOWER_LIMIT_OF_NORMAL_MG_DL:g} mg/dL, a default: use your laboratory's range).",
        safety.HYPOCALCAEMIA_GRADES.text,
        (safety.SEVERE_HYPOCALCAEMIA_IV_CALCIUM if severe else safety.MILD_HYPOCALCAEMIA_ORAL).text,
        safety.DENOSUMAB_CONTRAINDICATED_IN_HYPOCALCAEMIA.text,
        safety.BISPHOSPHONATE_AFTER_CALCIUM_CORRECTED.text,
    ]
    if _low_albumin(ctx) and labs.ionized_calcium_mmol_l is None:
        reasons.append("Albumin is low: an ionised calcium confirms the level.")
    for name, value, unit in (
        ("25-OH vitamin D", labs.vitamin_d_25oh_ng_ml, "ng/mL"),
        ("Magnesium", labs.magnesium_mg_dl, "mg/dL"),
    ):
        if value is not None:
            reasons.append(f"{name} {value:g} {unit}: correct a deficiency, or calcium will not stay up.")
    used = [
        safety.HYPOCALCAEMIA_GRADES,
        safety.SEVERE_HYPOCALCAEMIA_IV_CALCIUM if severe else safety.MILD_HYPOCALCAEMIA_ORAL,
        safety.DENOSUMAB_CONTRAINDICATED_IN_HYPOCALCAEMIA,
        safety.BISPHOSPHONATE_AFTER_CALCIUM_CORRECTED,
    ]
    yield recommend(
        Code.urgent_hypocalcemia,
        Priority.emergency if severe else Priority.urgent,
        Step.emergency,
        f"Low calcium ({grade.value}, corrected {corrected:.1f} mg/dL): {step}. Hold denosumab and do not start "
        "any bone-modifying agent until calcium is normal.",
        reasons,
        sources_of(used),
    )
    unknown = [
        name
        for name, value in (("25-OH vitamin D", labs.vitamin_d_25oh_ng_ml), ("magnesium", labs.magnesium_mg_dl))
        if value is None
    ]
    if unknown:
        yield recommend(
            Code.lab_hypocalcemia_workup,
            Priority.urgent,
            Step.emergency,
            "Bloods for low calcium: " + ", ".join(unknown) + ", phosphate and PTH.",
            [safety.HYPOCALCAEMIA_INVESTIGATIONS.text],
            sources_of([safety.HYPOCALCAEMIA_INVESTIGATIONS]),
        )
