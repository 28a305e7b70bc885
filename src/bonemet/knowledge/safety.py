"""Safety facts added in the second clinical review: low calcium, age, re-irradiation timing,
life-expectancy conditions, lymphoma staging, dental care on an agent, bone health on ADT and
radium-223.

Each number sits next to its source. Where the primary text could not be read here, the fact
is marked unverified and says what is uncertain (shown to the user).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.citations import Citation, register
from bonemet.knowledge.guideline_sources import (
    ASCO_2020_PROSTATE,
    ASTRO_2017,
    ASTRO_2024,
    ENDOCRINE_SOCIETY_2023,
    ESMO_2020,
    XGEVA_US_PI,
    ZOMETA_US_PI,
    Fact,
)
from bonemet.knowledge.pathway_sources import BOAST_2022, NICE_NG234

# --- Sources ------------------------------------------------------------------------------------

CTCAE_V5 = Citation(
    key="ctcae_v5",
    label="CTCAE v5.0",
    reference=(
        "National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE) Version 5.0. "
        "US Department of Health and Human Services, 27 November 2017 (hypocalcaemia, metabolism and "
        "nutrition disorders)"
    ),
    url="https://ctep.cancer.gov/protocoldevelopment/electronic_applications/ctc.htm",
)
SFE_HYPOCALCAEMIA_2016 = Citation(
    key="sfe2016_acute_hypocalcaemia",
    label="Society for Endocrinology 2016",
    reference=(
        "Turner J, Gittoes N, Selby P; Society for Endocrinology Clinical Committee. Society for Endocrinology "
        "Endocrine Emergency Guidance: emergency management of acute hypocalcaemia in adult patients. "
        "Endocr Connect 2016;5(5):G7-G8 (addendum 2019;8(6):X1). doi:10.1530/EC-16-0056"
    ),
    url="https://doi.org/10.1530/EC-16-0056",
)
ESMO_BONE_SARCOMA = Citation(
    key="esmo_bone_sarcoma",
    label="ESMO bone sarcoma guideline",
    reference=(
        "Strauss SJ, Frezza AM, Abecassis N, et al. Bone sarcomas: ESMO-EURACAN-GENTURIS-ERN PaedCan Clinical "
        "Practice Guideline for diagnosis, treatment and follow-up. Ann Oncol 2021;32(12):1520-1536; the age "
        "statement is that of the 2014 edition (Ann Oncol 2014;25 Suppl 3:iii113-iii123)"
    ),
    url="https://doi.org/10.1016/j.annonc.2021.08.1995",
)
NICE_NG12 = Citation(
    key="nice_ng12",
    label="NICE NG12",
    reference="NICE guideline NG12. Suspected cancer: recognition and referral (2015, updated). Bone sarcoma",
    url="https://www.nice.org.uk/guidance/ng12",
)
LUGANO_2014 = Citation(
    key="lugano2014",
    label="Lugano 2014",
    reference=(
        "Cheson BD, Fisher RI, Barrington SF, et al. Recommendations for initial evaluation, staging, and "
        "response assessment of Hodgkin and non-Hodgkin lymphoma: the Lugano classification. J Clin Oncol "
        "2014;32(27):3059-3068. doi:10.1200/JCO.2013.54.8800"
    ),
    url="https://doi.org/10.1200/JCO.2013.54.8800",
)
CHOW_2012 = Citation(
    key="chow2012_bone_rt_review",
    label="Chow 2012",
    reference=(
        "Chow E, Zeng L, Salvo N, Dennis K, Tsao M, Lutz S. Update on the systematic review of palliative "
        "radiotherapy trials for bone metastases. Clin Oncol (R Coll Radiol) 2012;24(2):112-124. "
        "doi:10.1016/j.clon.2011.11.004"
    ),
    url="https://doi.org/10.1016/j.clon.2011.11.004",
)
MASCC_ISOO_ASCO_2019 = Citation(
    key="mascc_isoo_asco2019_mronj",
    label="MASCC/ISOO/ASCO 2019",
    reference=(
        "Yarom N, Shapiro CL, Peterson DE, et al. Medication-Related Osteonecrosis of the Jaw: MASCC/ISOO/ASCO "
        "Clinical Practice Guideline. J Clin Oncol 2019;37(25):2270-2290. doi:10.1200/JCO.19.01186"
    ),
    url="https://doi.org/10.1200/JCO.19.01186",
)
ALSYMPCA_2013 = Citation(
    key="alsympca2013",
    label="ALSYMPCA 2013",
    reference=(
        "Parker C, Nilsson S, Heinrich D, et al. Alpha emitter radium-223 and survival in metastatic prostate "
        "cancer. N Engl J Med 2013;369(3):213-223. doi:10.1056/NEJMoa1213755"
    ),
    url="https://doi.org/10.1056/NEJMoa1213755",
)
ERA_223_2019 = Citation(
    key="era223_2019",
    label="ERA 223 2019",
    reference=(
        "Smith M, Parker C, Saad F, et al. Addition of radium-223 to abiraterone acetate and prednisone or "
        "prednisolone in patients with castration-resistant prostate cancer and bone metastases (ERA 223). "
        "Lancet Oncol 2019;20(3):408-419. doi:10.1016/S1470-2045(18)30860-X"
    ),
    url="https://doi.org/10.1016/S1470-2045(18)30860-X",
)
BMJ_BP_HYPERCALCAEMIA = Citation(
    key="bmj_bp_hypercalcaemia",
    label="BMJ Best Practice",
    reference="BMJ Best Practice. Hypercalcaemia: criteria (reference limits; values vary between laboratories)",
)

GILLESPIE_2024 = Citation(
    key="gillespie2024_prophylactic_rt",
    label="Gillespie 2024 (phase II)",
    reference=(
        "Gillespie EF, Yang JC, Mathis NJ, et al. Prophylactic Radiation Therapy Versus Standard of Care for "
        "Patients With High-Risk Asymptomatic Bone Metastases: A Multicenter, Randomized Phase II Clinical Trial. "
        "J Clin Oncol 2024;42(1):38-46. doi:10.1200/JCO.23.00753"
    ),
    url="https://doi.org/10.1200/JCO.23.00753",
)

register(
    CTCAE_V5,
    SFE_HYPOCALCAEMIA_2016,
    ESMO_BONE_SARCOMA,
    NICE_NG12,
    LUGANO_2014,
    CHOW_2012,
    MASCC_ISOO_ASCO_2019,
    ALSYMPCA_2013,
    ERA_223_2019,
    BMJ_BP_HYPERCALCAEMIA,
    GILLESPIE_2024,
)

# --- Low calcium --------------------------------------------------------------------------------

# Laboratory lower limits differ; 8.5 mg/dL is a common value and only the default.
DEFAULT_LOWER_LIMIT_OF_NORMAL_MG_DL = 8.5
# CTCAE v5.0 hypocalcaemia, corrected serum calcium: grade 1 < LLN-8.0; 2 < 8.0-7.0; 3 < 7.0-6.0; 4 < 6.0 mg/dL.
CTCAE_GRADE_2_BELOW_MG_DL = 8.0
CTCAE_GRADE_3_BELOW_MG_DL = 7.0
CTCAE_GRADE_4_BELOW_MG_DL = 6.0
# Society for Endocrinology 2016: severe = adjusted calcium < 1.9 mmol/L (7.6 mg/dL) and/or symptomatic.
SFE_SEVERE_BELOW_MMOL_L = 1.9
MG_DL_PER_MMOL_L_CALCIUM = 4.008  # calcium molar mass 40.08 g/mol
SFE_SEVERE_BELOW_MG_DL = round(SFE_SEVERE_BELOW_MMOL_L * MG_DL_PER_MMOL_L_CALCIUM, 1)  # 7.6


class HypocalcaemiaGrade(StrEnum):
    none = "none"
    grade_1 = "CTCAE grade 1"
    grade_2 = "CTCAE grade 2"
    grade_3 = "CTCAE grade 3"
    grade_4 = "CTCAE grade 4"


def hypocalcaemia_grade(
    corrected_calcium_mg_dl: float, lower_limit_of_normal_mg_dl: float = DEFAULT_LOWER_LIMIT_OF_NORMAL_MG_DL
) -> HypocalcaemiaGrade:
    """CTCAE v5.0 grade of an albumin-corrected calcium in mg/dL (symptoms can raise it: the caller says)."""
    if math.isnan(corrected_calcium_mg_dl):
        raise ValueError("corrected calcium must be a number")
    if corrected_calcium_mg_dl < CTCAE_GRADE_4_BELOW_MG_DL:
        return HypocalcaemiaGrade.grade_4
    if corrected_calcium_mg_dl < CTCAE_GRADE_3_BELOW_MG_DL:
        return HypocalcaemiaGrade.grade_3
    if corrected_calcium_mg_dl < CTCAE_GRADE_2_BELOW_MG_DL:
        return HypocalcaemiaGrade.grade_2
    if corrected_calcium_mg_dl < lower_limit_of_normal_mg_dl:
        return HypocalcaemiaGrade.grade_1
    return HypocalcaemiaGrade.none


HYPOCALCAEMIA_GRADES = Fact(
    "Hypocalcaemia (CTCAE v5.0, corrected serum calcium): grade 1 below the lower limit of normal to 8.0 mg/dL; "
    "grade 2 below 8.0 to 7.0 mg/dL or symptomatic; grade 3 below 7.0 to 6.0 mg/dL or hospitalisation "
    "indicated; grade 4 below 6.0 mg/dL or life-threatening.",
    CTCAE_V5,
)
SEVERE_HYPOCALCAEMIA_IV_CALCIUM = Fact(
    "Severe hypocalcaemia (adjusted calcium < 1.9 mmol/L, about 7.6 mg/dL, and/or symptomatic) is a medical "
    "emergency: 10-20 mL of 10% calcium gluconate in 50-100 mL of 5% dextrose IV over 10 minutes with ECG "
    "monitoring, repeated until symptoms resolve, then a calcium gluconate infusion titrated to normocalcaemia.",
    SFE_HYPOCALCAEMIA_2016,
)
MILD_HYPOCALCAEMIA_ORAL = Fact(
    "Mild hypocalcaemia (asymptomatic, adjusted calcium > 1.9 mmol/L): oral calcium supplements, and treat the "
    "cause - vitamin D deficiency or magnesium deficiency.",
    SFE_HYPOCALCAEMIA_2016,
)
HYPOCALCAEMIA_INVESTIGATIONS = Fact(
    "Investigate hypocalcaemia with albumin-adjusted calcium, phosphate, PTH, urea and electrolytes, vitamin D "
    "and magnesium.",
    SFE_HYPOCALCAEMIA_2016,
)
DENOSUMAB_CONTRAINDICATED_IN_HYPOCALCAEMIA = Fact(
    "Denosumab (Xgeva) is contraindicated in pre-existing hypocalcaemia, which must be corrected before the "
    "first dose.",
    XGEVA_US_PI,
)
BISPHOSPHONATE_AFTER_CALCIUM_CORRECTED = Fact(
    "Zoledronic acid also lowers serum calcium: correct hypocalcaemia, and give calcium and vitamin D, before "
    "starting it.",
    ZOMETA_US_PI,
    verified=False,
    caveat="the label's exact wording on pre-existing hypocalcaemia was not read here; its warnings list "
    "hypocalcaemia and its dosing section calls for calcium and vitamin D",
)

# --- Corrected calcium when albumin is low ---------------------------------------------------------

# Laboratory limits differ: these are common values and only the defaults.
DEFAULT_ALBUMIN_LOWER_LIMIT_G_DL = 3.5
DEFAULT_IONIZED_CALCIUM_UPPER_LIMIT_MMOL_L = 1.3  # BMJ Best Practice: ionised calcium ULN 1.3 mmol/L
IONIZED_CALCIUM_WHEN_ALBUMIN_LOW = Fact(
    "With low albumin the albumin-corrected calcium can overstate the free calcium: measure ionised calcium "
    "before labelling hypercalcaemia of malignancy, without delaying treatment of a severe rise.",
    ENDOCRINE_SOCIETY_2023,
    verified=False,
    caveat="the guideline's wording on ionised calcium was not read here; the correction formula's limits "
    "in hypoalbuminaemia are widely reported",
)
IONIZED_CALCIUM_LIMIT = Fact(
    "Ionised calcium upper limit of normal about 1.3 mmol/L (values vary between laboratories).",
    BMJ_BP_HYPERCALCAEMIA,
)
UPPER_LIMIT_IS_A_DEFAULT = (
    "The upper limit of normal used here (10.5 mg/dL) is a common laboratory value and only a default: use "
    "your laboratory's range."
)

# --- Hypercalcaemia with renal failure ----------------------------------------------------------

DENOSUMAB_IN_RENAL_FAILURE_HCM = Fact(
    "Hypercalcaemia of malignancy with renal failure: denosumab is favoured over IV bisphosphonates (no renal "
    "clearance).",
    ENDOCRINE_SOCIETY_2023,
)

# --- Age -----------------------------------------------------------------------------------------

ADULT_FROM_YEARS = 18.0
# ESMO bone sarcoma guideline: "after 40 years of age, [a destructive bone lesion] tends to be metastasis
# or myeloma"; from 5 to 40 it is often a primary bone sarcoma.
SARCOMA_AGE_BELOW_YEARS = 40.0
NEUROBLASTOMA_AGE_BELOW_YEARS = 5.0

AGE_AND_DIAGNOSIS = Fact(
    "The likely diagnosis of a destructive bone lesion depends on age: before 5 years metastatic "
    "neuroblastoma or eosinophilic granuloma (Langerhans cell histiocytosis); from 5 to 40 years often a primary "
    "bone sarcoma; after 40 years usually metastasis or myeloma.",
    ESMO_BONE_SARCOMA,
)
SARCOMA_CENTRE_WORKUP = Fact(
    "A suspected primary bone sarcoma is referred to a bone sarcoma reference centre before any biopsy; the "
    "local work-up there includes MRI of the whole affected bone and adjacent joints, and chest CT for staging.",
    ESMO_BONE_SARCOMA,
)
CHILDREN_BONE_SARCOMA_REFERRAL = Fact(
    "Children and young people: very urgent X-ray (within 48 hours) for unexplained bone swelling or pain; "
    "very urgent referral (within 48 hours) if the X-ray suggests the possibility of bone sarcoma.",
    NICE_NG12,
)
NO_LOCAL_BIOPSY_OR_FIXATION = Fact(
    "Possible primary bone tumour: no biopsy or fixation outside the sarcoma centre - a wrong tract or an "
    "intramedullary nail can spread the tumour and cost the limb.",
    BOAST_2022,
)
ADULT_SERIES_ONLY = (
    "The likely-primary model comes from adult series of bone metastases of unknown origin; it is not shown "
    "under 18 or when a primary bone tumour is the leading possibility."
)
ADULT_SCORES_ONLY = (
    "Cockcroft-Gault creatinine clearance and the adult drug doses were derived in adults; under 18 ask a "
    "paediatric oncology pharmacist."
)

# --- Radiotherapy: retreatment, re-irradiation, pain flare, life expectancy -----------------------

SINGLE_FRACTION_RETREATMENT_CHOW = Fact(
    "Retreatment is more common after a single fraction: about 20% vs 8% after multiple fractions in the Chow "
    "meta-analysis of randomised trials, with equal pain relief.",
    CHOW_2012,
    verified=False,
    caveat="the percentages are the abstract's as widely quoted; the full text was not read here",
)
REIRRADIATION_MIN_INTERVAL_MONTHS = 1.0  # ASTRO 2017: pain persisting or recurring > 1 month after EBRT
REIRRADIATION_CORD_DOSE = Fact(
    "Before re-irradiating the spine, the radiation oncologist sums the earlier and planned doses to the spinal "
    "cord and keeps the cumulative dose within cord tolerance; SBRT is an option for selected patients.",
    ASTRO_2024,
    verified=False,
    caveat="the cumulative cord-dose constraints are not stated in the ASTRO 2024 text read here",
)
PAIN_FLARE_DEXAMETHASONE = Fact(
    "Pain flare after single-fraction RT: give prophylactic dexamethasone (and antiemetics) [II, B].", ESMO_2020
)
BMA_LIFE_EXPECTANCY_MONTHS = 3.0  # ESMO 2020: non-breast, non-prostate solid tumours, life expectancy >= 3 months
RT_QOL_LIFE_EXPECTANCY_MONTHS = 1.0  # ASTRO 2024: RT for quality of life with life expectancy >= 4 weeks
REIRRADIATION_TIMING = Fact(
    "Re-irradiation is considered when pain persists or recurs more than 1 month after the first course.",
    ASTRO_2017,
)

# --- Cord compression without neurological signs -------------------------------------------------

HIGH_GRADE_ESCC_WITHOUT_DEFICIT = Fact(
    "High-grade epidural compression on imaging without neurological symptoms or signs: urgent (same or next "
    "day) spine surgery and oncology opinion and MRI of the whole spine; corticosteroids are not routine.",
    NICE_NG234,
)

# --- Dental care on an agent --------------------------------------------------------------------

NO_ELECTIVE_DENTOALVEOLAR_SURGERY = Fact(
    "While on an oncology-dose bone-modifying agent, avoid elective dentoalveolar surgery (such as extractions "
    "or implants); complete necessary dental treatment before the first dose where possible.",
    MASCC_ISOO_ASCO_2019,
)
DENTAL_RECALL = Fact(
    "Keep regular dental reviews while on the agent (about every 6 months).",
    MASCC_ISOO_ASCO_2019,
    verified=False,
    caveat="the recall interval was not found in the guideline text read here; 6 months is common practice",
)
ONJ_HISTORY_CAUTION = Fact(
    "Osteonecrosis of the jaw now or before: decide on a bone-modifying agent with the oral surgeon and the "
    "patient, weighing skeletal benefit against the risk of new or worse osteonecrosis.",
    MASCC_ISOO_ASCO_2019,
)
EXTRACTION_BEFORE_AGENT = Fact(
    "Planned or unhealed tooth extraction: where the cancer allows, complete it and let the socket heal "
    "before the first dose of the agent.",
    MASCC_ISOO_ASCO_2019,
    verified=False,
    caveat="the guideline's wording on the delay was not read here",
)

# --- Prostate: bone health on ADT and radium-223 --------------------------------------------------

BONE_HEALTH_ON_ADT = Fact(
    "Men on androgen deprivation therapy lose bone: calcium and vitamin D, a fracture-risk assessment, and an "
    "osteoporosis-dose agent (e.g. denosumab 60 mg every 6 months or zoledronic acid 5 mg yearly) when "
    "fracture risk is high. Bone-metastasis doses are not recommended in castration-sensitive disease.",
    ASCO_2020_PROSTATE,
    verified=False,
    caveat="the fracture-risk threshold of the guideline was not read here",
)
RADIUM_223 = Fact(
    "Radium-223 prolonged survival in castration-resistant prostate cancer with symptomatic bone metastases "
    "and no known visceral metastases (median 14.9 vs 11.3 months).",
    ALSYMPCA_2013,
)
RADIUM_223_ESMO = Fact(
    "Radium-223 is an option for symptomatic bone-dominant metastatic castration-resistant prostate cancer.",
    ESMO_2020,
    verified=False,
    caveat="the grade of the recommendation was not read here",
)
RADIUM_223_NOT_WITH_ABIRATERONE = Fact(
    "Do not combine radium-223 with abiraterone and prednisone/prednisolone: more fractures and deaths in "
    "ERA 223; give a bone-protecting agent with it.",
    ERA_223_2019,
)


@dataclass(frozen=True)
class AgeGroup:
    """The age bands the sources use."""

    years: float | None

    @property
    def child(self) -> bool:
        return self.years is not None and self.years < ADULT_FROM_YEARS

    @property
    def sarcoma_age(self) -> bool:
        """Under 40: a bone lesion without known cancer is often a primary bone sarcoma (ESMO)."""
        return self.years is not None and self.years < SARCOMA_AGE_BELOW_YEARS

    @property
    def under_five(self) -> bool:
        return self.years is not None and self.years < NEUROBLASTOMA_AGE_BELOW_YEARS


STEROIDS_BEFORE_LYMPHOMA_BIOPSY = Fact(
    "Steroids can make lymphoma impossible to diagnose on biopsy: when a haematological cancer is possible and "
    "neurology allows, discuss with haematology and biopsy before further steroids.",
    NICE_NG234,
    verified=False,
    caveat="NG234's recommendation on known haematological cancer was read; the wording for suspected lymphoma was not",
)

# --- Children and bone-modifying agents ---------------------------------------------------------

ZOLEDRONIC_ACID_PAEDIATRIC = Fact(
    "Zoledronic acid (Zometa): safety and effectiveness in paediatric patients have not been established.",
    ZOMETA_US_PI,
)
DENOSUMAB_PAEDIATRIC = Fact(
    "Denosumab (Xgeva): not established in paediatric patients except skeletally mature adolescents with giant "
    "cell tumour of bone.",
    XGEVA_US_PI,
)


# --- Prophylactic radiotherapy for asymptomatic high-risk lesions -------------------------------

# Gillespie 2024 enrolled adults with a solid tumour and more than five metastases on imaging.
PROPHYLACTIC_RT_MORE_THAN_METASTASES = 5
PROPHYLACTIC_RT_TRIAL = Fact(
    "Adults with more than five metastases from a solid tumour and an asymptomatic high-risk bone metastasis "
    "(high risk by size, or by site: spine, hip, sacroiliac joint, long bones): radiotherapy to those lesions cut "
    "skeletal-related events at one year from 29% (14 of 49 lesions) to 1.6% (1 of 62), with no hospitalisation "
    "for them against 4 patients on standard care, and longer overall survival (median 1.7 vs 1.0 years; "
    "HR 0.49). Randomised phase II (78 patients); the authors call for a confirmatory phase III trial.",
    GILLESPIE_2024,
    verified=False,
    caveat="results and site criteria read from the abstract and trial reports; the size threshold for "
    "'high risk' was not read, so only the site criteria are applied",
)
PROPHYLACTIC_RT_SPINE_NICE = Fact(
    "Asymptomatic spinal metastases: NICE NG234 (2023) keeps radiotherapy for trials, an oligometastatic "
    "strategy, or radiological signs of impending cord compression; the guideline is followed for the spine.",
    NICE_NG234,
)
