"""Which imaging for which question; laboratory work-up; biopsy; immunohistochemistry."""

from __future__ import annotations

import pytest

from bonemet.knowledge.imaging import (
    CK7_CK20_PATTERNS,
    MSCC_WHOLE_SPINE_MRI,
    NO_PLAIN_SPINE_RADIOGRAPHS,
    PAINFUL_SITE_RADIOGRAPHS,
    POSSIBLE_PRIMARY_BONE_TUMOUR,
    SPINAL_PAIN_MRI,
    bone_scan_may_miss,
    ihc_panel,
    prostate_staging_bone_scan,
    whole_body_staging,
)
from bonemet.model.vocabulary import Code, Modality, Primary


def test_painful_limb_sites_get_radiographs_of_the_whole_bone_first() -> None:
    assert PAINFUL_SITE_RADIOGRAPHS.code is Code.imaging_xray
    assert "whole bone" in PAINFUL_SITE_RADIOGRAPHS.reason.statement


def test_spine_is_not_imaged_with_plain_radiographs() -> None:
    assert NO_PLAIN_SPINE_RADIOGRAPHS.citation_key == "nice_ng234"


def test_suspected_cord_compression_gets_whole_spine_mri_within_24_hours() -> None:
    assert MSCC_WHOLE_SPINE_MRI.modality is Modality.mri
    assert "whole spine" in MSCC_WHOLE_SPINE_MRI.reason.statement
    assert "24 hours" in MSCC_WHOLE_SPINE_MRI.reason.statement


def test_one_week_mri_rule_is_flagged_as_unverified() -> None:
    assert not SPINAL_PAIN_MRI.verified and "CG75" in SPINAL_PAIN_MRI.text


@pytest.mark.parametrize(
    ("primary", "first"),
    [
        (Primary.prostate, Modality.psma_pet),
        (Primary.lung, Modality.pet_ct),
        (Primary.myeloma, Modality.pet_ct),
        (Primary.kidney, Modality.pet_ct),
        (Primary.breast, Modality.bone_scan),
        (None, Modality.bone_scan),
    ],
)
def test_whole_body_staging_by_primary(primary: Primary | None, first: Modality) -> None:
    choices = whole_body_staging(primary)
    assert choices[0].modality is first
    for choice in choices:
        assert choice.code.value == f"imaging.{choice.modality.value}"


def test_bone_scan_is_not_offered_for_myeloma() -> None:
    assert all(c.modality is not Modality.bone_scan for c in whole_body_staging(Primary.myeloma))
    reason = bone_scan_may_miss(Primary.myeloma)
    assert reason is not None and reason.citation_key == "hillengass2019_imwg"
    assert bone_scan_may_miss(Primary.breast) is None and bone_scan_may_miss(None) is None


@pytest.mark.parametrize(
    ("psa", "gleason", "t3", "symptoms", "expected"),
    [
        (20.1, None, None, None, "High-risk"),
        (20.0, None, None, None, "PSA > 10"),  # PSA > 20 is high risk; 20 is not
        (10.1, None, None, None, "PSA > 10"),
        (10.0, None, None, None, None),
        (5.0, 8, None, None, "High-risk"),
        (5.0, 7, None, None, None),
        (5.0, None, True, None, "High-risk"),
        (1.0, None, None, True, "bone symptoms"),
        (None, None, None, None, None),
    ],
)
def test_prostate_staging_bone_scan_thresholds(
    psa: float | None, gleason: int | None, t3: bool | None, symptoms: bool | None, expected: str | None
) -> None:
    fact = prostate_staging_bone_scan(psa_ng_ml=psa, gleason=gleason, t3_or_t4=t3, bone_symptoms=symptoms)
    if expected is None:
        assert fact is None
    else:
        assert fact is not None and expected in fact.statement


def test_possible_primary_bone_tumour_is_referred_before_biopsy() -> None:
    assert "72 hours" in POSSIBLE_PRIMARY_BONE_TUMOUR.statement
    assert POSSIBLE_PRIMARY_BONE_TUMOUR.citation_key == "boast_mbd_2022"


@pytest.mark.parametrize(
    ("primary", "marker"),
    [
        (Primary.prostate, "PSA"),
        (Primary.prostate, "NKX3.1"),
        (Primary.lung, "TTF-1"),
        (Primary.breast, "GATA3"),
        (Primary.kidney, "PAX8"),
        (Primary.thyroid, "thyroglobulin"),
        (Primary.colon, "CDX2"),
    ],
)
def test_ihc_panel_by_suspected_primary(primary: Primary, marker: str) -> None:
    panel = ihc_panel(primary)
    assert panel is not None and marker in panel.markers


def test_ck7_ck20_patterns_cover_the_four_combinations() -> None:
    assert set(CK7_CK20_PATTERNS) == {"CK7+/CK20-", "CK7-/CK20+", "CK7+/CK20+", "CK7-/CK20-"}
    assert "prostate" in CK7_CK20_PATTERNS["CK7-/CK20-"].statement
    assert "colorectal" in CK7_CK20_PATTERNS["CK7-/CK20+"].statement
