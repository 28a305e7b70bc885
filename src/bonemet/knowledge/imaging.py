"""Which test for which question: imaging, laboratory work-up, biopsy and immunohistochemistry.

Sources: ACR Appropriateness Criteria on metastatic bone disease (2010, last reviewed
2012; a newer ACR topic could not be retrieved), NICE NG234/QS56 for the spine, BOAST 2022
for the limbs, IMWG 2019 for myeloma, proPSMA and the prostate staging summaries, and
the pathology reviews for immunohistochemistry.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation, register
from bonemet.knowledge.guideline_sources import (
    ACR_AC_BONE_METS,
    BOAST_2022,
    CHU_2000,
    ENDOCRINE_SOCIETY_2023,
    ESMO_CUP_2015,
    IMWG_2019,
    JACOBSEN_1997,
    KANDALAFT_GOWN_2016,
    MERCK_METASTATIC_BONE_TUMORS,
    NICE_NG234,
    NICE_QS56,
    NSCLC_PET_VS_BONE_SCAN,
    PROPSMA_2020,
    PROSTATE_BONE_SCAN_2020,
    ROUGRAFF_1993,
    SELVES_2018,
    Fact,
)
from bonemet.knowledge.safety import LUGANO_2014
from bonemet.model.vocabulary import Code, Modality, Primary

# --- Imaging choices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImagingChoice:
    """One imaging recommendation: the contract code, the modality, why, and the source."""

    code: Code
    modality: Modality
    reason: Fact


PAINFUL_SITE_RADIOGRAPHS = ImagingChoice(
    Code.imaging_xray,
    Modality.xray,
    Fact(
        "Plain radiographs of painful limb sites first: two orthogonal views of the whole bone.",
        BOAST_2022,
    ),
)
RADIOGRAPHS_MISS_EARLY_LESIONS = Fact(
    "A normal radiograph does not exclude a metastasis: lytic lesions show only after much of the bone "
    "(commonly quoted 50-70%) is destroyed.",
    MERCK_METASTATIC_BONE_TUMORS,
    verified=False,
    caveat="the 50-70% figure comes from orthopaedic teaching sources, not the Merck text",
)
NO_PLAIN_SPINE_RADIOGRAPHS = Fact(
    "Do not use plain radiographs of the spine to diagnose or rule out spinal metastases or cord "
    "compression; use MRI (CT if MRI is contraindicated).",
    NICE_NG234,
)
BONE_SCAN_STAGING = ImagingChoice(
    Code.imaging_bone_scan,
    Modality.bone_scan,
    Fact(
        "Whole-body radionuclide bone scan: more sensitive than radiographs for the whole skeleton; "
        "in symptomatic breast cancer it is the first test, with radiographs of hot spots afterwards.",
        ACR_AC_BONE_METS,
    ),
)
PET_CT_STAGING = ImagingChoice(
    Code.imaging_pet_ct,
    Modality.pet_ct,
    Fact(
        "FDG PET-CT is more specific than the bone scan and shows extraskeletal disease; in non-small cell "
        "lung cancer it has replaced the bone scan (1,000 patients: sensitivity 94.3% vs 78.1%, "
        "specificity 98.8% vs 97.4%).",
        NSCLC_PET_VS_BONE_SCAN,
    ),
)
LYMPHOMA_PET_CT_STAGING = ImagingChoice(
    Code.imaging_pet_ct,
    Modality.pet_ct,
    Fact(
        "Lymphoma is staged with FDG PET-CT (FDG-avid histologies), not a bone scan; PET-CT also shows bone "
        "marrow involvement.",
        LUGANO_2014,
    ),
)
PSMA_PET_STAGING = ImagingChoice(
    Code.imaging_psma_pet,
    Modality.psma_pet,
    Fact(
        "High-risk prostate cancer: PSMA PET-CT was more accurate than CT plus bone scan for staging "
        "(proPSMA randomised trial).",
        PROPSMA_2020,
    ),
)
MSCC_WHOLE_SPINE_MRI = ImagingChoice(
    Code.imaging_mri,
    Modality.mri,
    Fact(
        "Suspected cord compression with neurological symptoms or signs: MRI of the whole spine and a "
        "treatment plan agreed within 24 hours; CT if MRI is contraindicated.",
        NICE_QS56,
    ),
)
SPINAL_PAIN_MRI = Fact(
    "Spinal pain suggestive of spinal metastases without neurological symptoms or signs: MRI of the whole "
    "spine within 1 week.",
    NICE_NG234,
    verified=False,
    caveat="the 1-week rule was in NICE CG75; it could not be confirmed in the NG234 text read",
)
CT_FOR_CORTICAL_DESTRUCTION = ImagingChoice(
    Code.imaging_ct,
    Modality.ct,
    Fact(
        "CT of a specific lesion shows cortical destruction and helps judge fracture risk and plan "
        "fixation; CT-guided needle biopsy.",
        ACR_AC_BONE_METS,
    ),
)
CT_CHEST_ABDOMEN_PELVIS = ImagingChoice(
    Code.imaging_ct_chest_abdomen_pelvis,
    Modality.ct,
    Fact(
        "Staging CT of the thorax, abdomen and pelvis (within 24 hours of the orthopaedic assessment); a "
        "CT that shows no primary raises the possibility of a primary bone tumour.",
        BOAST_2022,
    ),
)

# Primaries whose bone metastases a radionuclide bone scan may miss (purely lytic, little
# osteoblastic reaction).
MYELOMA_BONE_SCAN_INSENSITIVE = Fact(
    "Myeloma: the bone scan misses or underestimates disease (small lytic lesions are generally not "
    "detected); use whole-body low-dose CT, MRI or FDG PET-CT (skeletal survey if nothing else is "
    "available).",
    IMWG_2019,
)
RCC_BONE_SCAN_INSENSITIVE = Fact(
    "Renal cell carcinoma: bone scan sensitivity was 10-60% in a high-pretest cohort; whole-body MRI was "
    "more sensitive (94% vs 62%).",
    ACR_AC_BONE_METS,
    verified=False,
    caveat="figures from individual studies quoted in secondary sources (PubMed 9921987), not the ACR text",
)
THYROID_MELANOMA_BONE_SCAN = Fact(
    "Thyroid carcinoma and melanoma metastases may also be missed by the bone scan.",
    ACR_AC_BONE_METS,
    verified=False,
    caveat="general radiology teaching; no primary source retrieved",
)
BONE_SCAN_MAY_MISS: dict[Primary, Fact] = {
    Primary.myeloma: MYELOMA_BONE_SCAN_INSENSITIVE,
    Primary.kidney: RCC_BONE_SCAN_INSENSITIVE,
    Primary.thyroid: THYROID_MELANOMA_BONE_SCAN,
    Primary.melanoma: THYROID_MELANOMA_BONE_SCAN,
}


def bone_scan_may_miss(primary: Primary | None) -> Fact | None:
    """Why a bone scan is a poor staging test for this primary, or None."""
    return BONE_SCAN_MAY_MISS.get(primary) if primary is not None else None


def whole_body_staging(primary: Primary | None) -> tuple[ImagingChoice, ...]:
    """The whole-body staging test(s) to prefer for a primary, best first.

    Prostate: PSMA PET (proPSMA), bone scan as the conventional alternative. Lung: FDG
    PET-CT. Myeloma: no bone scan - low-dose CT/MRI/PET (IMWG 2019; mapped to PET-CT here).
    Lymphoma: FDG PET-CT (Lugano 2014). Kidney, thyroid, melanoma: PET-CT before the bone scan,
    which may miss lytic disease.
    Breast and others, or unknown: bone scan (ACR), PET-CT when it would change treatment.
    """
    if primary is Primary.prostate:
        return (PSMA_PET_STAGING, BONE_SCAN_STAGING)
    if primary is Primary.lung:
        return (PET_CT_STAGING,)
    if primary is Primary.myeloma:
        return (PET_CT_STAGING,)
    if primary is Primary.lymphoma:
        return (LYMPHOMA_PET_CT_STAGING,)
    if primary in BONE_SCAN_MAY_MISS:
        return (PET_CT_STAGING, BONE_SCAN_STAGING)
    return (BONE_SCAN_STAGING, PET_CT_STAGING)


# --- Prostate: when a staging bone scan is indicated --------------------------------------------------

PROSTATE_HIGH_RISK_PSA_ABOVE_NG_ML = 20.0  # AUA/NCCN/ACR via J Nucl Med 2020 Table 1
PROSTATE_HIGH_RISK_GLEASON_AT_LEAST = 8
PROSTATE_INTERMEDIATE_PSA_ABOVE_NG_ML = 10.0  # NCCN 2018 / ACR 2017: T2 and PSA > 10 -> consider


def prostate_staging_bone_scan(
    *,
    psa_ng_ml: float | None,
    gleason: int | None = None,
    t3_or_t4: bool | None = None,
    bone_symptoms: bool | None = None,
) -> Fact | None:
    """Why a staging bone scan is indicated in prostate cancer, or None when no rule applies.

    High risk (Gleason >= 8, PSA > 20 ng/mL or cT3-T4) or bone symptoms: stage (AUA "should",
    ACR "usually appropriate"). PSA > 10 ng/mL: consider (NCCN 2018, ACR "may be appropriate").
    NCCN criteria after 2018 were not retrieved.
    """
    if bone_symptoms:
        return Fact("Prostate cancer with bone symptoms: bone scan.", PROSTATE_BONE_SCAN_2020)
    high_risk = (
        (psa_ng_ml is not None and psa_ng_ml > PROSTATE_HIGH_RISK_PSA_ABOVE_NG_ML)
        or (gleason is not None and gleason >= PROSTATE_HIGH_RISK_GLEASON_AT_LEAST)
        or bool(t3_or_t4)
    )
    if high_risk:
        return Fact(
            "High-risk prostate cancer (Gleason >= 8, PSA > 20 ng/mL or cT3-T4): stage the skeleton.",
            PROSTATE_BONE_SCAN_2020,
        )
    if psa_ng_ml is not None and psa_ng_ml > PROSTATE_INTERMEDIATE_PSA_ABOVE_NG_ML:
        return Fact(
            "Prostate cancer with PSA > 10 ng/mL: a staging bone scan may be appropriate.",
            PROSTATE_BONE_SCAN_2020,
        )
    return None


# --- Laboratory work-up -----------------------------------------------------------------------------

BASELINE_LABS = Fact(
    "Suspected metastatic bone disease: full blood count, urea and electrolytes (creatinine), liver "
    "function tests, calcium/bone profile with albumin and alkaline phosphatase, PSA in men, and a "
    "myeloma screen.",
    BOAST_2022,
)
MYELOMA_SCREEN = Fact(
    "Myeloma screen: serum protein electrophoresis, serum free light chains, immunofixation and urine "
    "Bence-Jones protein.",
    BOAST_2022,
)
HYPERCALCAEMIA_WORKUP = Fact(
    "Hypercalcaemia: albumin-corrected or ionised calcium, intact PTH (suppressed in hypercalcaemia of "
    "malignancy), PTHrP, 25-OH and 1,25-(OH)2 vitamin D (1,25 raised in lymphoma and granulomatous "
    "disease), phosphate, magnesium, creatinine.",
    ENDOCRINE_SOCIETY_2023,
    verified=False,
    caveat="taken from secondary summaries of the Endocrine Society 2023 guideline",
)
LAB_WORKUP: tuple[Fact, ...] = (BASELINE_LABS, MYELOMA_SCREEN, HYPERCALCAEMIA_WORKUP)

# --- Biopsy ------------------------------------------------------------------------------------------

BIOPSY_LAST = Fact(
    "Unknown primary: history and examination, laboratory tests, radiographs of the bone and chest, "
    "bone scan and CT chest/abdomen/pelvis first, then biopsy of the most accessible bone lesion. This "
    "found the primary in 85%; biopsy alone identified it in only 35%.",
    ROUGRAFF_1993,
)
BIOPSY_LAST_JACOBSEN = Fact("Biopsy should be the last test performed.", JACOBSEN_1997)
CORE_NEEDLE_BIOPSY = Fact(
    "Image-guided percutaneous core-needle biopsy is the standard; prefer a core over fine-needle "
    "aspiration when immunohistochemistry is needed.",
    SELVES_2018,
    verified=False,
    caveat="accuracy figures (93-97% diagnostic) come from spine biopsy series quoted in secondary sources",
)
POSSIBLE_PRIMARY_BONE_TUMOUR = Fact(
    "Radiographic features of a primary bone tumour, or a lesion with no primary found on staging CT: do "
    "not biopsy or fix locally; refer to a bone sarcoma centre within 72 hours, where the biopsy is done.",
    BOAST_2022,
)
BIOPSY_BEFORE_FIXATION = Fact(
    "Plan the biopsy before any fixation; when fixing a lesion of unknown cause, send reamings for histology.",
    BOAST_2022,
    verified=False,
    caveat="the reamings advice is from orthopaedic teaching sources summarised with BOAST 2022",
)
BIOPSY_PRINCIPLES: tuple[Fact, ...] = (
    BIOPSY_LAST,
    BIOPSY_LAST_JACOBSEN,
    CORE_NEEDLE_BIOPSY,
    POSSIBLE_PRIMARY_BONE_TUMOUR,
    BIOPSY_BEFORE_FIXATION,
)

# --- Immunohistochemistry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IhcPanel:
    markers: tuple[str, ...]
    comment: str | None
    statement: Fact


IHC_PANELS: dict[Primary, IhcPanel] = {
    Primary.lung: IhcPanel(
        ("TTF-1", "napsin A", "CK7"),
        "TTF-1 is also positive in thyroid; squamous: p40/p63, CK5/6",
        Fact("Lung adenocarcinoma: TTF-1 and napsin A, CK7-positive.", SELVES_2018),
    ),
    Primary.breast: IhcPanel(
        ("GATA3", "ER", "PR", "HER2", "mammaglobin", "GCDFP-15"),
        "GATA3 is also positive in urothelial carcinoma",
        Fact("Breast: GATA3, ER, PR (HER2), mammaglobin, GCDFP-15; start with ER/PR in women.", SELVES_2018),
    ),
    Primary.prostate: IhcPanel(
        ("PSA", "NKX3.1", "PSAP", "PSMA"),
        "NKX3.1 sensitivity falls in metastatic or castration-resistant disease",
        Fact("Prostate: PSA and NKX3.1 (PSAP, PSMA); stain for PSA in men with adenocarcinoma.", ESMO_CUP_2015),
    ),
    Primary.kidney: IhcPanel(
        ("PAX8", "PAX2", "CAIX", "RCC marker", "CD10"),
        "PAX8 is also positive in thyroid and Mullerian tumours",
        Fact("Renal cell carcinoma: PAX8, PAX2, CAIX, RCC marker, CD10.", SELVES_2018),
    ),
    Primary.thyroid: IhcPanel(
        ("thyroglobulin", "TTF-1", "PAX8", "calcitonin"),
        "calcitonin for medullary carcinoma",
        Fact("Thyroid: thyroglobulin, TTF-1, PAX8; calcitonin for medullary carcinoma.", SELVES_2018),
    ),
    Primary.colon: IhcPanel(
        ("CDX2", "SATB2", "CK20"),
        "CK7-negative",
        Fact("Colorectal: CDX2, SATB2, CK20 (CK7-negative).", SELVES_2018),
    ),
    Primary.rectum: IhcPanel(
        ("CDX2", "SATB2", "CK20"),
        "CK7-negative",
        Fact("Colorectal: CDX2, SATB2, CK20 (CK7-negative).", SELVES_2018),
    ),
    Primary.bladder: IhcPanel(
        ("GATA3", "p63", "uroplakin", "CK7", "CK20"),
        None,
        Fact("Urothelial: GATA3, p63, uroplakin, CK7/CK20.", SELVES_2018),
    ),
    Primary.liver: IhcPanel(
        ("HepPar-1", "arginase-1"),
        None,
        Fact("Hepatocellular: HepPar-1, arginase-1.", KANDALAFT_GOWN_2016),
    ),
    Primary.melanoma: IhcPanel(
        ("S100", "SOX10", "Melan-A", "HMB45"),
        None,
        Fact("Melanoma: S100, SOX10, Melan-A, HMB45.", KANDALAFT_GOWN_2016),
    ),
    Primary.lymphoma: IhcPanel(
        ("CD45",),
        "exclude first: treatable",
        Fact("Lymphoma: CD45; exclude chemosensitive, potentially curable tumours first.", ESMO_CUP_2015),
    ),
    Primary.myeloma: IhcPanel(
        ("CD138", "kappa/lambda light chains"),
        "exclude first: treatable",
        Fact("Myeloma: CD138 and light-chain restriction.", KANDALAFT_GOWN_2016),
    ),
    Primary.testis: IhcPanel(
        ("SALL4", "OCT3/4", "PLAP"),
        "germ-cell tumours are treatable: exclude first",
        Fact("Germ cell tumours: SALL4, OCT3/4, PLAP.", ESMO_CUP_2015),
    ),
}

CK7_CK20_PATTERNS: dict[str, Fact] = {
    "CK7+/CK20-": Fact(
        "CK7+/CK20-: lung adenocarcinoma, breast, thyroid, endometrium/ovary (non-mucinous), salivary, "
        "intrahepatic bile duct, mesothelioma.",
        CHU_2000,
    ),
    "CK7-/CK20+": Fact("CK7-/CK20+: colorectal, Merkel cell.", CHU_2000),
    "CK7+/CK20+": Fact(
        "CK7+/CK20+: urothelial (often), pancreatic, gastric/upper GI, extrahepatic biliary, mucinous ovarian.",
        CHU_2000,
    ),
    "CK7-/CK20-": Fact(
        "CK7-/CK20-: prostate, renal cell (clear cell), hepatocellular, adrenocortical, lung squamous or "
        "small cell (often), germ cell.",
        CHU_2000,
    ),
}
IHC_EXCLUDE_TREATABLE_FIRST = Fact(
    "Immunohistochemistry identifies the tissue of origin and excludes chemosensitive, potentially curable "
    "tumours (lymphoma, germ cell) [III, A]; start with PSA in men and ER/PR in women.",
    ESMO_CUP_2015,
)


def ihc_panel(primary: Primary) -> IhcPanel | None:
    return IHC_PANELS.get(primary)


# Vertebral height loss grades used when a report says "mild" or "moderate" collapse
# (Genant: grade 1 mild 20-25%, grade 2 moderate 25-40%, grade 3 severe > 40%).
GENANT_1993 = Citation(
    key="genant1993",
    label="Genant 1993",
    reference=(
        "Genant HK, Wu CY, van Kuijk C, Nevitt MC. Vertebral fracture assessment using a "
        "semiquantitative technique. J Bone Miner Res. 1993;8(9):1137-1148."
    ),
    url="https://doi.org/10.1002/jbmr.5650080915",
)
register(GENANT_1993)
