"""The search for an unknown primary, then biopsy (Merck Manual 2022; Rougraff 1993; BOAST 2022).

Bone lesions without a known cancer: examine breast, prostate, thyroid; chest x-ray,
mammography, PSA; CT chest/abdomen/pelvis; rule out myeloma. Rougraff's strategy found
the primary in 85% of patients, biopsy alone in only 35%, so the biopsy comes last —
of the most accessible lesion, core needle, with immunohistochemistry. A solitary lesion
without a cancer history may be a primary bone sarcoma: refer before any biopsy.
"""

from __future__ import annotations

from collections.abc import Iterator

from bonemet.knowledge import safety
from bonemet.knowledge.pathway_sources import (
    BOAST_2022,
    ESMO_CUP_2015,
    MERCK_METASTATIC_BONE_TUMORS,
    ROUGRAFF_1993,
)
from bonemet.model.vocabulary import BoneBiopsy, CancerHistory, Code, Modality, Priority, Sex, Step
from bonemet.pathway.context import Context
from bonemet.pathway.rules import Finding, decline, missing, recommend, sources_of

MERCK = MERCK_METASTATIC_BONE_TUMORS
CHEST = ("chest", "thorax", "lung")
ABDOMEN = ("abdomen", "abdominal", "pelvis")
BREAST = ("breast", "mammo")


def bone_sarcoma_referral(ctx: Context) -> Iterator[Finding]:
    """Under 18, or a single lesion under 40, without a known cancer: the sarcoma pathway, not a carcinoma search.

    ESMO bone sarcoma guideline (age and diagnosis), NICE NG12 (children and young people), BOAST 2022
    (no local biopsy or fixation). No PSA, myeloma screen or adult unknown-primary probabilities.
    """
    if not ctx.possible_primary_bone_sarcoma:
        return
    years = ctx.case.patient.age_years
    assert years is not None
    used = [safety.AGE_AND_DIAGNOSIS, safety.SARCOMA_CENTRE_WORKUP, safety.NO_LOCAL_BIOPSY_OR_FIXATION]
    if ctx.age.child:
        used.insert(1, safety.CHILDREN_BONE_SARCOMA_REFERRAL)
    who = "child or young person" if ctx.age.child else "young adult"
    reasons = [
        f"Bone lesion in a {who} ({years:g} years) without a known cancer: a primary bone tumour is more "
        "likely than a metastasis."
    ]
    if ctx.age.under_five:
        reasons.append(
            "Under 5 years: metastatic neuroblastoma and Langerhans cell histiocytosis lead the list: "
            "paediatric oncology."
        )
    if ctx.age.child:
        reasons.append(safety.ADULT_SCORES_ONLY)
    reasons += [f.text for f in used]
    yield recommend(
        Code.referral_orthopedic_oncology,
        Priority.urgent,
        Step.primary_search,
        "Urgent referral to a bone sarcoma centre"
        + (" (very urgent, within 48 hours, for a child or young person)" if ctx.age.child else "")
        + ": MRI of the whole bone and chest CT are done there; no biopsy or fixation before.",
        reasons,
        sources_of(used),
    )
    yield decline(
        Code.biopsy_bone,
        [
            "Possible primary bone tumour: the biopsy belongs to the sarcoma centre that will operate.",
            safety.NO_LOCAL_BIOPSY_OR_FIXATION.text,
        ],
        sources_of([safety.NO_LOCAL_BIOPSY_OR_FIXATION]),
    )
    yield decline(
        Code.lab_psa,
        [
            f"{years:g} years old with a possible primary bone tumour: the adult carcinoma search (PSA, myeloma "
            "screen, unknown-primary probabilities) does not apply.",
            safety.AGE_AND_DIAGNOSIS.text,
        ],
        sources_of([safety.AGE_AND_DIAGNOSIS]),
    )


def primary_search_applies(ctx: Context) -> bool:
    """No known primary, and bone lesions (or strong suspicion) to explain."""
    if ctx.possible_primary_bone_sarcoma:
        return False
    history = ctx.case.cancer.history
    if history not in (CancerHistory.none, CancerHistory.unknown_primary):
        return False
    if ctx.case.cancer.primary is not None:
        return False
    if ctx.case.cancer.bone_biopsy is BoneBiopsy.other_diagnosis:
        return False
    return ctx.any_lesion or ctx.case.cancer.bone_biopsy is BoneBiopsy.metastasis_confirmed


def _why_search() -> list[str]:
    return ["Bone lesions without a known primary: a structured search finds the primary in most patients."]


