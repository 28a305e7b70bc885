"""Work-up: imaging, baseline labs and biopsy — never re-ordering what the case shows is done.

Merck Manual 2022: x-ray of the entire painful bone; whole-body radionuclide bone scan
(more sensitive than x-ray); whole-body PET-CT (more specific, shows extraskeletal
disease); CT/MRI of a specific site. Multiple lesions on a scan are presumed metastases
in known cancer; a single lesion in known cancer may not be one, so it is often biopsied.
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import imaging
from bonemet.knowledge.pathway_sources import (
    BOAST_2022,
    MERCK_METASTATIC_BONE_TUMORS,
    NICE_NG234,
)
from bonemet.model.vocabulary import (
    BoneBiopsy,
    CancerHistory,
    Code,
    Modality,
    Primary,
    Priority,
    Step,
)
from bonemet.pathway import emergencies
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, lesion_label, missing, recommend

MERCK = MERCK_METASTATIC_BONE_TUMORS


def radiographs_of_painful_sites(ctx: Context) -> Iterator[Finding]:
    """Radiographs of painful bones outside the spine; the spine is imaged by MRI (NICE NG234)."""
    if not ctx.case.presentation.bone_pain:
        return
    if ctx.done(Modality.xray) or ctx.done(Modality.ct) or ctx.done(Modality.mri):
        return
    lesions = ctx.case.lesions
    spine_only = bool(lesions) and all(lesion.is_spinal for lesion in lesions)
    if spine_only:
        yield decline(
            Code.imaging_xray,
            [imaging.NO_PLAIN_SPINE_RADIOGRAPHS.text],
            [imaging.NO_PLAIN_SPINE_RADIOGRAPHS.citation],
        )
        return
    sites = ctx.case.presentation.pain_site_count
    where = f"each of the {sites} painful sites" if sites and sites > 1 else "the painful site"
    if any(lesion.is_spinal for lesion in lesions):
        where = "the painful sites outside the spine"
    yield recommend(
        Code.imaging_xray,
        Priority.routine,
        Step.workup,
        f"Plain radiographs of {where}, showing the entire bone.",
        [
            "Bone pain that may be metastatic: radiographs of the whole painful bone come first.",
            "Radiographs show fracture risk, but a normal film does not exclude a metastasis.",
            "For spinal pain: " + imaging.NO_PLAIN_SPINE_RADIOGRAPHS.text,
        ],
        [MERCK, imaging.NO_PLAIN_SPINE_RADIOGRAPHS.citation],
    )


def whole_body_staging(ctx: Context, level_allows: bool) -> Iterator[Finding]:
    primary = ctx.case.cancer.primary
    missed = imaging.bone_scan_may_miss(primary)
    if not level_allows or ctx.possible_primary_bone_sarcoma:
        return  # a possible bone sarcoma is staged at the sarcoma centre (pathway.primary_search)
    if ctx.whole_body_staging_done:
        if primary is Primary.myeloma and missed is not None:
            yield decline(Code.imaging_bone_scan, [missed.text], [missed.citation])
        return
    first, *alternatives = imaging.whole_body_staging(primary)
    reasons = [first.reason.text] + ([missed.text] if missed is not None else [])
    citations = [first.reason.citation] + ([missed.citation] if missed is not None else [])
    yield recommend(first.code, Priority.routine, Step.workup, _staging_text(first.code, primary), reasons, citations)
    for other in alternatives:
        text = _staging_text(other.code, primary)
        yield recommend(
            other.code,
            Priority.consider,
            Step.workup,
            "Alternatively: " + text[0].lower() + text[1:],
            [other.reason.text],
            [other.reason.citation],
        )
    if primary is Primary.myeloma and missed is not None:
        yield decline(Code.imaging_bone_scan, [missed.text], [missed.citation])


_STAGING_TEXT: dict[Code, str] = {
    Code.imaging_bone_scan: "Whole-body radionuclide bone scan for skeletal staging.",
    Code.imaging_pet_ct: "Whole-body FDG PET-CT for staging.",
    Code.imaging_psma_pet: "PSMA PET-CT for whole-body staging of prostate cancer.",
}
_STAGING_TEXT_BY_PRIMARY: dict[tuple[Code, Primary], str] = {
    (Code.imaging_pet_ct, Primary.myeloma): "Whole-body low-dose CT, MRI or FDG PET-CT for myeloma bone disease.",
    (Code.imaging_pet_ct, Primary.lymphoma): "Whole-body FDG PET-CT for lymphoma staging (Lugano 2014).",
}


def _staging_text(code: Code, primary: Primary | None) -> str:
    if primary is not None and (code, primary) in _STAGING_TEXT_BY_PRIMARY:
        return _STAGING_TEXT_BY_PRIMARY[(code, primary)]
    return _STAGING_TEXT[code]


def site_imaging(ctx: Context) -> Iterator[Finding]:
    """MRI for spinal lesions (cord, epidural disease); CT to measure cortical destruction."""
    spine_mri_ordered = emergencies.whole_spine_mri_ordered_as_emergency(ctx)
    for index, lesion in ctx.spinal_lesions:
        if lesion.escc_grade is None and not ctx.done(Modality.mri) and not spine_mri_ordered:
            yield recommend(
                Code.imaging_mri,
                Priority.routine,
                Step.workup,
                "MRI of the whole spine to grade epidural disease and assess the cord.",
                [
                    f"{lesion_label(index, 'spine', lesion.level)}: the epidural compression grade "
                    "(Bilsky) needs axial T2 MRI; MRI is the modality of choice for the spine.",
                ],
                [NICE_NG234],
                lesion_index=index,
            )
    for index, lesion in ctx.long_bone_lesions:
        if lesion.cortical_involvement is None and not ctx.done(Modality.ct):
            yield recommend(
                Code.imaging_ct,
                Priority.routine,
                Step.workup,
                f"CT of the {lesion.bone.value} lesion to measure cortical destruction.",
                [
                    f"{lesion_label(index, lesion.bone.value, lesion.segment)}: the share of the cortex "
                    "destroyed decides the Mirels size item and the fracture risk.",
                ],
                [BOAST_2022],
                lesion_index=index,
            )


def biopsy_or_presume(ctx: Context) -> Iterator[Finding]:
    """Known cancer: a single lesion is biopsied, multiple lesions are presumed metastases."""
    cancer = ctx.case.cancer
    if cancer.history is not CancerHistory.known_primary:
        return
    if cancer.bone_biopsy is BoneBiopsy.metastasis_confirmed:
        return
    if cancer.bone_biopsy is BoneBiopsy.nondiagnostic:
        yield recommend(
            Code.biopsy_bone,
            Priority.routine,
            Step.workup,
            "Repeat image-guided core-needle biopsy: the first biopsy was not diagnostic.",
            ["A nondiagnostic biopsy leaves the nature of the lesion unknown."],
            [BOAST_2022],
        )
        return
    if ctx.solitary_lesion:
        yield recommend(
            Code.biopsy_bone,
            Priority.routine,
            Step.workup,
            "Image-guided needle biopsy of the single bone lesion to confirm metastasis.",
            [
                "A single bone lesion in a patient with known cancer may not be a metastasis, so it is "
                "often biopsied to confirm the diagnosis.",
            ],
            [MERCK],
        )
    elif ctx.multiple_lesions:
        yield decline(
            Code.biopsy_bone,
            [
                f"Multiple bone lesions ({ctx.lesion_count}) in a patient with known cancer are presumed "
                "metastases; biopsy is not needed to make the diagnosis.",
            ],
            [MERCK],
        )
    elif ctx.lesion_count is None:
        yield missing(
            "skeletal_burden.total_lesions",
            "A single lesion in known cancer is biopsied; multiple lesions are presumed metastases.",
        )


def baseline_labs(ctx: Context, level_allows: bool) -> Iterator[Finding]:
    if not level_allows:
        return
    labs = ctx.case.labs
    wanted = {
        "calcium": labs.calcium_mg_dl,
        "albumin": labs.albumin_g_dl,
        "creatinine": labs.creatinine_mg_dl,
        "alkaline phosphatase": labs.alkaline_phosphatase_u_l,
        "blood count (platelets)": labs.platelets_10e9_l,
    }
    absent = [name for name, value in wanted.items() if value is None]
    if not absent:
        return
    yield recommend(
        Code.lab_baseline,
        Priority.routine,
        Step.workup,
        "Baseline bloods: " + ", ".join(absent) + ".",
        [
            "Corrected calcium screens for hypercalcaemia; creatinine sets the bone-modifying agent dose; "
            "these are part of the standard metastatic bone disease work-up.",
        ],
        [BOAST_2022],
    )
