"""`bonemet explain`: what a recommendation code or score means, when it fires, and its sources."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import (
    AREDIA_US_PI,
    ASCO_2017_BMA,
    ASCO_2020_PROSTATE,
    ASTRO_2024,
    CAFE_2011,
    ENDOCRINE_SOCIETY_2023,
    ESMO_2020,
    PATCHELL_2005,
    SC24_2021,
    XGEVA_SMPC,
    XGEVA_US_PI,
    ZOMETA_US_PI,
)
from bonemet.knowledge.pathway_sources import (
    BOAST_2022,
    ESMO_CUP_2015,
    IMWG_2019,
    NICE_NG234,
    NSCLC_PET_VS_BONE_SCAN,
    PROPSMA_2020,
    ROUGRAFF_1993,
)
from bonemet.knowledge.pathway_sources import MERCK_METASTATIC_BONE_TUMORS as MERCK
from bonemet.knowledge.radiosensitivity import LAUFER_2013
from bonemet.knowledge.safety import ALSYMPCA_2013, CTCAE_V5, GILLESPIE_2024, SFE_HYPOCALCAEMIA_2016
from bonemet.model.vocabulary import CODE_MEANING, Code, ScoreName
from bonemet.scores.escc import BILSKY_2010
from bonemet.scores.mirels import MIRELS_1989
from bonemet.scores.sins import FISHER_2010

# When each code fires: the rule in the words of the pathway module that owns it.
WHEN: dict[Code, str] = {
    Code.urgent_mscc: "A spinal lesion with Bilsky ESCC 2-3, or a neurological deficit with known cancer or a "
    "spinal lesion (pathway.emergencies.cord_compression).",
    Code.urgent_hypercalcemia: "Albumin-corrected calcium above the upper limit of normal (10.5 mg/dL by default); "
    "an emergency from 12 mg/dL (pathway.emergencies.hypercalcaemia).",
    Code.imaging_xray: "Bone pain and no radiograph in the case (pathway.workup.radiographs_of_painful_sites).",
    Code.imaging_bone_scan: "Suspicion at least moderate and no whole-body study yet; not for myeloma, where "
    "it is declined (pathway.workup.whole_body_staging).",
    Code.imaging_pet_ct: "Whole-body staging in lung cancer or myeloma; offered to consider instead of a bone "
    "scan otherwise (pathway.workup.whole_body_staging).",
    Code.imaging_psma_pet: "Whole-body staging in prostate cancer (pathway.workup.whole_body_staging).",
    Code.imaging_mri: "A spinal lesion without an epidural compression grade and no MRI yet "
    "(pathway.workup.site_imaging).",
    Code.imaging_ct: "A long-bone lesion whose cortical involvement is unknown and no CT yet "
    "(pathway.workup.site_imaging).",
    Code.imaging_ct_chest_abdomen_pelvis: "Bone lesions without a known primary, unless CT or PET-CT is done "
    "(pathway.primary_search).",
    Code.imaging_chest_xray: "Bone lesions without a known primary, unless chest imaging is done "
    "(pathway.primary_search).",
    Code.imaging_mammography: "Women with bone lesions and no known primary (pathway.primary_search).",
    Code.lab_psa: "Men with bone lesions and no known primary, when PSA is unknown (pathway.primary_search).",
    Code.lab_myeloma_screen: "Bone lesions without a known primary unless all are blastic (pathway.primary_search).",
    Code.lab_baseline: "Suspicion at least moderate and any of calcium, albumin, creatinine, alkaline "
    "phosphatase or platelets unknown (pathway.workup.baseline_labs).",
    Code.exam_primary_search: "Bone lesions without a known primary (pathway.primary_search).",
    Code.biopsy_bone: "A single lesion in known cancer; the last step of the unknown-primary search; a "
    "repeat after a nondiagnostic biopsy (pathway.workup, pathway.primary_search).",
    Code.referral_orthopedic_oncology: "A solitary bone lesion without a cancer history (pathway.primary_search).",
    Code.rt_palliative: "Painful bone metastases (bone pain recorded, or a lesion recorded as painful) not "
    "going to surgery; spinal lesions when NOMS gives conventional radiation "
    "(pathway.radiotherapy.palliative_radiotherapy).",
    Code.rt_sbrt: "A spinal lesion for which NOMS gives stereotactic radiation and SBRT selection is not "
    "contradicted (pathway.radiotherapy.stereotactic_radiotherapy).",
    Code.rt_postoperative: "A long-bone lesion going to fixation (pathway.radiotherapy.postoperative_radiotherapy).",
    Code.bma_zoledronic_acid: "Bone metastases, no agent yet, guideline supports it and creatinine clearance "
    ">= 30 mL/min; dose from the Zometa renal table (pathway.bone_agents).",
    Code.bma_denosumab: "Bone metastases, no agent yet, guideline supports it; the only option below a "
    "creatinine clearance of 30 mL/min (pathway.bone_agents).",
    Code.bma_pamidronate: "Breast cancer or myeloma with bone metastases, as an alternative agent; regimen "
    "from the Aredia label by primary: 2-hour infusion every 3-4 weeks (breast), 4-hour infusion monthly "
    "(myeloma) (pathway.bone_agents).",
    Code.bma_dental_evaluation: "An agent is planned or given and no dental examination is recorded "
    "(pathway.bone_agents.dental_evaluation).",
    Code.bma_calcium_vitamin_d: "Zoledronic acid or denosumab planned or given, calcium not raised "
    "(pathway.bone_agents.calcium_and_vitamin_d).",
    Code.surgery_fixation: "An actual pathologic fracture outside the spine (pathway.surgery.fracture_fixation).",
    Code.surgery_prophylactic_fixation: "Mirels >= 9 (urgent) or 8 (consider), or other impending-fracture "
    "criteria met (pathway.surgery.prophylactic_fixation).",
    Code.surgery_spine_consult: "NOMS asks for a surgical opinion: SINS >= 7 or high-grade compression "
    "(pathway.surgery.spine_consultation).",
    Code.surgery_en_bloc_resection: "A solitary metastasis, more than a year after the primary, primary "
    "controlled, favourable histology (pathway.surgery.en_bloc_resection).",
    Code.spine_vertebral_augmentation: "A painful vertebral compression fracture with Bilsky ESCC 0; declined "
    "with epidural extension (pathway.surgery.vertebral_augmentation).",
    Code.systemic_oncology_referral: "Bone metastases established or highly suspected in known cancer "
    "(pathway.systemic).",
    Code.urgent_hypocalcemia: "Albumin-corrected calcium below the lower limit of normal (8.5 mg/dL by default), "
    "graded by CTCAE v5.0; an emergency when < 7.6 mg/dL or symptomatic (pathway.emergencies.hypocalcaemia).",
    Code.lab_hypocalcemia_workup: "Low calcium with 25-OH vitamin D or magnesium unknown "
    "(pathway.emergencies.hypocalcaemia).",
    Code.lab_ionized_calcium: "Raised corrected calcium with albumin below 3.5 g/dL and no ionised calcium "
    "(pathway.emergencies.hypercalcaemia).",
    Code.rt_reirradiation: "A painful lesion at a site irradiated before (treatment.prior_radiotherapy or "
    "irradiated_sites) (pathway.radiotherapy.reirradiation).",
    Code.bma_bone_health_adt: "Prostate cancer on androgen deprivation while castration-sensitive "
    "(pathway.bone_agents.bone_health_on_adt).",
    Code.systemic_radium_223: "Castration-resistant prostate cancer, symptomatic bone metastases, no visceral "
    "metastases (pathway.systemic.radium_223).",
    Code.rt_prophylactic: "A painless lesion of a long bone or the acetabulum, more than five bone metastases from a "
    "solid tumour, in an adult, and no other treatment planned for it (pathway.radiotherapy.prophylactic).",
}

# The sources each code's rule leans on.
SOURCES: dict[Code, tuple[Citation, ...]] = {
    Code.urgent_mscc: (NICE_NG234, PATCHELL_2005, ASTRO_2024),
    Code.urgent_hypercalcemia: (ENDOCRINE_SOCIETY_2023, ZOMETA_US_PI),
    Code.imaging_xray: (MERCK,),
    Code.imaging_bone_scan: (MERCK,),
    Code.imaging_pet_ct: (MERCK, NSCLC_PET_VS_BONE_SCAN, IMWG_2019),
    Code.imaging_psma_pet: (PROPSMA_2020,),
    Code.imaging_mri: (NICE_NG234,),
    Code.imaging_ct: (BOAST_2022,),
    Code.imaging_ct_chest_abdomen_pelvis: (ROUGRAFF_1993, MERCK),
    Code.imaging_chest_xray: (ROUGRAFF_1993, MERCK),
    Code.imaging_mammography: (MERCK,),
    Code.lab_psa: (MERCK,),
    Code.lab_myeloma_screen: (MERCK, BOAST_2022),
    Code.lab_baseline: (BOAST_2022,),
    Code.exam_primary_search: (MERCK, ROUGRAFF_1993),
    Code.biopsy_bone: (MERCK, ROUGRAFF_1993, ESMO_CUP_2015),
    Code.referral_orthopedic_oncology: (BOAST_2022, MERCK),
    Code.rt_palliative: (ASTRO_2024, ESMO_2020),
    Code.rt_sbrt: (ASTRO_2024, SC24_2021, LAUFER_2013),
    Code.rt_postoperative: (ASTRO_2024,),
    Code.bma_zoledronic_acid: (ZOMETA_US_PI, ASCO_2017_BMA, ESMO_2020),
    Code.bma_denosumab: (XGEVA_US_PI, ASCO_2017_BMA, ESMO_2020),
    Code.bma_pamidronate: (AREDIA_US_PI, ASCO_2017_BMA),
    Code.bma_dental_evaluation: (ASCO_2017_BMA,),
    Code.bma_calcium_vitamin_d: (ZOMETA_US_PI, XGEVA_SMPC),
    Code.surgery_fixation: (MERCK, BOAST_2022),
    Code.surgery_prophylactic_fixation: (MIRELS_1989, ESMO_2020),
    Code.surgery_spine_consult: (FISHER_2010, LAUFER_2013, BILSKY_2010),
    Code.surgery_en_bloc_resection: (MERCK,),
    Code.spine_vertebral_augmentation: (CAFE_2011,),
    Code.systemic_oncology_referral: (MERCK,),
    Code.urgent_hypocalcemia: (CTCAE_V5, SFE_HYPOCALCAEMIA_2016, XGEVA_US_PI),
    Code.lab_hypocalcemia_workup: (SFE_HYPOCALCAEMIA_2016,),
    Code.lab_ionized_calcium: (ENDOCRINE_SOCIETY_2023,),
    Code.rt_reirradiation: (ASTRO_2024,),
    Code.bma_bone_health_adt: (ASCO_2020_PROSTATE,),
    Code.systemic_radium_223: (ALSYMPCA_2013, ESMO_2020),
    Code.rt_prophylactic: (GILLESPIE_2024,),
}

SCORE_MODULES: dict[ScoreName, str] = {
    ScoreName.mirels: "bonemet.scores.mirels",
    ScoreName.sins: "bonemet.scores.sins",
    ScoreName.escc: "bonemet.scores.escc",
    ScoreName.tokuhashi_revised: "bonemet.scores.tokuhashi",
    ScoreName.tomita: "bonemet.scores.tomita",
    ScoreName.katagiri_new: "bonemet.scores.katagiri",
    ScoreName.crcl_cockcroft_gault: "bonemet.scores.crcl",
    ScoreName.bauer_modified: "bonemet.scores.bauer",
}


def known_topics() -> list[str]:
    return [c.value for c in Code] + [s.value for s in ScoreName]


def _sources(citations: Iterable[Citation]) -> list[str]:
    return ["", "Sources:"] + [f"  - {c}" + (f" <{c.url}>" if c.url else "") for c in dict.fromkeys(citations)]


def _score_text(name: ScoreName) -> str:
    module = importlib.import_module(SCORE_MODULES[name])
    citations = [value for value in vars(module).values() if isinstance(value, Citation)]
    return "\n".join([f"{name.value} (score)", "", (module.__doc__ or "").strip(), *_sources(citations)])


def explain_topic(topic: str) -> str | None:
    """The explanation for a code or score name, or None when the topic is unknown."""
    wanted = topic.strip().lower()
    for code in Code:
        if code.value == wanted:
            lines = [f"{code.value}: {CODE_MEANING[code]}", "", f"When it fires: {WHEN[code]}"]
            return "\n".join(lines + _sources(SOURCES[code]))
    for name in ScoreName:
        if name.value == wanted:
            return _score_text(name)
    return None
