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

from bonemet.knowledge import drugs, safety
from bonemet.knowledge import emergencies as emergency_facts
from bonemet.knowledge.guideline_sources import ESMO_2020, Fact
from bonemet.model import Dose
from bonemet.model.vocabulary import BoneModifyingAgent, Code, Primary, Priority, Step
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, missing, recommend, sources_of
from bonemet.scores.crcl import shown as crcl_shown

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


def _hypercalcaemic(ctx: Context) -> bool:
    corrected = ctx.corrected_calcium_mg_dl
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
        basis=f"creatinine clearance {crcl_shown(crcl)} mL/min (Cockcroft-Gault, actual body weight): "
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
    ctx: Context,
    agent: BoneModifyingAgent,
    priority: Priority,
    choice: drugs.AgentChoice,
    cautions: list[str] | None = None,
    caution_facts: list[Fact] | None = None,
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
        caution = drugs.denosumab_renal_caution(ctx.crcl_ml_min, on_dialysis=bool(ctx.case.patient.dialysis))
        if caution is not None:
            used.append(caution)
    unique = list(dict.fromkeys(used))
    reasons = [*(cautions or [])]
    reasons.append(
        f"Bone metastases from {ctx.case.cancer.primary or 'a solid tumour'}: a bone-modifying "
        "agent lowers the risk of skeletal-related events."
    )
    if caution_facts:
        unique += [f for f in caution_facts if f not in unique]
    reasons += [f.text for f in unique]
    if choice.guideline_differences:
        reasons.append(choice.guideline_differences)
    reasons.append(drugs.BMA_NOT_ALONE_FOR_PAIN.text)
    prefix = "Once calcium is corrected: " if ctx.hypocalcaemic else ""
    return recommend(
        AGENT_CODES[agent],
        priority,
        Step.supportive,
        f"{prefix}{drug.generic_name.capitalize()} ({drug.oncology_product}) {dose_text}.",
        reasons,
        sources_of([*unique, drugs.BMA_NOT_ALONE_FOR_PAIN]),
        dose=dose,
    )


# ESMO 2020 ties the agent to a life expectancy of >= 3 months only for these "other" solid tumours.
_LIFE_EXPECTANCY_GATED = frozenset(set(Primary) - {Primary.breast, Primary.prostate, Primary.myeloma})


def _life_expectancy_gate(ctx: Context) -> tuple[bool | None, str | None]:
    """(short, why): short is True when known < 3 months, None when the sources cannot say but warn."""
    primary = ctx.case.cancer.primary
    if primary is not None and primary not in _LIFE_EXPECTANCY_GATED:
        return False, None
    outlook = ctx.life_expectancy
    if outlook is None:
        return False, None
    below = outlook.below(safety.BMA_LIFE_EXPECTANCY_MONTHS)
    if below is True:
        return True, (
            f"Life expectancy under 3 months ({outlook.source}): ESMO 2020 supports a bone-modifying agent in lung, "
            "renal and other solid tumours only with a life expectancy of at least 3 months."
        )
    if below is None and ctx.short_expected_survival:
        return None, (
            f"Expected survival may be under 3 months ({outlook.source}); ESMO 2020 supports an agent in these "
            "tumours only with a life expectancy of at least 3 months: confirm the prognosis first."
        )
    return False, None


