"""Surgery: impending fracture criteria, construct by survival, en bloc resection, augmentation."""

from __future__ import annotations

import pytest

from bonemet.knowledge.surgery import (
    BOAST_2022_POINTS,
    EnBlocAssessment,
    en_bloc_resection_assessment,
    impending_fracture_findings,
    limb_construct_for_survival,
    vertebral_augmentation_contraindications,
)
from bonemet.model.vocabulary import Bone, EsccGrade, Primary, VisceralMetastases


def _met(**kwargs: object) -> dict[str, bool]:
    return {f.criterion: f.met for f in impending_fracture_findings(**kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(("total", "met"), [(8, False), (9, True), (12, True)])
def test_mirels_nine_or_more_is_an_impending_fracture(total: int, met: bool) -> None:
    assert _met(bone=Bone.humerus, mirels_total=total) == {"Mirels >= 9": met}


@pytest.mark.parametrize(("mm", "met"), [(30.0, False), (30.1, True)])
def test_axial_cortical_involvement_over_30_mm_in_the_femur(mm: float, met: bool) -> None:
    assert _met(bone=Bone.femur, axial_cortical_involvement_mm=mm) == {"axial cortical involvement > 30 mm": met}


@pytest.mark.parametrize(("fraction", "met"), [(0.50, False), (0.51, True)])
def test_circumferential_cortical_involvement_over_half_in_the_femur(fraction: float, met: bool) -> None:
    findings = _met(bone=Bone.femur, circumferential_cortical_involvement=fraction)
    assert findings == {"circumferential cortical involvement > 50%": met}


def test_van_der_linden_criteria_are_femoral_only() -> None:
    assert _met(bone=Bone.humerus, axial_cortical_involvement_mm=50) == {}


def test_unknown_inputs_are_left_out_not_counted_as_negative() -> None:
    assert impending_fracture_findings(bone=Bone.femur) == ()


def test_harrington_criteria_are_flagged_as_not_validated() -> None:
    findings = impending_fracture_findings(
        bone=Bone.femur, size_cm=3.0, proximal_femur=True, lesser_trochanter_avulsion=True
    )
    assert {f.criterion for f in findings if f.met} == {
        "Harrington: proximal femoral lesion > 2.5 cm",
        "Harrington: pathological avulsion of the lesser trochanter",
    }
    assert all(not f.statement.verified and "not validated" in f.statement.text for f in findings)


@pytest.mark.parametrize(
    ("months", "summary_start"),
    [
        (0.5, "usually not a candidate"),
        (1.0, "usually not a candidate"),
        (3.0, "less invasive fixation"),
        (6.0, "less invasive fixation"),
        (6.5, "durable reconstruction"),
    ],
)
def test_construct_by_expected_survival(months: float, summary_start: str) -> None:
    advice = limb_construct_for_survival(months)
    assert advice.summary.startswith(summary_start)
    assert advice.statement.citation_key == "aaos_mbd_cpg"


def _en_bloc(**overrides: object) -> EnBlocAssessment:
    kwargs: dict[str, object] = {
        "primary": Primary.kidney,
        "solitary_bone_lesion": True,
        "months_since_primary_diagnosis": 30,
        "primary_controlled": True,
        "visceral_metastases": VisceralMetastases.none,
    }
    kwargs.update(overrides)
    return en_bloc_resection_assessment(**kwargs)  # type: ignore[arg-type]


def test_solitary_late_renal_metastasis_with_primary_controlled_is_an_en_bloc_candidate() -> None:
    result = _en_bloc()
    assert result.candidate is True
    keys = {f.citation_key for f in result.statements}
    assert {"rcc_bone_surgery2010", "grunwald2018_rcc_bone"} <= keys


@pytest.mark.parametrize(
    ("overrides", "failed"),
    [
        ({"months_since_primary_diagnosis": 12}, "more than 12 months after the primary"),
        ({"solitary_bone_lesion": False}, "solitary bone metastasis on whole-body staging"),
        ({"primary": Primary.lung}, "favourable histology (renal cell, thyroid; breast possibly)"),
        ({"visceral_metastases": VisceralMetastases.disseminated}, "no unresectable visceral metastases"),
        ({"primary_controlled": False}, "primary removed or controlled"),
    ],
)
def test_en_bloc_not_indicated(overrides: dict[str, object], failed: str) -> None:
    result = _en_bloc(**overrides)
    assert result.candidate is False
    assert failed in result.not_met


def test_en_bloc_undecided_when_timing_unknown_and_resectable_nodules_allowed() -> None:
    assert _en_bloc(months_since_primary_diagnosis=None).candidate is None
    nodular = _en_bloc(visceral_metastases=VisceralMetastases.nodular, visceral_metastases_resectable=True)
    assert nodular.candidate is True


def test_boast_points_cite_boast_2022() -> None:
    assert {f.citation_key for f in BOAST_2022_POINTS} == {"boast_mbd_2022"}
    assert any("72 hours" in f.statement for f in BOAST_2022_POINTS)


@pytest.mark.parametrize(
    ("grade", "relative"), [(EsccGrade.g0, False), (EsccGrade.g1a, True), (EsccGrade.g3, True), (None, False)]
)
def test_epidural_extension_is_a_contraindication_to_augmentation(grade: EsccGrade | None, relative: bool) -> None:
    result = vertebral_augmentation_contraindications(escc_grade=grade, painful=True)
    assert bool(result.relative) is relative
    assert result.absolute == ()


def test_augmentation_contraindications() -> None:
    result = vertebral_augmentation_contraindications(
        cord_compression=True, retropulsion=True, active_infection=True, painful=False
    )
    assert len(result.absolute) == 2 and len(result.relative) == 2 and result.any
    assert not vertebral_augmentation_contraindications().any
