"""Bone-modifying agents: the Zometa renal table, the hold rule, supplements, agent choice."""

from __future__ import annotations

import math

import pytest

from bonemet.knowledge.citations import cite
from bonemet.knowledge.drugs import (
    DENOSUMAB,
    DRUGS,
    PAMIDRONATE,
    ZOLEDRONIC_ACID,
    ZOLEDRONIC_ACID_RENAL_TABLE,
    calcium_vitamin_d_supplement,
    denosumab_renal_caution,
    pamidronate_hold,
    pamidronate_not_recommended_reason,
    pamidronate_regimen,
    preferred_agents,
    zoledronic_acid_dose,
    zoledronic_acid_hold,
    zoledronic_acid_may_resume,
    zoledronic_acid_not_recommended_reason,
)
from bonemet.model.vocabulary import BoneModifyingAgent, Primary

ZA = BoneModifyingAgent.zoledronic_acid
DMAB = BoneModifyingAgent.denosumab
PAM = BoneModifyingAgent.pamidronate


# --- Zometa renal table: every band and every boundary -------------------------------------------


@pytest.mark.parametrize(
    ("crcl", "dose_mg"),
    [
        (120.0, 4.0),
        (60.1, 4.0),  # "> 60"
        (60.0, 3.5),  # "50-60" includes 60
        (55.0, 3.5),
        (50.0, 3.5),
        (49.9, 3.3),  # between printed bands: the lower band
        (49.0, 3.3),
        (40.0, 3.3),
        (39.9, 3.0),
        (39.0, 3.0),
        (30.0, 3.0),  # "30-39" includes 30
    ],
)
def test_zometa_label_dose_for_each_band(crcl: float, dose_mg: float) -> None:
    dose = zoledronic_acid_dose(crcl)
    assert dose is not None
    assert dose.dose_mg == dose_mg
    assert dose.citation.key == "zometa_us_pi"


@pytest.mark.parametrize("crcl", [29.9, 29.0, 15.0, 0.0])
def test_zoledronic_acid_not_recommended_below_30(crcl: float) -> None:
    assert zoledronic_acid_dose(crcl) is None
    reason = zoledronic_acid_not_recommended_reason(crcl)
    assert reason is not None
    assert "30 mL/min" in reason.statement
    assert cite(reason.citation_key) is reason.citation


def test_no_not_recommended_reason_when_a_dose_exists() -> None:
    assert zoledronic_acid_not_recommended_reason(30.0) is None


@pytest.mark.parametrize("bad", [-1.0, math.nan])
def test_invalid_clearance_is_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="creatinine clearance"):
        zoledronic_acid_dose(bad)


def test_reduced_dose_volumes_deliver_the_labelled_dose() -> None:
    # 4 mg in 100 mL (ready-to-use bottle) and 0.8 mg/mL (4 mg/5 mL concentrate).
    for row in ZOLEDRONIC_ACID_RENAL_TABLE:
        assert row.concentrate_withdraw_ml * 0.8 == pytest.approx(row.dose_mg, abs=0.05)
        if row.ready_to_use_bottle_remove_ml is not None:
            remaining = 100 - row.ready_to_use_bottle_remove_ml
            assert remaining * 4 / 100 == pytest.approx(row.dose_mg, abs=0.03)


def test_dose_text_names_dose_infusion_and_band() -> None:
    dose = zoledronic_acid_dose(45)
    assert dose is not None
    assert dose.text == (
        "zoledronic acid 3.3 mg IV over at least 15 minutes every 3-4 weeks "
        "(baseline creatinine clearance 40-49 mL/min)"
    )


# --- Hold and resume ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "hold"),
    [
        (1.0, 1.49, False),
        (1.0, 1.5, True),  # normal baseline: a rise of 0.5 mg/dL
        (0.9, 1.4, True),  # 1.4 - 0.9 is 0.49999... in binary floating point
        (1.39, 1.88, False),
        (1.39, 1.89, True),
        (1.4, 2.39, False),  # abnormal baseline (>= 1.4): needs a rise of 1.0 mg/dL
        (1.4, 2.4, True),
        (2.0, 2.9, False),
        (2.0, 3.0, True),
        (1.2, 1.0, False),
    ],
)
def test_zoledronic_acid_hold_rule(baseline: float, current: float, hold: bool) -> None:
    assert zoledronic_acid_hold(baseline, current) is hold
    assert pamidronate_hold(baseline, current) is hold


