"""Bone-modifying agents: which one, at what renal dose, and what must come first.

Agent choice by primary and renal function follows the newest guidelines (ASCO 2017 breast,
ASCO 2020 prostate, ESMO 2020); zoledronic acid is dosed by baseline Cockcroft-Gault
clearance from the Zometa label table; pamidronate takes the Aredia regimen for the primary
(myeloma: 4-hour infusion monthly; otherwise 2-hour infusion every 3-4 weeks); a dental
examination comes before the first dose (ASCO); calcium and vitamin D accompany the agent
unless the patient is hypercalcaemic.
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import drugs
from bonemet.knowledge import emergencies as emergency_facts
from bonemet.knowledge.guideline_sources import Fact
from bonemet.model import Dose
from bonemet.model.vocabulary import BoneModifyingAgent, Code, Priority, Step
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, missing, recommend, sources_of

NO_AGENT = (None, BoneModifyingAgent.none)
AGENT_CODES: dict[BoneModifyingAgent, Code] = {
    BoneModifyingAgent.zoledronic_acid: Code.bma_zoledronic_acid,
    BoneModifyingAgent.denosumab: Code.bma_denosumab,
    BoneModifyingAgent.pamidronate: Code.bma_pamidronate,
}


def bone_metastases_established(ctx: Context, metastatic: bool) -> bool:
    return metastatic and ctx.any_lesion


def on_agent(ctx: Context) -> BoneModifyingAgent | None:
    agent = ctx.case.treatment.bone_modifying_agent
    return agent if agent not in NO_AGENT else None


def planned_agent(ctx: Context, metastatic: bool) -> BoneModifyingAgent | None:
    """The agent the patient is on, or the one this plan starts; None when none is due."""
    current = on_agent(ctx)
    if current is not None:
        return current
    if not bone_metastases_established(ctx, metastatic):
        return None
    choice = ctx.agent_choice
    return choice.options[0] if choice.recommended and choice.options else None


def _corrected_calcium(ctx: Context) -> float | None:
    labs = ctx.case.labs
    if labs.calcium_mg_dl is None:
        return None
    if labs.albumin_g_dl is None:
        return labs.calcium_mg_dl
    return emergency_facts.corrected_calcium_mg_dl(labs.calcium_mg_dl, labs.albumin_g_dl)


def _hypercalcaemic(ctx: Context) -> bool:
    corrected = _corrected_calcium(ctx)
    return corrected is not None and corrected > emergency_facts.DEFAULT_UPPER_LIMIT_OF_NORMAL_MG_DL


def _zoledronic_dose(ctx: Context) -> tuple[Dose | None, str]:
    crcl = ctx.crcl_ml_min
    if crcl is None:
        return None, "dose by baseline creatinine clearance (not yet calculable: see missing data)"
    row = drugs.zoledronic_acid_dose(crcl)
    if row is None:
        return None, "not recommended below a creatinine clearance of 30 mL/min"
    dose = Dose(
        value=row.dose_mg,
        unit="mg",
        route="IV over at least 15 minutes",
        interval="every 3-4 weeks (every 12 weeks is an accepted alternative)",
        basis=f"creatinine clearance {crcl:.0f} mL/min (Cockcroft-Gault, actual body weight): "
        f"label band {row.crcl_band} mL/min",
    )
    return dose, f"{row.dose_mg:g} mg IV every 3-4 weeks"


def _pamidronate_dose(regimen: drugs.PamidronateRegimen) -> tuple[Dose, str]:
    """The Aredia regimen as a dose: 4-hour infusion monthly in myeloma, else 2-hour every 3-4 weeks."""
    dose = Dose(
        value=regimen.dose_mg,
        unit="mg",
        route=f"IV {regimen.infusion}",
        interval=regimen.interval,
        basis=f"Aredia label dose for {regimen.indication}; no creatinine-clearance dose table "
        "(not recommended in severe renal impairment)",
    )
    return dose, regimen.text


def _agent_recommendation(
    ctx: Context, agent: BoneModifyingAgent, priority: Priority, choice: drugs.AgentChoice
) -> Finding:
    drug = drugs.drug(agent)
    dose: Dose | None = None
    used: list[Fact] = list(choice.statements)
    if agent is BoneModifyingAgent.zoledronic_acid:
        dose, dose_text = _zoledronic_dose(ctx)
        used += [drug.renal_rule, drugs.CREATININE_BEFORE_EACH_BISPHOSPHONATE, drugs.ZOLEDRONIC_ACID_HOLD_RULE]
    elif agent is BoneModifyingAgent.pamidronate:
        regimen = drugs.pamidronate_regimen(ctx.case.cancer.primary)
        dose, dose_text = _pamidronate_dose(regimen)
        used += [regimen.statement, *drugs.PAMIDRONATE_RENAL_CAUTIONS]
    else:  # denosumab
        dose_text = drug.dose_text
        dose = Dose(
            value=drug.dose_mg,
            unit="mg",
            route=drug.route,
            interval=drug.interval,
            basis=f"{drug.oncology_product} label oncology dose; no renal adjustment",
        )
        used.append(drugs.DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST)
        caution = drugs.denosumab_renal_caution(ctx.crcl_ml_min)
        if caution is not None:
            used.append(caution)
    unique = list(dict.fromkeys(used))
    reasons = [
        f"Bone metastases from {ctx.case.cancer.primary or 'a solid tumour'}: a bone-modifying "
        "agent lowers the risk of skeletal-related events."
    ]
    reasons += [f.text for f in unique]
    if choice.guideline_differences:
        reasons.append(choice.guideline_differences)
    reasons.append(drugs.BMA_NOT_ALONE_FOR_PAIN.text)
    return recommend(
        AGENT_CODES[agent],
        priority,
        Step.supportive,
        f"{drug.generic_name.capitalize()} ({drug.oncology_product}) {dose_text}.",
        reasons,
        sources_of([*unique, drugs.BMA_NOT_ALONE_FOR_PAIN]),
        dose=dose,
    )


def bone_modifying_agent(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    if on_agent(ctx) is not None or not bone_metastases_established(ctx, metastatic):
        return
    choice = ctx.agent_choice
    if not choice.recommended:
        yield decline(
            Code.bma_zoledronic_acid,
            [f.text for f in choice.statements],
            sources_of(choice.statements),
        )
        return
    first, *others = choice.options
    yield _agent_recommendation(ctx, first, Priority.routine, choice)
    for other in others:
        yield _agent_recommendation(ctx, other, Priority.consider, choice)
    if ctx.crcl_ml_min is None and first is BoneModifyingAgent.zoledronic_acid:
        yield missing("labs.creatinine_mg_dl", "The zoledronic acid dose is set by creatinine clearance.")
    yield from _renal_exclusions(ctx)


def _renal_exclusions(ctx: Context) -> Iterator[Finding]:
    crcl = ctx.crcl_ml_min
    if crcl is None:
        return
    za_reason = drugs.zoledronic_acid_not_recommended_reason(crcl)
    if za_reason is not None:
        yield decline(
            Code.bma_zoledronic_acid,
            [f"Creatinine clearance {crcl:.0f} mL/min.", za_reason.text],
            [za_reason.citation],
        )
    pam_reason = drugs.pamidronate_not_recommended_reason(crcl)
    if pam_reason is not None:
        yield decline(
            Code.bma_pamidronate,
            [f"Creatinine clearance {crcl:.0f} mL/min.", pam_reason.text],
            [pam_reason.citation],
        )


def dental_evaluation(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    agent = planned_agent(ctx, metastatic)
    if agent is None or ctx.case.treatment.dental_evaluation_done:
        return
    facts_used = [
        drugs.DENTAL_EXAMINATION_BEFORE_BMA,
        drugs.ONJ_INCIDENCE_ZOLEDRONIC_ACID,
        drugs.ONJ_INCIDENCE_DENOSUMAB_VS_ZA,
    ]
    started = on_agent(ctx) is not None
    yield recommend(
        Code.bma_dental_evaluation,
        Priority.routine,
        Step.supportive,
        "Dental examination and preventive dentistry"
        + (" now (already on a bone-modifying agent)." if started else " before the first dose."),
        [f.text for f in facts_used],
        sources_of(facts_used),
    )


def calcium_and_vitamin_d(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    agent = planned_agent(ctx, metastatic)
    if agent is None:
        return
    if _hypercalcaemic(ctx):
        yield decline(
            Code.bma_calcium_vitamin_d,
            ["Calcium is raised: no calcium supplement until it is normal."],
            sources_of([s.statement for s in (drugs.DENOSUMAB_SUPPLEMENT,)]),
        )
        return
    supplement = drugs.calcium_vitamin_d_supplement(agent, hypercalcaemic=False)
    if supplement is None:
        return
    yield recommend(
        Code.bma_calcium_vitamin_d,
        Priority.routine,
        Step.supportive,
        f"Calcium {supplement.calcium_mg_daily:g} mg and vitamin D {supplement.vitamin_d_iu_daily:g} IU daily.",
        [supplement.statement.text],
        [supplement.statement.citation],
    )
