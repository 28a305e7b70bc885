"""Guidelines, drug labels and trials the knowledge base cites, registered once each.

Each source is a `Citation` constant; the knowledge modules put the constant next to the
number it backs, and `Fact` pairs a clinical statement with its source. Sources the
pathway author registered first (BOAST 2022, NICE NG234, proPSMA, IMWG 2019, Merck
Manual, Rougraff 1993, ESMO CUP 2015, the NSCLC PET-CT series) are re-exported from
`pathway_sources` so that each source has exactly one registry entry.

Label versions change: where a label is cited, the reference says which text was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bonemet.knowledge.citations import Citation, register
from bonemet.knowledge.pathway_sources import (
    BOAST_2022,
    ESMO_CUP_2015,
    IMWG_2019,
    MERCK_METASTATIC_BONE_TUMORS,
    NICE_NG234,
    NSCLC_PET_VS_BONE_SCAN,
    PROPSMA_2020,
    ROUGRAFF_1993,
)


@dataclass(frozen=True)
class Fact:
    """One clinical statement and the source that backs it.

    `verified` is False when the statement could not be checked against the primary text;
    `caveat` then says what is uncertain, and `text` shows it to the user.
    """

    statement: str
    citation: Citation
    verified: bool = True
    caveat: str | None = None

    @cached_property
    def text(self) -> str:
        if self.caveat is None:
            return self.statement
        prefix = "Unverified" if not self.verified else "Note"
        return f"{self.statement} ({prefix}: {self.caveat})"

    def __hash__(self) -> int:
        # Rules de-duplicate facts on every assessment; equal facts share a statement, so its
        # (cached) string hash is enough and avoids hashing every field.
        return hash(self.statement)

    @property
    def citation_key(self) -> str:
        return self.citation.key


# --- Radiotherapy guidelines and trials -------------------------------------------------

ASTRO_2024 = Citation(
    key="astro2024_bone_rt",
    label="ASTRO 2024",
    reference=(
        "Alcorn S, Cortés ÁA, Bradfield L, et al. External Beam Radiation Therapy for Palliation of "
        "Symptomatic Bone Metastases: An ASTRO Clinical Practice Guideline. Pract Radiat Oncol 2024 "
        "(published online 22 May 2024). doi:10.1016/j.prro.2024.04.018"
    ),
    url="https://doi.org/10.1016/j.prro.2024.04.018",
)
ASTRO_2017 = Citation(
    key="astro2017_bone_rt",
    label="ASTRO 2017",
    reference=(
        "Lutz S, Balboni T, Jones J, et al. Palliative radiation therapy for bone metastases: Update of "
        "an ASTRO Evidence-Based Guideline. Pract Radiat Oncol 2017;7(1):4-12. "
        "doi:10.1016/j.prro.2016.08.001 (superseded by ASTRO 2024)"
    ),
    url="https://doi.org/10.1016/j.prro.2016.08.001",
)
SC24_2021 = Citation(
    key="sahgal2021_sc24",
    label="SC.24 (Sahgal 2021)",
    reference=(
        "Sahgal A, et al. Stereotactic body radiotherapy versus conventional "
        "external beam radiotherapy in patients with painful spinal metastases: an open-label, "
        "multicentre, randomised, controlled, phase 2/3 trial (CCTG SC.24/TROG 17.06). "
        "Lancet Oncol 2021;22(7):1023-1033. doi:10.1016/S1470-2045(21)00196-0"
    ),
    url="https://doi.org/10.1016/S1470-2045(21)00196-0",
)
RTOG_0631 = Citation(
    key="ryu2023_rtog0631",
    label="RTOG 0631 (Ryu 2023)",
    reference=(
        "Ryu S, Deshmukh S, Timmerman RD, et al. Stereotactic Radiosurgery vs Conventional Radiotherapy "
        "for Localized Vertebral Metastases of the Spine: Phase 3 Results of NRG Oncology/RTOG 0631 "
        "Randomized Clinical Trial. JAMA Oncol 2023;9(6):800-807"
    ),
)
SCORAD_III = Citation(
    key="hoskin2019_scorad3",
    label="SCORAD III (Hoskin 2019)",
    reference=(
        "Hoskin PJ, et al. Effect of Single-Fraction vs Multifraction Radiotherapy "
        "on Ambulatory Status Among Patients With Spinal Canal Compression From Metastatic Cancer: "
        "The SCORAD Randomized Clinical Trial. JAMA 2019"
    ),
)
PATCHELL_2005 = Citation(
    key="patchell2005",
    label="Patchell 2005",
    reference=(
        "Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection in the "
        "treatment of spinal cord compression caused by metastatic cancer: a randomised trial. "
        "Lancet 2005;366:643-648"
    ),
)
ELHAWWARI_2012 = Citation(
    key="elhawwari2012_single_fraction",
    label="Elhawwari 2012",
    reference=(
        "Elhawwari BA, Telfah AM. Comparison of 8 Gy single fraction versus 20 Gy in five fractions or "
        "30 Gy in 10 fractions radiotherapy for the treatment of metastatic bone pain. "
        "J R Med Serv 2012;19(2):36-43"
    ),
    url="http://rmsjournal.org/ArticlesView.aspx?ArticleId=643",
)

# --- Bone-modifying agents: guidelines ----------------------------------------------------

ESMO_2020 = Citation(
    key="esmo2020_bone_health",
    label="ESMO 2020",
    reference=(
        "Coleman R, et al. Bone health in cancer: ESMO Clinical Practice Guidelines. "
        "Ann Oncol 2020;31(12):1650-1663. doi:10.1016/j.annonc.2020.07.019"
    ),
    url="https://doi.org/10.1016/j.annonc.2020.07.019",
)
ASCO_2017_BMA = Citation(
    key="asco2017_bma_breast",
    label="ASCO-CCO 2017",
    reference=(
        "Van Poznak C, et al. Role of Bone-Modifying Agents in Metastatic "
        "Breast Cancer: An American Society of Clinical Oncology-Cancer Care Ontario Focused Guideline "
        "Update. J Clin Oncol 2017;35(35):3978-3986. doi:10.1200/JCO.2017.75.4614"
    ),
    url="https://doi.org/10.1200/JCO.2017.75.4614",
)
ASCO_2020_PROSTATE = Citation(
    key="asco2020_prostate_bone_health",
    label="ASCO 2020 (prostate)",
    reference=(
        "Saylor PJ, et al. Bone Health and Bone-Targeted Therapies for Prostate "
        "Cancer: ASCO Endorsement of a Cancer Care Ontario Guideline. J Clin Oncol 2020 "
        "(published 19 February 2020)"
    ),
)
NICE_TA265 = Citation(
    key="nice_ta265",
    label="NICE TA265",
    reference=(
        "National Institute for Health and Care Excellence. Denosumab for the prevention of "
        "skeletal-related events in adults with bone metastases from solid tumours. Technology "
        "appraisal guidance TA265, 2012"
    ),
    url="https://www.nice.org.uk/guidance/ta265",
)
AAOS_MBD = Citation(
    key="aaos_mbd_cpg",
    label="AAOS MBD guideline",
    reference=(
        "American Academy of Orthopaedic Surgeons. Management of Metastatic Bone Disease: clinical "
        "practice guideline and consensus statements (OrthoGuidelines)"
    ),
    url="https://www.orthoguidelines.org",
)

# --- Bone-modifying agents: labels and trials ------------------------------------------------

ZOMETA_US_PI = Citation(
    key="zometa_us_pi",
    label="Zometa US label",
    reference=(
        "Zometa (zoledronic acid) injection, US Prescribing Information, Novartis: sections 1 "
        "(indications), 2 (dosage, Table 1 renal doses), 5 (warnings). Dosing text as in the Novartis "
        "label and the current generic zoledronic acid 4 mg labels on openFDA"
    ),
    url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=zometa",
)
ZOMETA_SMPC = Citation(
    key="zometa_eu_smpc",
    label="Zometa EU SmPC",
    reference="Zometa 4 mg/100 ml solution for infusion, EU Summary of Product Characteristics, Novartis",
    url="https://www.ema.europa.eu/en/medicines/human/EPAR/zometa",
)
RECLAST_US_PI = Citation(
    key="reclast_us_pi",
    label="Reclast US label",
    reference=(
        "Reclast (zoledronic acid 5 mg/100 mL) injection, US Prescribing Information, Novartis "
        "(osteoporosis: 5 mg IV once yearly; Paget disease: 5 mg single dose). Marketed as Aclasta "
        "outside the US"
    ),
)
AREDIA_US_PI = Citation(
    key="pamidronate_us_pi",
    label="Pamidronate (Aredia) US label",
    reference=(
        "Pamidronate disodium injection (Aredia and generics), US Prescribing Information: indications "
        "(hypercalcaemia of malignancy, Paget disease, osteolytic breast metastases, osteolytic myeloma "
        "lesions), dosage, renal warnings"
    ),
    url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=pamidronate",
)
XGEVA_US_PI = Citation(
    key="xgeva_us_pi",
    label="Xgeva US label",
    reference=(
        "Xgeva (denosumab) injection 120 mg, US Prescribing Information, Amgen (revision with "
        "Dosage and Administration 2.1 changed 05/2025). Safety labelling changes "
        "Feb 2013 (severe hypocalcaemia), Aug 2013 (contraindication: pre-existing hypocalcaemia), "
        "Jun 2014 (renal dysfunction)"
    ),
    url="https://www.fda.gov/Safety/MedWatch/SafetyInformation/ucm343116.htm",
)
XGEVA_SMPC = Citation(
    key="xgeva_eu_smpc",
    label="Xgeva EU SmPC",
    reference="XGEVA 120 mg solution for injection, EU Summary of Product Characteristics, Amgen",
    url="https://www.ema.europa.eu/en/medicines/human/EPAR/xgeva",
)
PROLIA_US_PI = Citation(
    key="prolia_us_pi",
    label="Prolia US label",
    reference=(
        "Prolia (denosumab) injection 60 mg, US Prescribing Information, Amgen (osteoporosis: 60 mg SC "
        "every 6 months; boxed warning since January 2024: severe hypocalcaemia in advanced chronic "
        "kidney disease, eGFR < 30 mL/min/1.73 m2, including dialysis)"
    ),
    url=(
        "https://www.fda.gov/safety/medical-product-safety-information/prolia-denosumab-drug-safety-"
        "communication-fda-adds-boxed-warning-increased-risk-severe-hypocalcemia"
    ),
)
CALGB_70604 = Citation(
    key="himelstein2017_calgb70604",
    label="CALGB 70604 (Himelstein 2017)",
    reference=(
        "Himelstein AL, et al. Effect of Longer-Interval vs Standard Dosing "
        "of Zoledronic Acid on Skeletal Events in Patients With Bone Metastases: A Randomized Clinical "
        "Trial. JAMA 2017;317(1):48-58. doi:10.1001/jama.2016.19425"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC5321662",
)
SWOG_S0702 = Citation(
    key="vanpoznak2021_swog_s0702",
    label="SWOG S0702 (Van Poznak 2021)",
    reference=(
        "Van Poznak CH, et al. Association of Osteonecrosis of the Jaw With Zoledronic "
        "Acid Treatment for Bone Metastases in Patients With Cancer. JAMA Oncol 2021;7(2):246-254"
    ),
    url="https://jamanetwork.com/journals/jamaoncology/article-abstract/2773839",
)
SAAD_2012 = Citation(
    key="saad2012_onj",
    label="Saad 2012",
    reference=(
        "Saad F, et al. Incidence, risk factors, and outcomes of osteonecrosis of "
        "the jaw: integrated analysis from three blinded active-controlled phase III trials in cancer "
        "patients with bone metastases. Ann Oncol 2012;23(5):1341-1347"
    ),
)
FIZAZI_2011 = Citation(
    key="fizazi2011_denosumab_crpc",
    label="Fizazi 2011",
    reference=(
        "Fizazi K, et al. Denosumab versus zoledronic acid for treatment of bone "
        "metastases in men with castration-resistant prostate cancer: a randomised, double-blind study. "
        "Lancet 2011;377(9768):813-822"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3090685",
)

# --- Hypercalcaemia ----------------------------------------------------------------------------

ENDOCRINE_SOCIETY_2023 = Citation(
    key="endocrine_society2023_hcm",
    label="Endocrine Society 2023",
    reference=(
        "El-Hajj Fuleihan G, et al. Treatment of Hypercalcemia of Malignancy in Adults: "
        "An Endocrine Society Clinical Practice Guideline. J Clin Endocrinol Metab 2023;108(3):507-528. "
        "doi:10.1210/clinem/dgac621"
    ),
    url="https://doi.org/10.1210/clinem/dgac621",
)
CURRENT_MDT_CALCITONIN = Citation(
    key="current_mdt_hypercalcemia",
    label="CURRENT Medical Diagnosis & Treatment",
    reference=(
        "Papadakis MA, McPhee SJ (eds). CURRENT Medical Diagnosis & Treatment, hypercalcaemia "
        "of malignancy: calcitonin dosing (AccessMedicine)"
    ),
)

# --- Surgery and vertebral augmentation -------------------------------------------------------

VAN_DER_LINDEN_2004 = Citation(
    key="vanderlinden2004_femur",
    label="Van der Linden 2004",
    reference=(
        "Van der Linden YM, et al. Comparative analysis of risk factors for "
        "pathological fracture with femoral metastases. J Bone Joint Surg Br 2004;86(4):566-573"
    ),
)
HARRINGTON_CRITERIA = Citation(
    key="harrington_criteria",
    label="Harrington criteria",
    reference=(
        "Harrington criteria for impending pathological fracture (older, not validated), as summarised "
        "by Radiopaedia (article: Mirels classification / impending pathological fracture)"
    ),
    url="https://radiopaedia.org/articles/mirels-classification-pathological-fracture-risk-1",
)
RCC_SURGERY_2010 = Citation(
    key="rcc_bone_surgery2010",
    label="RCC bone surgery series 2010",
    reference=(
        "Bone metastases from renal cell carcinoma: patient survival after surgical treatment "
        "(101 patients, 1980-2005). BMC Musculoskelet Disord 2010;11:145"
    ),
    url="https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/1471-2474-11-145",
)
GRUNWALD_2018 = Citation(
    key="grunwald2018_rcc_bone",
    label="Grünwald 2018",
    reference=(
        "Grünwald V, et al. An interdisciplinary consensus on the management of bone "
        "metastases from renal cell carcinoma. Nat Rev Urol 2018;15(8):511-521"
    ),
)
CAFE_2011 = Citation(
    key="berenson2011_cafe",
    label="CAFE (Berenson 2011)",
    reference=(
        "Berenson J, et al. Balloon kyphoplasty versus non-surgical fracture "
        "management for treatment of painful vertebral body compression fractures in patients with "
        "cancer: a multicentre, randomised controlled trial. Lancet Oncol 2011;12(3):225-235"
    ),
)
VERTEBRAL_AUGMENTATION_REVIEW = Citation(
    key="vertebral_augmentation_ir_review",
    label="Vertebral augmentation reviews",
    reference=(
        "Interventional radiology and spine reviews of vertebroplasty and kyphoplasty in malignant "
        "vertebral compression fractures: indications and contraindications (e.g. PMC3773069)"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3773069",
)

# --- Imaging, laboratory work-up, pathology -------------------------------------------------------

ACR_AC_BONE_METS = Citation(
    key="acr_ac_metastatic_bone_disease",
    label="ACR Appropriateness Criteria",
    reference=(
        "Roberts CC, et al. ACR Appropriateness Criteria on metastatic bone "
        "disease. J Am Coll Radiol 2010;7(6):400-409 (last reviewed 2012)"
    ),
)
PROSTATE_BONE_SCAN_2020 = Citation(
    key="jnm2020_prostate_bone_scan",
    label="JNM 2020 (prostate staging summary)",
    reference=(
        "J Nucl Med 2020;61(3):405-411, Table 1: bone scan recommendations for prostate cancer staging "
        "summarised from AUA/ASTRO/SUO 2017, NCCN 2018, ACR 2017 and SNMMI 2017"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC7067527",
)
NICE_QS56 = Citation(
    key="nice_qs56",
    label="NICE QS56",
    reference=(
        "National Institute for Health and Care Excellence. Metastatic spinal cord compression in adults. "
        "Quality standard QS56, statement 3: whole-spine MRI and treatment plan within 24 hours"
    ),
    url=(
        "https://www.nice.org.uk/guidance/qs56/chapter/Quality-statement-3-Imaging-and-treatment-plans-"
        "for-adults-with-suspected-metastatic-spinal-cord-compression"
    ),
)
NICE_CG75 = Citation(
    key="nice_cg75",
    label="NICE CG75 (2008)",
    reference=(
        "National Institute for Health and Care Excellence. Metastatic spinal cord compression in adults: "
        "risk assessment, diagnosis and management. Clinical guideline CG75, November 2008 "
        "(replaced by NG234 in 2023)"
    ),
    url="https://www.nice.org.uk/guidance/cg75",
)
SELVES_2018 = Citation(
    key="selves2018_ihc",
    label="Selves 2018",
    reference=(
        "Selves J, et al. Immunohistochemistry for Diagnosis of Metastatic "
        "Carcinomas of Unknown Primary Site. Cancers (Basel) 2018;10(4):108"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC5923363",
)
CHU_2000 = Citation(
    key="chu2000_ck7_ck20",
    label="Chu 2000",
    reference=(
        "Chu P, et al. Cytokeratin 7 and cytokeratin 20 expression in epithelial neoplasms: "
        "a survey of 435 cases. Mod Pathol 2000;13(9):962-972"
    ),
)
KANDALAFT_GOWN_2016 = Citation(
    key="kandalaft_gown2016_ihc",
    label="Kandalaft & Gown 2016",
    reference=(
        "Kandalaft PL, Gown AM. Practical Applications in Immunohistochemistry: Carcinomas of Unknown "
        "Primary Site. Arch Pathol Lab Med 2016;140:508"
    ),
)
JACOBSEN_1997 = Citation(
    key="jacobsen1997",
    label="Jacobsen 1997",
    reference=(
        "Jacobsen S, Stephensen SL, Paaske BP, Lie PG, Lausten GS. Skeletal metastases of unknown origin: "
        "a retrospective analysis of 29 cases. Acta Orthop Belg 1997;63(1):15-22"
    ),
    url=(
        "http://www.actaorthopaedica.be/archive/volume-63/issue-1/article/"
        "skeletal-metastases-of-unknown-origin-a-retrospective-analysis-of-29-cases/"
    ),
)

# --- Epidemiology and radiographic pattern ------------------------------------------------------

SIMON_1986 = Citation(
    key="simon1986",
    label="Simon & Bartucci 1986",
    reference=(
        "Simon MA, Bartucci EJ. The search for the primary tumor in patients with skeletal metastases of "
        "unknown origin. Cancer 1986;58(5):1088-1095"
    ),
)
TAKAGI_2015 = Citation(
    key="takagi2015_smup",
    label="Takagi 2015",
    reference=(
        "Takagi T, Katagiri H, Kim Y, et al. Skeletal Metastasis of Unknown Primary Origin at the Initial "
        "Visit: A Retrospective Analysis of 286 Cases. PLoS One 2015;10(6):e0129428"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC4482691",
)
KATAGIRI_1999 = Citation(
    key="katagiri1999_smup",
    label="Katagiri 1999",
    reference=(
        "Katagiri H, et al. Determining the site of the primary cancer in patients "
        "with skeletal metastasis of unknown origin: a retrospective study. Cancer 1999;86(3):533-537"
    ),
)
PICCIOLI_2015 = Citation(
    key="piccioli2015_unknown_origin",
    label="Piccioli 2015",
    reference=(
        "Piccioli A, et al. Bone metastases of unknown origin: "
        "epidemiology and principles of management. J Orthop Traumatol 2015;16(2):81-86"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC4441638",
)
COLEMAN_2006 = Citation(
    key="coleman2006",
    label="Coleman 2006",
    reference=(
        "Coleman RE. Clinical features of metastatic bone disease and risk of skeletal morbidity. "
        "Clin Cancer Res 2006;12(20 Pt 2):6243s-6249s (table as reproduced in secondary sources)"
    ),
)
RADIOPAEDIA_MIXED = Citation(
    key="radiopaedia_mixed_bone_mets",
    label="Radiopaedia",
    reference="Radiopaedia. Mixed lytic and sclerotic bone metastases (article)",
    url="https://radiopaedia.org/articles/mixed-lytic-and-sclerotic-bone-metastases",
)
DEVITA_PATTERNS = Citation(
    key="devita2001_bone_patterns",
    label="DeVita 2001",
    reference=(
        "DeVita VT Jr, Hellman S, Rosenberg SA (eds). Cancer: Principles and Practice of Oncology, 6th ed. "
        "Lippincott Williams & Wilkins 2001: lytic versus blastic bone metastases (as quoted)"
    ),
)
RADIOLOGY_TEACHING_PATTERNS = Citation(
    key="radiology_teaching_bone_mets",
    label="Radiology teaching lists",
    reference=(
        "Radiology teaching lists of lytic, lytic-expansile, sclerotic and mixed skeletal metastases "
        "(e.g. LearningRadiology 'Metastatic disease to bone'; SeekHealthZ 'Skeletal metastases'); "
        "secondary sources"
    ),
    url="http://www.learningradiology.com/archives05/COW%20142-Osteoblastic%20mets/blasticmetscorrect.htm",
)
DOW_2023 = Citation(
    key="dow2023_hand_metastases",
    label="Dow 2023",
    reference=(
        "Dow T, Davis C, ElAbd R, Lalonde D, Williams J. Cancer Metastases to the Hand: A Systematic Review "
        "and Meta-analysis. Hand (N Y) 2024;19(6):865-874 (online 2023). doi:10.1177/15589447231153175"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC11342693",
)
UMANA_2021 = Citation(
    key="umana2021_acrometastases",
    label="Umana 2021",
    reference=(
        "Umana GE, Scalia G, Palmisciano P, et al. Acrometastases to the Hand: A Systematic Review. "
        "Medicina (Kaunas) 2021;57(9):950. doi:10.3390/medicina57090950"
    ),
    url="https://doi.org/10.3390/medicina57090950",
)
ACS_MALE_BREAST = Citation(
    key="acs_male_breast_cancer",
    label="American Cancer Society",
    reference=(
        "American Cancer Society. Key statistics for breast cancer in men: about 1 in 100 breast cancers "
        "diagnosed in the United States is found in a man"
    ),
    url="https://www.cancer.org/cancer/types/breast-cancer-in-men/about/key-statistics.html",
)

register(
    ASTRO_2024,
    ASTRO_2017,
    SC24_2021,
    RTOG_0631,
    SCORAD_III,
    PATCHELL_2005,
    ELHAWWARI_2012,
    ESMO_2020,
    ASCO_2017_BMA,
    ASCO_2020_PROSTATE,
    NICE_TA265,
    AAOS_MBD,
    ZOMETA_US_PI,
    ZOMETA_SMPC,
    RECLAST_US_PI,
    AREDIA_US_PI,
    XGEVA_US_PI,
    XGEVA_SMPC,
    PROLIA_US_PI,
    CALGB_70604,
    SWOG_S0702,
    SAAD_2012,
    FIZAZI_2011,
    ENDOCRINE_SOCIETY_2023,
    CURRENT_MDT_CALCITONIN,
    VAN_DER_LINDEN_2004,
    HARRINGTON_CRITERIA,
    RCC_SURGERY_2010,
    GRUNWALD_2018,
    CAFE_2011,
    VERTEBRAL_AUGMENTATION_REVIEW,
    ACR_AC_BONE_METS,
    PROSTATE_BONE_SCAN_2020,
    NICE_QS56,
    NICE_CG75,
    SELVES_2018,
    CHU_2000,
    KANDALAFT_GOWN_2016,
    JACOBSEN_1997,
    SIMON_1986,
    TAKAGI_2015,
    KATAGIRI_1999,
    PICCIOLI_2015,
    COLEMAN_2006,
    RADIOPAEDIA_MIXED,
    DEVITA_PATTERNS,
    RADIOLOGY_TEACHING_PATTERNS,
    DOW_2023,
    UMANA_2021,
    ACS_MALE_BREAST,
)

# Every source this module makes available, including those registered by pathway_sources.
GUIDELINE_SOURCES: tuple[Citation, ...] = (
    ASTRO_2024,
    ASTRO_2017,
    SC24_2021,
    RTOG_0631,
    SCORAD_III,
    PATCHELL_2005,
    ELHAWWARI_2012,
    ESMO_2020,
    ASCO_2017_BMA,
    ASCO_2020_PROSTATE,
    NICE_TA265,
    AAOS_MBD,
    ZOMETA_US_PI,
    ZOMETA_SMPC,
    RECLAST_US_PI,
    AREDIA_US_PI,
    XGEVA_US_PI,
    XGEVA_SMPC,
    PROLIA_US_PI,
    CALGB_70604,
    SWOG_S0702,
    SAAD_2012,
    FIZAZI_2011,
    ENDOCRINE_SOCIETY_2023,
    CURRENT_MDT_CALCITONIN,
    VAN_DER_LINDEN_2004,
    HARRINGTON_CRITERIA,
    RCC_SURGERY_2010,
    GRUNWALD_2018,
    CAFE_2011,
    VERTEBRAL_AUGMENTATION_REVIEW,
    ACR_AC_BONE_METS,
    PROSTATE_BONE_SCAN_2020,
    NICE_QS56,
    NICE_CG75,
    SELVES_2018,
    CHU_2000,
    KANDALAFT_GOWN_2016,
    JACOBSEN_1997,
    SIMON_1986,
    TAKAGI_2015,
    KATAGIRI_1999,
    PICCIOLI_2015,
    COLEMAN_2006,
    RADIOPAEDIA_MIXED,
    DEVITA_PATTERNS,
    RADIOLOGY_TEACHING_PATTERNS,
    DOW_2023,
    UMANA_2021,
    ACS_MALE_BREAST,
    BOAST_2022,
    ESMO_CUP_2015,
    IMWG_2019,
    MERCK_METASTATIC_BONE_TUMORS,
    NICE_NG234,
    NSCLC_PET_VS_BONE_SCAN,
    PROPSMA_2020,
    ROUGRAFF_1993,
)

__all__ = [
    "AAOS_MBD",
    "ACR_AC_BONE_METS",
    "ACS_MALE_BREAST",
    "AREDIA_US_PI",
    "ASCO_2017_BMA",
    "ASCO_2020_PROSTATE",
    "ASTRO_2017",
    "ASTRO_2024",
    "BOAST_2022",
    "CAFE_2011",
    "CALGB_70604",
    "CHU_2000",
    "COLEMAN_2006",
    "CURRENT_MDT_CALCITONIN",
    "DEVITA_PATTERNS",
    "DOW_2023",
    "ELHAWWARI_2012",
    "ENDOCRINE_SOCIETY_2023",
    "ESMO_2020",
    "ESMO_CUP_2015",
    "FIZAZI_2011",
    "GRUNWALD_2018",
    "GUIDELINE_SOURCES",
    "HARRINGTON_CRITERIA",
    "IMWG_2019",
    "JACOBSEN_1997",
    "KANDALAFT_GOWN_2016",
    "KATAGIRI_1999",
    "MERCK_METASTATIC_BONE_TUMORS",
    "NICE_CG75",
    "NICE_NG234",
    "NICE_QS56",
    "NICE_TA265",
    "NSCLC_PET_VS_BONE_SCAN",
    "PATCHELL_2005",
    "PICCIOLI_2015",
    "PROLIA_US_PI",
    "PROPSMA_2020",
    "PROSTATE_BONE_SCAN_2020",
    "RADIOLOGY_TEACHING_PATTERNS",
    "RADIOPAEDIA_MIXED",
    "RCC_SURGERY_2010",
    "RECLAST_US_PI",
    "ROUGRAFF_1993",
    "RTOG_0631",
    "SAAD_2012",
    "SC24_2021",
    "SCORAD_III",
    "SELVES_2018",
    "SIMON_1986",
    "SWOG_S0702",
    "TAKAGI_2015",
    "UMANA_2021",
    "VAN_DER_LINDEN_2004",
    "VERTEBRAL_AUGMENTATION_REVIEW",
    "XGEVA_SMPC",
    "XGEVA_US_PI",
    "ZOMETA_SMPC",
    "ZOMETA_US_PI",
    "Fact",
]
