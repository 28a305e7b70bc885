"""Human labels for steps, priorities and score names."""

from __future__ import annotations

import re

from bonemet.model import ScoreOut
from bonemet.model.vocabulary import Priority, ScoreName, Step

STEP_TITLES: dict[Step, str] = {
    Step.emergency: "Emergencies",
    Step.workup: "Work-up",
    Step.primary_search: "Search for the primary",
    Step.treatment: "Treatment",
    Step.supportive: "Bone health and supportive care",
    Step.follow_up: "Follow-up",
}

PRIORITY_LABELS: dict[Priority, str] = {
    Priority.emergency: "EMERGENCY",
    Priority.urgent: "urgent",
    Priority.routine: "routine",
    Priority.consider: "consider",
}

SCORE_TITLES: dict[ScoreName, str] = {
    ScoreName.mirels: "Mirels (impending long-bone fracture)",
    ScoreName.sins: "SINS (spinal instability)",
    ScoreName.escc: "Bilsky ESCC (epidural compression)",
    ScoreName.tokuhashi_revised: "Revised Tokuhashi (spinal metastasis survival)",
    ScoreName.tomita: "Tomita (spinal metastasis strategy)",
    ScoreName.bauer_modified: "Modified Bauer (spinal metastasis, higher is better)",
    ScoreName.katagiri_new: "New Katagiri (skeletal metastasis survival)",
    ScoreName.crcl_cockcroft_gault: "Creatinine clearance (Cockcroft-Gault)",
}


# Human labels of Case fields (the form, the missing-data questions, the "do now" block).
FIELD_LABELS: dict[str, str] = {
    "id": "Case identifier",
    "as_of": "Assessment date",
    "patient.age_years": "Age",
    "patient.sex": "Sex",
    "patient.weight_kg": "Weight",
    "patient.ecog": "ECOG performance status",
    "patient.kps": "Karnofsky performance status (KPS)",
    "cancer.history": "Cancer history",
    "cancer.primary": "Primary tumour",
    "cancer.histology": "Histology",
    "cancer.hormone_dependent": "Hormone-dependent tumour",
    "cancer.targeted_therapy": "Targeted therapy available or given",
    "cancer.diagnosed_on": "Date the primary was diagnosed",
    "cancer.primary_treated": "Primary removed or controlled",
    "cancer.prior_chemotherapy": "Chemotherapy given before",
    "cancer.visceral_metastases": "Visceral metastases",
    "cancer.visceral_metastases_resectable": "Visceral metastases resectable",
    "cancer.brain_metastases": "Brain metastases",
    "cancer.bone_biopsy": "Bone biopsy",
    "presentation.bone_pain": "Bone pain",
    "presentation.pain_unexplained": "Pain unexplained",
    "presentation.pain_site_count": "Number of painful sites",
    "presentation.neurologic_deficit": "Neurological deficit",
    "presentation.neurologic_deficit_new": "Deficit new or progressing",
    "skeletal_burden.total_lesions": "Bone lesions on whole-body imaging",
    "skeletal_burden.vertebral_bodies": "Vertebral bodies involved",
    "skeletal_burden.extraspinal_lesions": "Bone lesions outside the spine",
    "lesions[].bone": "Bone",
    "lesions[].segment": "Segment of the long bone",
    "lesions[].level": "Vertebral level",
    "lesions[].side": "Side",
    "lesions[].pattern": "Radiographic pattern",
    "lesions[].size_cm": "Largest dimension",
    "lesions[].cortical_involvement": "Bone width or cortex destroyed",
    "lesions[].pain": "Pain at this site (Mirels)",
    "lesions[].pathologic_fracture": "Pathologic fracture through the lesion",
    "lesions[].spinal_pain": "Pain (SINS)",
    "lesions[].alignment": "Spinal alignment",
    "lesions[].vertebral_collapse": "Vertebral body collapse",
    "lesions[].posterolateral_involvement": "Posterolateral element involvement",
    "lesions[].escc_grade": "Epidural compression (Bilsky ESCC grade)",
    "imaging[].modality": "Imaging modality",
    "imaging[].region": "Region imaged",
    "imaging[].date": "Date of the study",
    "imaging[].report_text": "Report text",
    "labs.creatinine_mg_dl": "Serum creatinine",
    "labs.calcium_mg_dl": "Total serum calcium",
    "labs.albumin_g_dl": "Serum albumin",
    "labs.psa_ng_ml": "PSA",
    "labs.ldh_u_l": "Lactate dehydrogenase (LDH)",
    "labs.crp_mg_dl": "C-reactive protein (CRP)",
    "labs.platelets_10e9_l": "Platelets",
    "labs.bilirubin_mg_dl": "Total bilirubin",
    "labs.alkaline_phosphatase_u_l": "Alkaline phosphatase",
    "labs.ionized_calcium_mmol_l": "Ionised calcium",
    "labs.vitamin_d_25oh_ng_ml": "Vitamin D (25-hydroxy)",
    "labs.magnesium_mg_dl": "Serum magnesium",
    "patient.dialysis": "On dialysis",
    "patient.life_expectancy_months": "Life expectancy (clinician's estimate)",
    "cancer.castration_resistant": "Castration-resistant prostate cancer",
    "presentation.hours_since_loss_of_ambulation": "Hours since the patient could last walk",
    "presentation.hypercalcemia_symptoms": "Symptoms of hypercalcaemia",
    "treatment.jaw_osteonecrosis_history": "Osteonecrosis of the jaw, now or before",
    "treatment.dental_extraction": "Tooth extraction planned or not yet healed",
    "treatment.androgen_deprivation": "On androgen deprivation therapy",
    "treatment.bone_modifying_agent": "Bone-modifying agent now",
    "treatment.dental_evaluation_done": "Dental examination done",
    "treatment.irradiated_sites": "Sites already irradiated (one per line)",
    "treatment.prior_radiotherapy": "Earlier radiotherapy courses (one per line, e.g. site: T9-T11; dose: 8 Gy; "
    "fractions: 1; completed: 2026-05-12)",
}

