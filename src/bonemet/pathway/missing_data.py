"""Missing data: every unknown input that would change a decision, and why.

Score items that are unknown are mapped back to the case field a user would fill in;
the rules themselves add what only they know (see `rules.missing`).
"""

from __future__ import annotations

from bonemet.model import MissingItem
from bonemet.model.vocabulary import NeurologicDeficit, Primary, ScoreName
from bonemet.pathway.context import Context
from bonemet.pathway.rules import missing

# (score, item) -> (case field, relative to the lesion when it starts with "."; why it matters)
_LESION_ITEM_FIELDS: dict[tuple[ScoreName, str], tuple[str, str]] = {
    (ScoreName.mirels, "site"): (".segment", "Mirels site: peritrochanteric lesions score highest."),
    (ScoreName.mirels, "pain"): (".pain", "Mirels pain is the strongest predictor of fracture."),
    (ScoreName.mirels, "lesion_type"): (".pattern", "Mirels lesion type: lytic lesions score highest."),
    (ScoreName.mirels, "size"): (
        ".cortical_involvement",
        "Mirels size: the share of the bone width destroyed decides prophylactic fixation.",
    ),
    (ScoreName.sins, "location"): (".level", "SINS location: junctional levels are least stable."),
    (ScoreName.sins, "pain"): (".spinal_pain", "SINS pain: mechanical pain suggests instability."),
    (ScoreName.sins, "bone_lesion"): (".pattern", "SINS bone lesion: lytic lesions score highest."),
    (ScoreName.sins, "alignment"): (".alignment", "SINS alignment: subluxation is the strongest item."),
    (ScoreName.sins, "vertebral_collapse"): (".vertebral_collapse", "SINS vertebral body collapse."),
    (ScoreName.sins, "posterolateral_involvement"): (
        ".posterolateral_involvement",
        "SINS posterolateral element involvement.",
    ),
    (ScoreName.escc, "grade"): (
        ".escc_grade",
        "The epidural compression grade decides radiation alone versus surgery first (NOMS).",
    ),
}

_WHY_PATIENT: dict[str, str] = {
    "cancer.history": "Decides between staging a known cancer and searching for an unknown primary.",
    "presentation.neurologic_deficit": "A neurological deficit with a spinal lesion is a cord-compression emergency.",
    "presentation.neurologic_deficit_new": "A new or progressing deficit makes cord compression an emergency.",
    "labs.calcium_mg_dl": "Hypercalcaemia of malignancy is an emergency; calcium must be normal before denosumab.",
    "labs.albumin_g_dl": "Calcium is corrected for albumin before hypercalcaemia is judged.",
    "labs.creatinine_mg_dl": "Creatinine clearance sets the zoledronic acid dose and rules agents in or out.",
    "patient.weight_kg": "Cockcroft-Gault creatinine clearance needs body weight.",
    "patient.age_years": "Cockcroft-Gault creatinine clearance needs age.",
    "patient.sex": "Cockcroft-Gault creatinine clearance needs sex.",
    "treatment.dental_evaluation_done": "A dental examination is due before any bone-modifying agent.",
}


def _lesion_gaps(ctx: Context) -> list[MissingItem]:
    gaps = []
    for index, scores in sorted(ctx.lesion_scores.items()):
        for name, result in scores.items():
            for item in result.missing_items:
                mapped = _LESION_ITEM_FIELDS.get((name, item))
                if mapped is None:
                    continue
                suffix, why = mapped
                gaps.append(missing(f"lesions[{index}]{suffix}", why))
    return gaps


def _patient_gaps(ctx: Context) -> list[MissingItem]:
    case = ctx.case
    wanted: list[str] = []
    if case.cancer.history is None:
        wanted.append("cancer.history")
    if ctx.spinal_lesions or (case.skeletal_burden.vertebral_bodies or 0) > 0:
        if case.presentation.neurologic_deficit is None:
            wanted.append("presentation.neurologic_deficit")
        deficit = case.presentation.neurologic_deficit
        if case.presentation.neurologic_deficit_new is None and deficit not in (None, NeurologicDeficit.none):
            wanted.append("presentation.neurologic_deficit_new")
    if ctx.known_cancer and ctx.any_lesion:
        labs = case.labs
        if labs.calcium_mg_dl is None:
            wanted.append("labs.calcium_mg_dl")
        elif labs.albumin_g_dl is None:
            wanted.append("labs.albumin_g_dl")
        if labs.creatinine_mg_dl is None:
            wanted.append("labs.creatinine_mg_dl")
        patient = case.patient
        for field, value in (
            ("patient.age_years", patient.age_years),
            ("patient.weight_kg", patient.weight_kg),
            ("patient.sex", patient.sex),
        ):
            if value is None:
                wanted.append(field)
    return [missing(f, _WHY_PATIENT[f]) for f in wanted]