def primary_search(ctx: Context) -> Iterator[Finding]:
    if not primary_search_applies(ctx):
        return
    yield recommend(
        Code.exam_primary_search,
        Priority.routine,
        Step.primary_search,
        "History and examination aimed at the primary: breast, prostate, thyroid, skin, lymph nodes.",
        _why_search(),
        [MERCK, ROUGRAFF_1993],
    )
    chest_ct_done = ctx.done(Modality.ct, CHEST) or ctx.done(Modality.pet_ct)
    if not ctx.done(Modality.xray, CHEST) and not chest_ct_done:
        yield recommend(
            Code.imaging_chest_xray,
            Priority.routine,
            Step.primary_search,
            "Chest radiograph.",
            ["Lung cancer is a common source of bone metastases of unknown origin."],
            [MERCK, ROUGRAFF_1993],
        )
    yield from _sex_specific_tests(ctx)
    if not (ctx.done(Modality.ct, CHEST) and ctx.done(Modality.ct, ABDOMEN)) and not ctx.done(Modality.pet_ct):
        yield recommend(
            Code.imaging_ct_chest_abdomen_pelvis,
            Priority.routine,
            Step.primary_search,
            "CT of the chest, abdomen and pelvis with contrast.",
            ["CT chest/abdomen/pelvis was the test that most often found the primary (lung, kidney)."],
            [ROUGRAFF_1993, MERCK],
        )
    yield from _myeloma_screen(ctx)
    yield from _biopsy_when_still_unknown(ctx)


def _sex_specific_tests(ctx: Context) -> Iterator[Finding]:
    sex = ctx.case.patient.sex
    if sex is None:
        yield missing("patient.sex", "Decides mammography (women) or PSA (men) in the primary search.")
        return
    if sex is Sex.female and not ctx.done(Modality.xray, BREAST):
        yield recommend(
            Code.imaging_mammography,
            Priority.routine,
            Step.primary_search,
            "Mammography.",
            ["Breast cancer is among the commonest sources of bone metastases in women."],
            [MERCK],
        )
    if sex is Sex.male and ctx.case.labs.psa_ng_ml is None:
        yield recommend(
            Code.lab_psa,
            Priority.routine,
            Step.primary_search,
            "Serum PSA.",
            ["Prostate cancer is the commonest source of blastic bone metastases in men."],
            [MERCK],
        )


def _myeloma_screen(ctx: Context) -> Iterator[Finding]:
    if ctx.patterns and not ctx.any_lytic:
        yield decline(
            Code.lab_myeloma_screen,
            ["Only blastic lesions: myeloma causes lytic lesions."],
            [MERCK],
        )
        return
    reason = (
        "Lytic bone lesions: myeloma must be excluded."
        if ctx.any_lytic
        else "Lesion pattern unknown: myeloma must be excluded while lytic lesions are possible."
    )
    yield recommend(
        Code.lab_myeloma_screen,
        Priority.routine,
        Step.primary_search,
        "Serum and urine protein electrophoresis with immunofixation and serum free light chains.",
        [reason],
        [MERCK, BOAST_2022],
    )


def _biopsy_when_still_unknown(ctx: Context) -> Iterator[Finding]:
    if ctx.case.cancer.bone_biopsy is BoneBiopsy.metastasis_confirmed:
        return
    no_history = ctx.case.cancer.history is CancerHistory.none
    if no_history and ctx.solitary_lesion:
        yield recommend(
            Code.referral_orthopedic_oncology,
            Priority.urgent,
            Step.primary_search,
            "Refer to an orthopaedic oncology (bone sarcoma) centre before any biopsy or fixation.",
            [
                "A solitary bone lesion without a cancer history may be a primary bone sarcoma; a biopsy "
                "through the wrong tract can compromise limb-salvage surgery.",
            ],
            [BOAST_2022, MERCK],
        )
        yield decline(
            Code.biopsy_bone,
            ["Possible primary bone tumour: the biopsy belongs to the sarcoma centre that will operate."],
            [BOAST_2022],
        )
        return
    panel = _ihc_panel(ctx)
    yield recommend(
        Code.biopsy_bone,
        Priority.routine,
        Step.primary_search,
        "If the primary is still unknown after these tests: image-guided core-needle biopsy of the most "
        f"accessible bone lesion with immunohistochemistry ({panel}).",
        [
            "Biopsy is the last step: after the search above it identifies the primary or excludes "
            "treatable lymphoma, myeloma and germ-cell tumours.",
        ],
        [ROUGRAFF_1993, ESMO_CUP_2015],
    )


def _ihc_panel(ctx: Context) -> str:
    base = "CK7/CK20, TTF-1, PAX8, CDX2, GATA3"
    sex = ctx.case.patient.sex
    if sex is Sex.male:
        return base + ", PSA and NKX3.1"
    if sex is Sex.female:
        return base + ", ER and PR"
    return base + ", with PSA in men and ER/PR in women"