_INDEX = re.compile(r"\[\d+\]")


def field_label(path: str) -> str:
    """The human label of a Case field path: 'lesions[2].escc_grade' -> 'Epidural compression (...)'."""
    generic = _INDEX.sub("[]", path)
    found = FIELD_LABELS.get(generic)
    if found is not None:
        return found
    return generic.rsplit(".", 1)[-1].replace("_", " ").capitalize()


_CODE_LIKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
_WORDS = {"semi_rigid": "semi-rigid", "lower_limb": "lower limb", "upper_limb": "upper limb"}


def value_words(value: str) -> str:
    """A score item's value in words: 'under_50pct' -> 'under 50%', 'semi_rigid' -> 'semi-rigid'.
    Text that is already words (spaces, capitals, numbers with units) is left as it is."""
    if not _CODE_LIKE.fullmatch(value):
        return value
    if value in _WORDS:
        return _WORDS[value]
    return re.sub(r"(\d+)pct", r"\1%", value).replace("_", " ")


def item_words(item: str) -> str:
    """A score item's name in words: 'posterolateral_involvement' -> 'Posterolateral involvement'."""
    return item.replace("_", " ").capitalize()


def points(value: float | None) -> str:
    if value is None:
        return "?"
    # Two decimals at most, trailing zeros dropped: the Cockcroft-Gault factor is 0.85, not 0.8.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def unscored_text(score: ScoreOut) -> str:
    """An incomplete score shown by its range, not a bare 'not scored' (the total is never invented)."""
    if score.total_range is None:
        return "not scored"
    low, high = score.total_range
    unknown = f"; {score.narrowest_unknown.replace('_', ' ')} would narrow it most" if score.narrowest_unknown else ""
    return f"not scored: range {points(low)}-{points(high)} over the unknown items{unknown}"


def band_text(band: str | None, band_range: list[str]) -> str:
    """The prognosis band, or the bands the missing items still allow."""
    if band:
        return band
    if band_range:
        return "not scored: one of " + " / ".join(band_range)
    return "not scored"