@pytest.mark.parametrize(
    ("baseline", "current", "resume"),
    [(1.0, 1.1, True), (1.0, 1.11, False), (1.0, 0.9, True), (2.0, 2.2, True), (2.0, 2.21, False)],
)
def test_resume_only_within_ten_percent_of_baseline(baseline: float, current: float, resume: bool) -> None:
    assert zoledronic_acid_may_resume(baseline, current) is resume


def test_hold_rejects_nonpositive_creatinine() -> None:
    with pytest.raises(ValueError, match="creatinine"):
        zoledronic_acid_hold(0.0, 1.0)


# --- Pamidronate and denosumab renal cautions -------------------------------------------------------


def test_pamidronate_not_recommended_in_severe_renal_impairment() -> None:
    reason = pamidronate_not_recommended_reason(29.9)
    assert reason is not None and reason.citation_key == "pamidronate_us_pi"
    assert pamidronate_not_recommended_reason(30.0) is None


@pytest.mark.parametrize(("crcl", "dialysis", "warned"), [(29.9, False, True), (30.0, False, False), (80, True, True)])
def test_denosumab_hypocalcaemia_warning_with_severe_renal_impairment(
    crcl: float, dialysis: bool, warned: bool
) -> None:
    assert (denosumab_renal_caution(crcl, on_dialysis=dialysis) is not None) is warned


def test_denosumab_has_no_renal_dose_adjustment_and_needs_calcium_corrected_first() -> None:
    assert DENOSUMAB.dose_mg == 120 and DENOSUMAB.route == "SC" and DENOSUMAB.interval == "every 4 weeks"
    assert "no renal dose adjustment" in DENOSUMAB.renal_rule.statement
    assert any("Correct pre-existing hypocalcaemia" in c.statement for c in DENOSUMAB.cautions)


# --- Calcium and vitamin D ----------------------------------------------------------------------------


@pytest.mark.parametrize("agent", [ZA, DMAB])
def test_calcium_500_mg_and_vitamin_d_400_iu_unless_hypercalcaemic(agent: BoneModifyingAgent) -> None:
    supplement = calcium_vitamin_d_supplement(agent, hypercalcaemic=False)
    assert supplement is not None
    assert (supplement.calcium_mg_daily, supplement.vitamin_d_iu_daily) == (500, 400)
    assert calcium_vitamin_d_supplement(agent, hypercalcaemic=True) is None


def test_no_supplement_amount_stated_for_pamidronate() -> None:
    assert calcium_vitamin_d_supplement(PAM, hypercalcaemic=False) is None


# --- Products and doses -------------------------------------------------------------------------------


def test_oncology_and_osteoporosis_products_are_named_apart() -> None:
    assert ZOLEDRONIC_ACID.oncology_product == "Zometa"
    assert ZOLEDRONIC_ACID.osteoporosis_products == ("Reclast", "Aclasta")
    assert DENOSUMAB.oncology_product == "Xgeva" and DENOSUMAB.osteoporosis_products == ("Prolia",)
    assert PAMIDRONATE.oncology_product == "Aredia"


def test_oncology_doses() -> None:
    assert ZOLEDRONIC_ACID.dose_text == "4 mg IV over at least 15 minutes every 3-4 weeks"
    assert PAMIDRONATE.dose_text == "90 mg IV over at least 120 minutes every 3-4 weeks"
    assert DENOSUMAB.dose_text == "120 mg SC every 4 weeks"


def test_every_drug_fact_has_a_registered_citation() -> None:
    for drug in DRUGS.values():
        facts = (drug.renal_rule, *drug.cautions)
        for fact in facts:
            assert cite(fact.citation_key) is fact.citation
        for indication in drug.indications:
            assert cite(indication.citation.key) is indication.citation


# --- Which agent ---------------------------------------------------------------------------------------


def test_breast_any_of_three_agents_with_the_guideline_difference_stated() -> None:
    choice = preferred_agents(Primary.breast, 80)
    assert choice.recommended
    assert set(choice.options) == {ZA, DMAB, PAM}
    assert choice.guideline_differences is not None and "ESMO 2020" in choice.guideline_differences
    assert {f.citation_key for f in choice.statements} >= {"asco2017_bma_breast", "esmo2020_bone_health"}