SURVIVAL_SCORES = (ScoreName.katagiri_new, ScoreName.tokuhashi_revised, ScoreName.tomita)
# The scores by the names clinicians use (the missing-data reason is read by people).
_SCORE_WORDS = {
    ScoreName.katagiri_new: "New Katagiri score",
    ScoreName.tokuhashi_revised: "Revised Tokuhashi score",
    ScoreName.tomita: "Tomita score",
}

# Survival-score items -> the case field that would complete them (the primary items: see
# `_primary_item_field`).
_SURVIVAL_ITEM_FIELDS: dict[str, str] = {
    "visceral_metastases": "cancer.visceral_metastases",
    "major_organ_metastases": "cancer.visceral_metastases",
    "performance_status": "patient.ecog",
    "general_condition": "patient.kps",
    "previous_chemotherapy": "cancer.prior_chemotherapy",
    "multiple_skeletal_metastases": "skeletal_burden.total_lesions",
    "extraspinal_bone_metastases": "skeletal_burden.extraspinal_lesions",
    "vertebral_body_metastases": "skeletal_burden.vertebral_bodies",
    "bone_metastases": "skeletal_burden.total_lesions",
    "palsy": "presentation.neurologic_deficit",
}


_PRIMARY_ITEMS = frozenset({"primary_lesion", "primary_site", "primary_tumor"})


def _primary_item_field(ctx: Context, score: ScoreName) -> str | None:
    """The field that would place the primary in the score's growth group or row.

    The site alone is not always enough: new Katagiri grades breast and prostate by hormone
    dependence and lung by molecularly targeted therapy, and revised Tokuhashi needs a
    sarcoma's histology (osteosarcoma or not). Otherwise the site itself is what is missing.
    """
    cancer = ctx.case.cancer
    primary = cancer.primary
    if score is ScoreName.katagiri_new:
        if primary in (Primary.breast, Primary.prostate) and cancer.hormone_dependent is None:
            return "cancer.hormone_dependent"
        if primary is Primary.lung and cancer.targeted_therapy is None:
            return "cancer.targeted_therapy"
    if score is ScoreName.tokuhashi_revised and primary is Primary.sarcoma and cancer.histology is None:
        return "cancer.histology"
    if primary is not None:
        return None  # the primary is given; the score has no row for it, so nothing to enter would change it
    return "cancer.primary"


def _survival_item_fields(ctx: Context, score: ScoreName, item: str) -> list[str]:
    if item == "laboratory_data":
        return _katagiri_lab_fields(ctx)
    if item in _PRIMARY_ITEMS:
        field = _primary_item_field(ctx, score)
        return [field] if field is not None else []
    return [_SURVIVAL_ITEM_FIELDS.get(item, item)]


def _survival_gaps(ctx: Context) -> list[MissingItem]:
    gaps = []
    for name in SURVIVAL_SCORES:
        result = ctx.patient_score(name)
        if result is None:
            continue
        for item in result.missing_items:
            what = f"{_SCORE_WORDS[name]}, {item.replace('_', ' ')}"
            why = f"{what}: expected survival guides the radiation schedule and surgery."
            gaps += [missing(field, why) for field in _survival_item_fields(ctx, name, item)]
    return gaps


def _katagiri_lab_fields(ctx: Context) -> list[str]:
    """The Katagiri laboratory item reads CRP, LDH, albumin, platelets, calcium and bilirubin."""
    labs = ctx.case.labs
    wanted = {
        "labs.crp_mg_dl": labs.crp_mg_dl,
        "labs.ldh_u_l": labs.ldh_u_l,
        "labs.albumin_g_dl": labs.albumin_g_dl,
        "labs.platelets_10e9_l": labs.platelets_10e9_l,
        "labs.calcium_mg_dl": labs.calcium_mg_dl,
        "labs.bilirubin_mg_dl": labs.bilirubin_mg_dl,
    }
    return [field for field, value in wanted.items() if value is None]


def missing_data(ctx: Context) -> list[MissingItem]:
    return _patient_gaps(ctx) + _lesion_gaps(ctx) + _survival_gaps(ctx)
