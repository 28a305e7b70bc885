"""Sources for the overall diagnostic pathway (suspicion, work-up, unknown primary)."""

from __future__ import annotations

from bonemet.knowledge.citations import Citation, register

MERCK_METASTATIC_BONE_TUMORS = Citation(
    key="merck_metastatic_bone_tumors",
    label="Merck Manual 2022",
    reference=(
        "Joyce MJ, Joyce DM. Metastatic Bone Tumors. Merck Manual Professional Version, reviewed/revised July 2022"
    ),
    url=(
        "https://www.merckmanuals.com/professional/musculoskeletal-and-connective-tissue-disorders/"
        "tumors-of-bones-and-joints/metastatic-bone-tumors"
    ),
)
ROUGRAFF_1993 = Citation(
    key="rougraff1993",
    label="Rougraff 1993",
    reference=(
        "Rougraff BT, Kneisl JS, Simon MA. Skeletal metastases of unknown origin: a prospective study "
        "of a diagnostic strategy. J Bone Joint Surg Am 1993;75(9):1276-1281"
    ),
)

register(MERCK_METASTATIC_BONE_TUMORS, ROUGRAFF_1993)

# Sources the work-up rules lean on. (Reconciled with guideline_sources.py: one entry per source.)
BOAST_2022 = Citation(
    key="boast_mbd_2022",
    label="BOAST 2022",
    reference=(
        "British Orthopaedic Association / British Orthopaedic Oncology Society. BOAST: Management of "
        "Metastatic Bone Disease, June 2022"
    ),
    url="https://www.boa.ac.uk/resource/boast-metastatic-bone-disease.html",
)
ESMO_CUP_2015 = Citation(
    key="esmo_cup2015",
    label="ESMO CUP 2015",
    reference=(
        "Fizazi K, Greco FA, Pavlidis N, et al. Cancers of unknown primary site: ESMO Clinical Practice "
        "Guidelines. Ann Oncol 2015;26(Suppl 5):v133-v138"
    ),
)
PROPSMA_2020 = Citation(
    key="hofman2020_propsma",
    label="proPSMA 2020",
    reference=(
        "Hofman MS, Lawrentschuk N, Francis RJ, et al. Prostate-specific membrane antigen PET-CT in "
        "patients with high-risk prostate cancer before curative-intent surgery or radiotherapy (proPSMA). "
        "Lancet 2020;395:1208-1216"
    ),
)
IMWG_2019 = Citation(
    key="hillengass2019_imwg",
    label="IMWG 2019",
    reference=(
        "Hillengass J, Usmani S, Rajkumar SV, et al. International Myeloma Working Group consensus "
        "recommendations on imaging in monoclonal plasma cell disorders. Lancet Oncol 2019;20:e302-e312"
    ),
)
NICE_NG234 = Citation(
    key="nice_ng234",
    label="NICE NG234 (2023)",
    reference=(
        "National Institute for Health and Care Excellence. Spinal metastases and metastatic spinal cord "
        "compression. NICE guideline NG234, September 2023"
    ),
    url="https://www.nice.org.uk/guidance/ng234",
)
NSCLC_PET_VS_BONE_SCAN = Citation(
    key="nsclc_pet_bone_scan_2009",
    label="PET-CT vs bone scan in NSCLC",
    reference=(
        "Efficacy comparison between 18F-FDG PET/CT and bone scintigraphy in detecting bony metastases "
        "of non-small-cell lung cancer. Lung Cancer 2009 (1,000 patients; sensitivity 94.3% vs 78.1%, "
        "specificity 98.8% vs 97.4%; PubMed 19144446)"
    ),
    url="https://pubmed.ncbi.nlm.nih.gov/19144446/",
)

register(BOAST_2022, ESMO_CUP_2015, PROPSMA_2020, IMWG_2019, NICE_NG234, NSCLC_PET_VS_BONE_SCAN)