def test_castration_sensitive_prostate_has_no_bone_agent() -> None:
    choice = preferred_agents(Primary.prostate, 80, castration_resistant=False)
    assert not choice.recommended and choice.options == ()


def test_castration_resistant_prostate_zoledronic_acid_or_denosumab() -> None:
    choice = preferred_agents(Primary.prostate, 80, castration_resistant=True)
    assert choice.options == (ZA, DMAB)
    assert choice.guideline_differences is not None and "NICE TA265" in choice.guideline_differences


@pytest.mark.parametrize("primary", [Primary.breast, Primary.lung, Primary.myeloma, None])
def test_severe_renal_impairment_leaves_only_denosumab(primary: Primary | None) -> None:
    for choice in (preferred_agents(primary, 25), preferred_agents(primary, 70, on_dialysis=True)):
        assert choice.options == (DMAB,)
        assert any("hypocalcaemia" in f.statement for f in choice.statements)


def test_other_solid_tumours_follow_esmo_with_life_expectancy_three_months() -> None:
    choice = preferred_agents(Primary.kidney, None)
    assert choice.options == (ZA, DMAB)
    assert any(">= 3 months" in f.statement and f.citation_key == "esmo2020_bone_health" for f in choice.statements)


# --- Pamidronate regimen by primary (Aredia label) ----------------------------------------------------


def test_pamidronate_breast_regimen_is_a_2_hour_infusion_every_3_to_4_weeks() -> None:
    regimen = pamidronate_regimen(Primary.breast)
    assert (regimen.dose_mg, regimen.infusion_minutes, regimen.interval) == (90.0, 120, "every 3-4 weeks")
    assert regimen.text == "90 mg IV over 2 hours every 3-4 weeks"
    assert regimen.statement.citation_key == "pamidronate_us_pi"


def test_pamidronate_myeloma_regimen_is_a_4_hour_infusion_monthly() -> None:
    regimen = pamidronate_regimen(Primary.myeloma)
    assert (regimen.dose_mg, regimen.infusion_minutes, regimen.interval) == (90.0, 240, "monthly")
    assert regimen.text == "90 mg IV over 4 hours monthly"
    assert regimen.statement.citation_key == "pamidronate_us_pi"
    assert "multiple myeloma" in regimen.statement.statement


@pytest.mark.parametrize("primary", [Primary.breast, Primary.lung, Primary.prostate, None])
def test_pamidronate_outside_myeloma_uses_the_breast_regimen(primary: Primary | None) -> None:
    assert pamidronate_regimen(primary) == pamidronate_regimen(Primary.breast)


def test_pamidronate_label_indications_state_both_regimens() -> None:
    by_primary = {i.primary: i.statement for i in PAMIDRONATE.indications}
    assert pamidronate_regimen(Primary.breast).statement.statement == by_primary[Primary.breast]
    assert pamidronate_regimen(Primary.myeloma).statement.statement == by_primary[Primary.myeloma]


# --- Uncertain facts are not presented as checked -------------------------------------------------------


def test_calgb_70604_event_percentages_are_marked_unverified() -> None:
    (calgb,) = [f for f in ZOLEDRONIC_ACID.cautions if f.citation_key == "himelstein2017_calgb70604"]
    assert "non-inferior" in calgb.statement and "2 years" in calgb.statement
    assert calgb.verified is False
    assert calgb.caveat is not None and "29.5%" in calgb.caveat and "28.6%" in calgb.caveat
    assert "(Unverified: " in calgb.text


def test_no_claim_that_xgeva_carries_no_boxed_warning() -> None:
    texts = [f.text for f in DENOSUMAB.cautions] + [cite("xgeva_us_pi").full_text]
    assert not any("no boxed warning" in t.lower() for t in texts)
    (boxed,) = [f for f in DENOSUMAB.cautions if "boxed warning" in f.statement]
    assert boxed.statement == (
        "In January 2024 the FDA added a boxed warning for severe hypocalcaemia in patients with advanced "
        "chronic kidney disease to Prolia, not to Xgeva."
    )
    assert boxed.citation_key == "prolia_us_pi"
