"""The shared clinical vocabulary: every enum and recommendation code of the contract.

Nothing else in bonemet defines clinical enums. Values are the contract's spellings
(see docs/contract.md); new values may be added, existing ones are never renamed.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    female = "female"
    male = "male"


class CancerHistory(StrEnum):
    known_primary = "known_primary"
    unknown_primary = "unknown_primary"  # metastatic carcinoma, primary not yet found
    none = "none"  # no known cancer


class Primary(StrEnum):
    breast = "breast"
    prostate = "prostate"
    lung = "lung"
    kidney = "kidney"
    thyroid = "thyroid"
    colon = "colon"
    rectum = "rectum"
    stomach = "stomach"
    esophagus = "esophagus"
    pancreas = "pancreas"
    liver = "liver"
    gallbladder = "gallbladder"
    bladder = "bladder"
    uterus = "uterus"
    cervix = "cervix"
    ovary = "ovary"
    head_and_neck = "head_and_neck"
    melanoma = "melanoma"
    sarcoma = "sarcoma"
    testis = "testis"
    carcinoid = "carcinoid"
    myeloma = "myeloma"
    lymphoma = "lymphoma"
    other = "other"


class VisceralMetastases(StrEnum):
    none = "none"
    nodular = "nodular"
    disseminated = "disseminated"  # pleural, peritoneal, leptomeningeal


class BoneBiopsy(StrEnum):
    not_done = "not_done"
    metastasis_confirmed = "metastasis_confirmed"
    other_diagnosis = "other_diagnosis"
    nondiagnostic = "nondiagnostic"


class NeurologicDeficit(StrEnum):
    none = "none"
    incomplete = "incomplete"  # Frankel C-D
    complete = "complete"  # Frankel A-B


class Bone(StrEnum):
    spine = "spine"
    femur = "femur"
    humerus = "humerus"
    tibia = "tibia"
    fibula = "fibula"
    radius = "radius"
    ulna = "ulna"
    pelvis = "pelvis"
    acetabulum = "acetabulum"
    sacrum = "sacrum"
    rib = "rib"
    sternum = "sternum"
    scapula = "scapula"
    clavicle = "clavicle"
    skull = "skull"
    hand = "hand"
    foot = "foot"
    other = "other"


LONG_BONES: frozenset[Bone] = frozenset({Bone.femur, Bone.humerus, Bone.tibia, Bone.fibula, Bone.radius, Bone.ulna})
UPPER_LIMB_BONES: frozenset[Bone] = frozenset({Bone.humerus, Bone.radius, Bone.ulna, Bone.hand})
LOWER_LIMB_BONES: frozenset[Bone] = frozenset({Bone.femur, Bone.tibia, Bone.fibula, Bone.foot})
SPINAL_BONES: frozenset[Bone] = frozenset({Bone.spine, Bone.sacrum})


class Segment(StrEnum):
    proximal = "proximal"
    neck = "neck"
    peritrochanteric = "peritrochanteric"
    shaft = "shaft"
    distal = "distal"


class Side(StrEnum):
    left = "left"
    right = "right"
    midline = "midline"


class Pattern(StrEnum):
    lytic = "lytic"
    blastic = "blastic"
    mixed = "mixed"


class LimbPain(StrEnum):
    """Mirels pain: 'functional' is pain made worse by using or loading the limb."""

    none = "none"
    mild = "mild"
    moderate = "moderate"
    functional = "functional"


class SpinalPain(StrEnum):
    none = "none"
    non_mechanical = "non_mechanical"
    mechanical = "mechanical"


class Alignment(StrEnum):
    normal = "normal"
    kyphosis_or_scoliosis = "kyphosis_or_scoliosis"
    subluxation_or_translation = "subluxation_or_translation"


class VertebralCollapse(StrEnum):
    none = "none"
    none_over_50pct_involved = "none_over_50pct_involved"
    under_50pct = "under_50pct"
    over_50pct = "over_50pct"


class PosterolateralInvolvement(StrEnum):
    none = "none"
    unilateral = "unilateral"
    bilateral = "bilateral"


class EsccGrade(StrEnum):
    """Bilsky epidural spinal cord compression grade on axial T2 MRI."""

    g0 = "0"
    g1a = "1a"
    g1b = "1b"
    g1c = "1c"
    g2 = "2"
    g3 = "3"


class Modality(StrEnum):
    xray = "xray"
    bone_scan = "bone_scan"
    ct = "ct"
    mri = "mri"
    pet_ct = "pet_ct"
    psma_pet = "psma_pet"


class BoneModifyingAgent(StrEnum):
    none = "none"
    zoledronic_acid = "zoledronic_acid"
    pamidronate = "pamidronate"
    denosumab = "denosumab"


class SuspicionLevel(StrEnum):
    established = "established"
    high = "high"
    moderate = "moderate"
    low = "low"


class Priority(StrEnum):
    """Ordered most to least pressing; the order is the display order."""

    emergency = "emergency"
    urgent = "urgent"
    routine = "routine"
    consider = "consider"


PRIORITY_ORDER: dict[Priority, int] = {p: i for i, p in enumerate(Priority)}


class Step(StrEnum):
    """Where a recommendation sits in the pathway; used to group the plan."""

    emergency = "emergency"
    workup = "workup"
    primary_search = "primary_search"
    treatment = "treatment"
    supportive = "supportive"
    follow_up = "follow_up"


class ScoreName(StrEnum):
    mirels = "mirels"
    sins = "sins"
    escc = "escc"
    tokuhashi_revised = "tokuhashi_revised"
    tomita = "tomita"
    katagiri_new = "katagiri_new"
    crcl_cockcroft_gault = "crcl_cockcroft_gault"
    bauer_modified = "bauer_modified"  # added (issue 15): module only, not yet in the assessment's scores


class Code(StrEnum):
    """Recommendation codes (contract table)."""

    urgent_mscc = "urgent.mscc"
    urgent_hypercalcemia = "urgent.hypercalcemia"
    imaging_xray = "imaging.xray"
    imaging_bone_scan = "imaging.bone_scan"
    imaging_pet_ct = "imaging.pet_ct"
    imaging_psma_pet = "imaging.psma_pet"
    imaging_mri = "imaging.mri"
    imaging_ct = "imaging.ct"
    imaging_ct_chest_abdomen_pelvis = "imaging.ct_chest_abdomen_pelvis"
    imaging_chest_xray = "imaging.chest_xray"
    imaging_mammography = "imaging.mammography"
    lab_psa = "lab.psa"
    lab_myeloma_screen = "lab.myeloma_screen"
    lab_baseline = "lab.baseline"
    exam_primary_search = "exam.primary_search"
    biopsy_bone = "biopsy.bone"
    referral_orthopedic_oncology = "referral.orthopedic_oncology"
    rt_palliative = "rt.palliative"
    rt_sbrt = "rt.sbrt"
    rt_postoperative = "rt.postoperative"
    bma_zoledronic_acid = "bma.zoledronic_acid"
    bma_denosumab = "bma.denosumab"
    bma_pamidronate = "bma.pamidronate"
    bma_dental_evaluation = "bma.dental_evaluation"
    bma_calcium_vitamin_d = "bma.calcium_vitamin_d"
    surgery_fixation = "surgery.fixation"
    surgery_prophylactic_fixation = "surgery.prophylactic_fixation"
    surgery_spine_consult = "surgery.spine_consult"
    surgery_en_bloc_resection = "surgery.en_bloc_resection"
    spine_vertebral_augmentation = "spine.vertebral_augmentation"
    systemic_oncology_referral = "systemic.oncology_referral"
    # Added in knowledge 2026.12b (clinical safety round 2); nothing above renamed.
    urgent_hypocalcemia = "urgent.hypocalcemia"
    lab_hypocalcemia_workup = "lab.hypocalcemia_workup"
    lab_ionized_calcium = "lab.ionized_calcium"
    rt_reirradiation = "rt.reirradiation"
    bma_bone_health_adt = "bma.bone_health_adt"
    systemic_radium_223 = "systemic.radium_223"
    # Added in knowledge 2026.12.3; nothing above renamed.
    rt_prophylactic = "rt.prophylactic"


CODE_MEANING: dict[Code, str] = {
    Code.urgent_mscc: "Suspected metastatic spinal cord compression: corticosteroid, emergency "
    "whole-spine MRI, same-day spine surgery and radiation oncology opinion",
    Code.urgent_hypercalcemia: "Hypercalcaemia of malignancy: IV hydration, bisphosphonate, calcitonin",
    Code.imaging_xray: "Plain radiographs of painful sites",
    Code.imaging_bone_scan: "Whole-body radionuclide bone scan",
    Code.imaging_pet_ct: "Whole-body PET-CT",
    Code.imaging_psma_pet: "PSMA PET (prostate cancer)",
    Code.imaging_mri: "MRI of a specific site; whole spine when cord compression is possible",
    Code.imaging_ct: "CT of a specific lesion (cortical destruction, fracture risk)",
    Code.imaging_ct_chest_abdomen_pelvis: "CT chest, abdomen and pelvis to find the primary",
    Code.imaging_chest_xray: "Chest radiograph",
    Code.imaging_mammography: "Mammography",
    Code.lab_psa: "Prostate-specific antigen",
    Code.lab_myeloma_screen: "Serum/urine protein electrophoresis and serum free light chains",
    Code.lab_baseline: "Calcium, albumin, creatinine, alkaline phosphatase, blood count",
    Code.exam_primary_search: "Focused examination: breast, prostate, thyroid, skin, lymph nodes",
    Code.biopsy_bone: "Image-guided needle (core or fine-needle) bone biopsy with immunohistochemistry",
    Code.referral_orthopedic_oncology: "Possible primary bone tumour: refer before biopsy",
    Code.rt_palliative: "External beam radiation (8 Gy x 1, 20 Gy/5, 24 Gy/6 or 30 Gy/10)",
    Code.rt_sbrt: "Stereotactic body radiation",
    Code.rt_postoperative: "Radiation to the whole operated bone after fixation",
    Code.bma_zoledronic_acid: "Zoledronic acid, dose adjusted to creatinine clearance",
    Code.bma_denosumab: "Denosumab 120 mg subcutaneously every 4 weeks",
    Code.bma_pamidronate: "Pamidronate 90 mg IV over 2 hours every 3-4 weeks",
    Code.bma_dental_evaluation: "Dental examination before a bone-modifying agent",
    Code.bma_calcium_vitamin_d: "Calcium and vitamin D supplementation",
    Code.surgery_fixation: "Fixation or resection with reconstruction of an actual pathologic fracture",
    Code.surgery_prophylactic_fixation: "Fixation of an impending pathologic fracture",
    Code.surgery_spine_consult: "Spine surgery consultation (instability or high-grade compression)",
    Code.surgery_en_bloc_resection: "En bloc excision of a limited, late metastasis with the primary controlled",
    Code.spine_vertebral_augmentation: "Kyphoplasty or vertebroplasty",
    Code.systemic_oncology_referral: "Systemic therapy by tissue type (hormonal, chemotherapy, targeted)",
    Code.urgent_hypocalcemia: "Low albumin-corrected calcium: correct it (IV calcium when severe or symptomatic) "
    "before a bone-modifying agent",
    Code.lab_hypocalcemia_workup: "25-hydroxyvitamin D, magnesium, phosphate and PTH when calcium is low",
    Code.lab_ionized_calcium: "Ionised calcium, when low albumin makes the corrected calcium unreliable",
    Code.rt_reirradiation: "Re-irradiation of a previously irradiated painful site",
    Code.bma_bone_health_adt: "Bone health on androgen deprivation: calcium, vitamin D, fracture-risk "
    "assessment, osteoporosis-dose agent when risk is high",
    Code.systemic_radium_223: "Radium-223 for symptomatic bone-dominant castration-resistant prostate cancer",
    Code.rt_prophylactic: "Radiation oncology opinion on prophylactic radiotherapy to painless high-risk lesions "
    "in polymetastatic disease",
}

CERVICAL_LEVELS = tuple(f"C{i}" for i in range(1, 8))
THORACIC_LEVELS = tuple(f"T{i}" for i in range(1, 13))
LUMBAR_LEVELS = tuple(f"L{i}" for i in range(1, 6))
SACRAL_LEVELS = tuple(f"S{i}" for i in range(1, 6))
SPINAL_LEVELS: tuple[str, ...] = CERVICAL_LEVELS + THORACIC_LEVELS + LUMBAR_LEVELS + SACRAL_LEVELS


class SpinalLevel(StrEnum):
    """Vertebral level, C1 (atlas) to S5, in craniocaudal order."""

    C1 = "C1"
    C2 = "C2"
    C3 = "C3"
    C4 = "C4"
    C5 = "C5"
    C6 = "C6"
    C7 = "C7"
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"
    T5 = "T5"
    T6 = "T6"
    T7 = "T7"
    T8 = "T8"
    T9 = "T9"
    T10 = "T10"
    T11 = "T11"
    T12 = "T12"
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"
    S4 = "S4"
    S5 = "S5"


def level_index(level: str) -> int:
    """Position of a level in craniocaudal order (C1 = 0)."""
    return SPINAL_LEVELS.index(level)


# --- report reading (bonemet read, POST /api/read-report) ---------------------------------
# Values are the contract's spellings ("Report reading" section); values marked *added*
# extend the contract's lists, which the contract allows.


class ReportStatus(StrEnum):
    """Bone metastasis for the whole report; the impression outranks the findings."""

    affirmed = "affirmed"
    possible = "possible"
    negated = "negated"
    not_mentioned = "not_mentioned"


class ReportFlag(StrEnum):
    """Added (issue 11): what a report says about bone that is not bone metastasis, kept apart from the status."""

    indeterminate_bone_lesion = "indeterminate_bone_lesion"  # unexplained lesion, no cancer stated in the text
    haematological_bone_disease = "haematological_bone_disease"  # myeloma, plasmacytoma, lymphoma, leukaemia
    primary_bone_tumour = "primary_bone_tumour"  # osteosarcoma, chondrosarcoma, Ewing sarcoma, giant cell tumour
    benign_explanation = "benign_explanation"  # a benign or infective cause named in the report


class FindingKind(StrEnum):
    lesion = "lesion"
    pathologic_fracture = "pathologic_fracture"
    epidural_extension = "epidural_extension"
    cord_compression = "cord_compression"  # spinal cord, conus or cauda equina
    vertebral_collapse = "vertebral_collapse"
    mimic = "mimic"
    cortical_destruction = "cortical_destruction"  # added: cortical destruction, breach or thinning
    retropulsion = "retropulsion"  # added: retropulsed posterior wall or fragment


# Kinds that describe a skeletal metastasis or its complications (everything but a mimic).
METASTATIC_KINDS: frozenset[FindingKind] = frozenset(set(FindingKind) - {FindingKind.mimic})
COMPLICATION_KINDS: frozenset[FindingKind] = METASTATIC_KINDS - {FindingKind.lesion}
EPIDURAL_KINDS: frozenset[FindingKind] = frozenset({FindingKind.epidural_extension, FindingKind.cord_compression})


class FindingStatus(StrEnum):
    affirmed = "affirmed"
    possible = "possible"
    negated = "negated"
    historical = "historical"
    hypothetical = "hypothetical"


PRESENT_STATUSES: frozenset[FindingStatus] = frozenset({FindingStatus.affirmed, FindingStatus.possible})


class Mimic(StrEnum):
    """Benign findings that are not metastases unless the report links them to one."""

    bone_island = "bone_island"
    hemangioma = "hemangioma"
    schmorl_node = "schmorl_node"
    degenerative = "degenerative"
    healing_fracture = "healing_fracture"  # healing, healed or old fracture, callus
    paget = "paget"
    fibrous_dysplasia = "fibrous_dysplasia"
    bone_infarct = "bone_infarct"
    insufficiency_fracture = "insufficiency_fracture"  # added: osteoporotic, insufficiency or stress fracture
    enchondroma = "enchondroma"  # added
    bone_cyst = "bone_cyst"  # added
    red_marrow = "red_marrow"  # added: red marrow reconversion or reactive marrow


class Section(StrEnum):
    """Where in the report the evidence sits; only findings-like sections hold findings."""

    findings = "findings"
    impression = "impression"
    addendum = "addendum"
    procedure = "procedure"
    history = "history"
    indication = "indication"
    family_history = "family_history"
    comparison = "comparison"
    technique = "technique"
    exam = "exam"  # the study title


# Sections whose text describes this study's images.
REPORTING_SECTIONS: frozenset[Section] = frozenset(
    {Section.findings, Section.impression, Section.addendum, Section.procedure}
)
# Sections that state the radiologist's conclusion and outrank the findings.
CONCLUDING_SECTIONS: frozenset[Section] = frozenset({Section.impression, Section.addendum})


class LesionCount(StrEnum):
    solitary = "solitary"
    multiple = "multiple"


class CollapseBound(StrEnum):
    """A collapse stated as a bound ('more than 50% height loss') rather than a value."""

    more_than = "more_than"
    less_than = "less_than"