def _patient_cautions(ctx: Context) -> tuple[list[str], list[Fact]]:
    """Patient-specific reasons to hold or defer the first dose (shown first, so they stand out)."""
    lines: list[str] = []
    used: list[Fact] = []
    if ctx.hypocalcaemic:
        lines.append(
            f"Calcium is low ({ctx.hypocalcaemia.value}): correct it first (see the low-calcium line); "
            + safety.BISPHOSPHONATE_AFTER_CALCIUM_CORRECTED.text
        )
        used.append(safety.BISPHOSPHONATE_AFTER_CALCIUM_CORRECTED)
    treatment = ctx.case.treatment
    if treatment.jaw_osteonecrosis_history:
        lines.append("History of osteonecrosis of the jaw: " + safety.ONJ_HISTORY_CAUTION.text)
        used.append(safety.ONJ_HISTORY_CAUTION)
    if treatment.dental_extraction:
        lines.append("Dental extraction planned or not yet healed: " + safety.EXTRACTION_BEFORE_AGENT.text)
        used.append(safety.EXTRACTION_BEFORE_AGENT)
    return lines, used


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
    if ctx.age.child:
        paediatric = [safety.ZOLEDRONIC_ACID_PAEDIATRIC, safety.DENOSUMAB_PAEDIATRIC]
        for agent in choice.options:
            yield decline(
                AGENT_CODES[agent],
                [
                    f"{ctx.case.patient.age_years:g} years old: the adult oncology doses are not established in "
                    "children; the paediatric oncology team decides.",
                    *(f.text for f in paediatric),
                ],
                sources_of(paediatric),
            )
        return
    short, short_why = _life_expectancy_gate(ctx)
    if short is True:
        for agent in choice.options:
            yield decline(AGENT_CODES[agent], [short_why or "", drugs.BMA_NOT_ALONE_FOR_PAIN.text], [ESMO_2020])
        return
    cautions, caution_facts = _patient_cautions(ctx)
    deferred = bool(cautions) or bool(short_why)
    if _hypercalcaemic(ctx):
        cautions.append(
            "Hypercalcaemia is treated first (see the emergency line): an antiresorptive given for it is the "
            "first dose; continue at the bone-metastasis dose and interval from then on. "
            + emergency_facts.ZOLEDRONIC_ACID_HCM_DOSE.text
        )
        caution_facts.append(emergency_facts.ZOLEDRONIC_ACID_HCM_DOSE)
    if short_why:
        cautions.insert(0, short_why)
    options = list(choice.options)
    if ctx.hypocalcaemic and BoneModifyingAgent.denosumab in options:
        options.remove(BoneModifyingAgent.denosumab)
        yield decline(
            Code.bma_denosumab,
            [
                f"Calcium is low ({ctx.hypocalcaemia.value}): denosumab is contraindicated until it is corrected; "
                "reconsider once calcium is normal.",
                safety.DENOSUMAB_CONTRAINDICATED_IN_HYPOCALCAEMIA.text,
            ],
            sources_of([safety.DENOSUMAB_CONTRAINDICATED_IN_HYPOCALCAEMIA]),
        )
    if not options:
        return
    first, *others = options
    yield _agent_recommendation(
        ctx, first, Priority.consider if deferred else Priority.routine, choice, cautions, caution_facts
    )
    for other in others:
        yield _agent_recommendation(ctx, other, Priority.consider, choice, cautions, caution_facts)
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
            [f"Creatinine clearance {crcl_shown(crcl)} mL/min.", za_reason.text],
            [za_reason.citation],
        )
    pam_reason = drugs.pamidronate_not_recommended_reason(crcl)
    if pam_reason is not None:
        yield decline(
            Code.bma_pamidronate,
            [f"Creatinine clearance {crcl_shown(crcl)} mL/min.", pam_reason.text],
            [pam_reason.citation],
        )


def dental_evaluation(ctx: Context, metastatic: bool) -> Iterator[Finding]:
    agent = planned_agent(ctx, metastatic)
    if agent is None:
        return
    if ctx.case.treatment.dental_evaluation_done is None:
        yield missing("treatment.dental_evaluation_done", "A dental examination is due before the planned agent.")
    if ctx.case.treatment.dental_evaluation_done:
        return
    facts_used = [
        drugs.DENTAL_EXAMINATION_BEFORE_BMA,
        safety.NO_ELECTIVE_DENTOALVEOLAR_SURGERY,
        safety.DENTAL_RECALL,
        drugs.ONJ_INCIDENCE_ZOLEDRONIC_ACID,
        drugs.ONJ_INCIDENCE_DENOSUMAB_VS_ZA,
    ]
    started = on_agent(ctx) is not None
    yield recommend(
        Code.bma_dental_evaluation,
        Priority.routine,
        Step.supportive,
        "Dental examination and preventive dentistry"
        + (" now (already on a bone-modifying agent)" if started else " before the first dose")
        + "; dental review about every 6 months and no elective extractions while on the agent.",
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
    if ctx.hypocalcaemic:
        yield recommend(
            Code.bma_calcium_vitamin_d,
            Priority.urgent,
            Step.supportive,
            "Correct the low calcium first (see the low-calcium line: replacement, not maintenance); then "
            f"calcium {supplement.calcium_mg_daily:g} mg and vitamin D {supplement.vitamin_d_iu_daily:g} IU daily "
            "on the agent.",
            [safety.MILD_HYPOCALCAEMIA_ORAL.text, supplement.statement.text],
            sources_of([safety.MILD_HYPOCALCAEMIA_ORAL, supplement.statement]),
        )
        return
    yield recommend(
        Code.bma_calcium_vitamin_d,
        Priority.routine,
        Step.supportive,
        f"Calcium {supplement.calcium_mg_daily:g} mg and vitamin D {supplement.vitamin_d_iu_daily:g} IU daily.",
        [supplement.statement.text],
        [supplement.statement.citation],
    )


def bone_health_on_adt(ctx: Context) -> Iterator[Finding]:
    """Men on ADT with castration-sensitive disease: osteoporosis-dose bone health, not metastasis doses."""
    if ctx.case.cancer.primary is not Primary.prostate or not ctx.case.treatment.androgen_deprivation:
        return
    if ctx.castration_resistant is not False or on_agent(ctx) is not None:
        return
    yield recommend(
        Code.bma_bone_health_adt,
        Priority.routine,
        Step.supportive,
        "Bone health on androgen deprivation: calcium and vitamin D, fracture-risk assessment (e.g. FRAX and a "
        "DXA scan), and an osteoporosis-dose agent if fracture risk is high.",
        [safety.BONE_HEALTH_ON_ADT.text],
        sources_of([safety.BONE_HEALTH_ON_ADT]),
    )
