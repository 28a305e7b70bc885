"""Bilsky ESCC grade, radiosensitivity (the O of NOMS) and the NOMS decision."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.knowledge.radiosensitivity import Radiosensitivity, classify, radiosensitivity
from bonemet.model import Case, parse_case
from bonemet.model.vocabulary import Code, EsccGrade, NeurologicDeficit, Primary
from bonemet.scores import escc, noms
from bonemet.scores.escc import EsccItems
from bonemet.scores.noms import NomsTreatment, Stabilization, noms_decision

SENSITIVE, RESISTANT = Radiosensitivity.sensitive, Radiosensitivity.resistant
NO_DEFICIT = NeurologicDeficit.none


def spine_case(cancer: dict[str, Any], presentation: dict[str, Any] | None = None, **lesion: Any) -> Case:
    return parse_case({"cancer": cancer, "presentation": presentation or {}, "lesions": [{"bone": "spine", **lesion}]})


# --- ESCC grade (Bilsky 2010) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "total", "band"),
    [
        (EsccGrade.g0, 0, escc.BAND_LOW),
        (EsccGrade.g1a, 1, escc.BAND_LOW),
        (EsccGrade.g1b, 1, escc.BAND_LOW),
        (EsccGrade.g1c, 1, escc.BAND_GREY_ZONE),
        (EsccGrade.g2, 2, escc.BAND_HIGH),
        (EsccGrade.g3, 3, escc.BAND_HIGH),
    ],
)
def test_each_bilsky_grade_has_its_total_and_band(grade: EsccGrade, total: int, band: str) -> None:
    result = escc.compute(EsccItems(grade))
    assert (result.total, result.band) == (total, band)
    assert result.items[0].value == grade.value
    assert escc.DEFINITIONS[grade] in result.interpretation


def test_grades_rank_strictly_0_1a_1b_1c_2_3() -> None:
    order = [EsccGrade.g0, EsccGrade.g1a, EsccGrade.g1b, EsccGrade.g1c, EsccGrade.g2, EsccGrade.g3]
    assert [escc.rank(grade) for grade in order] == [0, 1, 2, 3, 4, 5]


def test_grade_1c_is_the_grey_zone_between_radiation_and_surgery() -> None:
    assert "debated" in escc.compute(EsccItems(EsccGrade.g1c)).interpretation


def test_high_grade_compression_means_decompression_before_radiation_unless_radiosensitive() -> None:
    text = escc.compute(EsccItems(EsccGrade.g3)).interpretation
    assert "decompression before radiation" in text
    assert "radiosensitive" in text


def test_low_grade_compression_means_radiation_first() -> None:
    assert "radiation comes first" in escc.compute(EsccItems(EsccGrade.g1b)).interpretation


def test_an_unknown_grade_is_refused_and_named() -> None:
    result = escc.compute(EsccItems(None))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("grade",)


def test_escc_result_is_cited_to_bilsky_2010_and_higher_is_worse() -> None:
    result = escc.compute(EsccItems(EsccGrade.g0), lesion_index=2)
    assert result.citation is cite("bilsky2010_escc")
    assert result.higher_is_worse is True
    assert result.lesion_index == 2


def test_grade_sent_as_a_json_number_is_read_from_the_case() -> None:
    case = spine_case({}, level="T10", escc_grade=2)
    assert escc.items_from_case(case, 0) == EsccItems(EsccGrade.g2)


def test_escc_does_not_apply_to_a_humeral_lesion() -> None:
    case = parse_case({"lesions": [{"bone": "humerus"}]})
    assert not escc.applies_to(case.lesions[0])
    with pytest.raises(ValueError, match="spinal"):
        escc.items_from_case(case, 0)


@given(st.sampled_from(list(EsccGrade)), st.sampled_from(list(EsccGrade)))
def test_a_worse_grade_never_has_a_lower_total_and_totals_stay_0_to_3(a: EsccGrade, b: EsccGrade) -> None:
    milder, worse = sorted((a, b), key=escc.rank)
    milder_total, worse_total = escc.compute(EsccItems(milder)).total, escc.compute(EsccItems(worse)).total
    assert milder_total is not None and worse_total is not None
    assert escc.MINIMUM_TOTAL <= milder_total <= worse_total <= escc.MAXIMUM_TOTAL


# --- radiosensitivity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("primary", "histology"),
    [(Primary.lymphoma, None), (Primary.myeloma, None), (Primary.testis, "seminoma"), (None, "plasmacytoma")],
)
def test_lymphoma_myeloma_and_seminoma_are_settled_radiosensitive(
    primary: Primary | None, histology: str | None
) -> None:
    call = classify(primary, histology)
    assert call is not None
    assert (call.radiosensitivity, call.settled) == (SENSITIVE, True)


@pytest.mark.parametrize(
    "primary",
    [Primary.kidney, Primary.melanoma, Primary.colon, Primary.rectum, Primary.sarcoma],
)
def test_renal_melanoma_colorectal_and_sarcoma_are_settled_radioresistant(primary: Primary) -> None:
    call = classify(primary, None)
    assert call is not None
    assert (call.radiosensitivity, call.settled) == (RESISTANT, True)


@pytest.mark.parametrize(
    ("primary", "histology", "expected"),
    [
        (Primary.breast, None, SENSITIVE),
        (Primary.prostate, None, SENSITIVE),
        (Primary.ovary, None, SENSITIVE),
        (Primary.carcinoid, None, SENSITIVE),
        (Primary.lung, "small_cell", SENSITIVE),
        (Primary.lung, "adenocarcinoma", RESISTANT),
        (Primary.lung, "squamous cell carcinoma", RESISTANT),
        (Primary.lung, "non-small cell", RESISTANT),
        (Primary.lung, "NSCLC", RESISTANT),
        (Primary.liver, None, RESISTANT),
        (Primary.thyroid, None, RESISTANT),
        (Primary.stomach, None, RESISTANT),
        (Primary.testis, "non-seminomatous germ cell tumour", SENSITIVE),
    ],
)
def test_classes_that_sources_dispute_are_flagged_for_local_policy(
    primary: Primary, histology: str | None, expected: Radiosensitivity
) -> None:
    call = classify(primary, histology)
    assert call is not None
    assert call.radiosensitivity is expected
    assert call.settled is False
    assert "local policy" in call.basis


def test_non_small_cell_is_never_read_as_small_cell() -> None:
    assert radiosensitivity(Primary.lung, "non_small_cell") is RESISTANT
    assert radiosensitivity(Primary.lung, "small cell") is SENSITIVE


def test_non_seminoma_is_not_read_as_seminoma() -> None:
    call = classify(Primary.testis, "nonseminoma")
    assert call is not None and call.settled is False


def test_histology_decides_over_the_primary_site() -> None:
    assert radiosensitivity(Primary.other, "mucosal melanoma") is RESISTANT
    assert radiosensitivity(Primary.bladder, "small cell carcinoma") is SENSITIVE
    assert radiosensitivity(Primary.uterus, "leiomyosarcoma") is RESISTANT


@pytest.mark.parametrize(
    ("primary", "histology"),
    [(Primary.lung, None), (Primary.lung, "carcinoma"), (Primary.other, None), (None, None)],
)
def test_radiosensitivity_is_unknown_when_primary_and_histology_do_not_tell(
    primary: Primary | None, histology: str | None
) -> None:
    assert radiosensitivity(primary, histology) is None


@pytest.mark.parametrize("primary", [p for p in Primary if p not in (Primary.lung, Primary.other)])
def test_every_classified_primary_carries_a_basis_and_the_noms_citation(primary: Primary) -> None:
    call = classify(primary, None)
    assert call is not None
    assert call.basis
    assert cite("laufer2013_noms") in call.citations


# --- NOMS worked examples (scores.md section 3) -------------------------------------------------


def test_b1_myeloma_with_grade_3_compression_gets_conventional_radiation_without_surgery() -> None:
    decision = noms_decision(EsccGrade.g3, SENSITIVE, NO_DEFICIT, sins_total=5, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.conventional_radiation
    assert decision.stabilization is Stabilization.not_needed
    assert decision.codes == (Code.rt_palliative,)
    assert decision.missing == ()


def test_b2_renal_cell_with_grade_1a_gets_stereotactic_radiation() -> None:
    decision = noms_decision(EsccGrade.g1a, RESISTANT, NO_DEFICIT, sins_total=4, fit_for_surgery=None)
    assert decision.treatment is NomsTreatment.stereotactic_radiation
    assert decision.stabilization is Stabilization.not_needed
    assert decision.codes == (Code.rt_sbrt,)
    assert decision.missing == ()  # no surgery proposed, so fitness for it does not matter


def test_b3_renal_cell_with_grade_2_gets_separation_surgery_then_sbrt_and_a_stability_opinion() -> None:
    decision = noms_decision(EsccGrade.g2, RESISTANT, NO_DEFICIT, sins_total=8, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation
    assert decision.stabilization is Stabilization.surgical_opinion
    assert set(decision.codes) == {Code.surgery_spine_consult, Code.rt_sbrt}


def test_b4_melanoma_with_grade_3_too_frail_for_surgery_gets_conventional_radiation_or_palliation() -> None:
    decision = noms_decision(EsccGrade.g3, RESISTANT, NO_DEFICIT, sins_total=4, fit_for_surgery=False)
    assert decision.treatment is NomsTreatment.conventional_radiation
    assert any("best supportive care" in reason for reason in decision.reasons)
    assert Code.surgery_spine_consult not in decision.codes


def test_b5_breast_grade_1c_gets_conventional_radiation_with_the_policy_caveat() -> None:
    case = spine_case({"primary": "breast"}, {"neurologic_deficit": "none"}, level="T8", escc_grade="1c")
    decision = noms.decision_for_lesion(case, 0, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.conventional_radiation
    assert any("local policy" in reason for reason in decision.reasons)


# --- NOMS branches ------------------------------------------------------------------------------


def test_radioresistant_grade_1c_is_stereotactic_radiation_or_separation_surgery_per_local_policy() -> None:
    decision = noms_decision(EsccGrade.g1c, RESISTANT, NO_DEFICIT, sins_total=3, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.stereotactic_radiation_or_separation_surgery


def test_radioresistant_grade_1c_unfit_for_surgery_gets_stereotactic_radiation_alone() -> None:
    decision = noms_decision(EsccGrade.g1c, RESISTANT, NO_DEFICIT, sins_total=3, fit_for_surgery=False)
    assert decision.treatment is NomsTreatment.stereotactic_radiation


def test_myelopathy_does_not_change_hybrid_therapy_for_radioresistant_high_grade_compression() -> None:
    with_deficit = noms_decision(EsccGrade.g3, RESISTANT, NeurologicDeficit.incomplete, 4, True)
    without = noms_decision(EsccGrade.g3, RESISTANT, NO_DEFICIT, 4, True)
    assert with_deficit.treatment is without.treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation
    assert any("myelopathy" in reason for reason in with_deficit.reasons)


def test_radiosensitive_high_grade_compression_with_myelopathy_still_gets_conventional_radiation() -> None:
    decision = noms_decision(EsccGrade.g3, SENSITIVE, NeurologicDeficit.complete, 4, True)
    assert decision.treatment is NomsTreatment.conventional_radiation


def test_high_grade_radioresistant_compression_with_fitness_unknown_asks_for_it() -> None:
    decision = noms_decision(EsccGrade.g2, RESISTANT, NO_DEFICIT, sins_total=4, fit_for_surgery=None)
    assert decision.treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation
    assert decision.missing == ("fit_for_surgery",)


def test_sins_13_or_more_recommends_stabilisation_whatever_the_compression_grade() -> None:
    for grade in (EsccGrade.g0, EsccGrade.g3):
        decision = noms_decision(grade, SENSITIVE, NO_DEFICIT, sins_total=13, fit_for_surgery=True)
        assert decision.stabilization is Stabilization.recommended
        assert Code.surgery_spine_consult in decision.codes


def test_sins_6_needs_no_stabilisation_and_7_asks_a_spine_surgeon() -> None:
    assert noms_decision(EsccGrade.g0, SENSITIVE, NO_DEFICIT, 6, True).stabilization is Stabilization.not_needed
    assert noms_decision(EsccGrade.g0, SENSITIVE, NO_DEFICIT, 7, True).stabilization is Stabilization.surgical_opinion


def test_an_unstable_spine_in_a_patient_who_cannot_have_surgery_gets_radiation_alone() -> None:
    decision = noms_decision(EsccGrade.g1a, SENSITIVE, NO_DEFICIT, sins_total=15, fit_for_surgery=False)
    assert decision.stabilization is Stabilization.not_tolerated
    assert decision.treatment is NomsTreatment.conventional_radiation
    assert Code.surgery_spine_consult not in decision.codes


def test_an_unstable_spine_with_fitness_unknown_asks_for_fitness() -> None:
    decision = noms_decision(EsccGrade.g1a, SENSITIVE, NO_DEFICIT, sins_total=15, fit_for_surgery=None)
    assert decision.stabilization is Stabilization.recommended
    assert decision.missing == ("fit_for_surgery",)


def test_unknown_escc_grade_leaves_the_treatment_undetermined() -> None:
    decision = noms_decision(None, RESISTANT, NO_DEFICIT, sins_total=4, fit_for_surgery=True)
    assert decision.treatment is None
    assert "escc_grade" in decision.missing
    assert "undetermined" in decision.summary


def test_unknown_radiosensitivity_leaves_the_treatment_undetermined() -> None:
    decision = noms_decision(EsccGrade.g1a, None, NO_DEFICIT, sins_total=4, fit_for_surgery=True)
    assert decision.treatment is None
    assert any(item.startswith("radiosensitivity") for item in decision.missing)


def test_unknown_sins_leaves_stability_unknown() -> None:
    decision = noms_decision(EsccGrade.g1a, SENSITIVE, NO_DEFICIT, sins_total=None, fit_for_surgery=True)
    assert decision.stabilization is Stabilization.unknown
    assert "sins" in decision.missing


def test_every_decision_cites_laufer_bilsky_and_fisher() -> None:
    decision = noms_decision(EsccGrade.g0, SENSITIVE, NO_DEFICIT, 0, True)
    assert {cite("laufer2013_noms"), cite("bilsky2010_escc"), cite("fisher2010_sins")} <= set(decision.citations)


def test_a_renal_cell_t12_lesion_from_the_case_gets_hybrid_therapy_and_stabilisation() -> None:
    case = spine_case(
        {"primary": "kidney", "histology": "clear_cell"},
        {"neurologic_deficit": "incomplete"},
        level="T12",
        escc_grade="2",
        pattern="lytic",
        spinal_pain="mechanical",
        alignment="normal",
        vertebral_collapse="over_50pct",
        posterolateral_involvement="bilateral",
    )  # SINS 3 + 3 + 2 + 0 + 3 + 3 = 14
    decision = noms.decision_for_lesion(case, 0, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation
    assert decision.stabilization is Stabilization.recommended
    assert cite("ao_surgery_reference_radiosensitivity") in decision.citations


def test_noms_is_not_applied_to_a_femoral_lesion() -> None:
    case = parse_case({"lesions": [{"bone": "femur"}]})
    with pytest.raises(ValueError, match="spinal"):
        noms.decision_for_lesion(case, 0, fit_for_surgery=True)


@given(
    st.sampled_from(list(EsccGrade)),
    st.sampled_from(list(Radiosensitivity)),
    st.sampled_from(list(NeurologicDeficit)),
    st.integers(0, 18),
    st.booleans(),
)
def test_a_complete_decision_always_chooses_a_treatment_and_never_operates_on_the_unfit(
    grade: EsccGrade, sensitivity: Radiosensitivity, deficit: NeurologicDeficit, sins_total: int, fit: bool
) -> None:
    decision = noms_decision(grade, sensitivity, deficit, sins_total, fit)
    assert decision.treatment is not None
    assert decision.missing == ()
    if not fit:
        assert Code.surgery_spine_consult not in decision.codes


def test_unknown_neurological_status_is_reported_but_does_not_block_the_decision() -> None:
    decision = noms_decision(EsccGrade.g2, RESISTANT, None, sins_total=4, fit_for_surgery=True)
    assert decision.treatment is NomsTreatment.separation_surgery_then_stereotactic_radiation
    assert decision.missing == ()
    assert any("neurological status unknown" in reason for reason in decision.reasons)
