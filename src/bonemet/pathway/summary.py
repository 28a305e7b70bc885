"""A plain-language summary for the patient: short sentences, no jargon, no numbers to fear.

It explains what the team is looking for and why each test or treatment is offered. It is
written from the plan, so it never says more than the plan does.
"""

from __future__ import annotations

from bonemet.model import Recommendation, Suspicion
from bonemet.model.vocabulary import Code, SuspicionLevel

_OPENING: dict[SuspicionLevel, str] = {
    SuspicionLevel.established: (
        "Your cancer has spread to some of your bones. This is called bone metastasis. "
        "It can often be treated well, to ease pain and keep your bones strong."
    ),
    SuspicionLevel.high: (
        "Your doctors think your bone problem may be caused by cancer that has spread to the bone. "
        "Tests will tell them for sure."
    ),
    SuspicionLevel.moderate: (
        "Your bone pain has no clear cause yet. Your doctors want to check whether it could be "
        "something serious, such as cancer in the bone."
    ),
    SuspicionLevel.low: "Nothing found so far points to cancer in your bones.",
}

# One plain sentence per kind of step; codes sharing a sentence are mentioned once.
_PLAIN: list[tuple[frozenset[Code], str]] = [
    (
        frozenset({Code.urgent_mscc}),
        "The cancer may be pressing on your spinal cord. This needs treatment today: you will get a "
        "steroid medicine and an urgent MRI scan, and see spine and radiation specialists. Tell staff at "
        "once if your legs get weaker or numb, or if you cannot pass urine or control your bowels.",
    ),
    (
        frozenset({Code.urgent_hypercalcemia}),
        "The calcium level in your blood is too high. This can make you thirsty, sick, constipated or "
        "confused. It is treated in hospital with fluids through a drip and medicine.",
    ),
    (
        frozenset(
            {
                Code.imaging_xray,
                Code.imaging_bone_scan,
                Code.imaging_pet_ct,
                Code.imaging_psma_pet,
                Code.imaging_mri,
                Code.imaging_ct,
            }
        ),
        "Scans will show which bones are affected and how strong they are.",
    ),
    (
        frozenset(
            {
                Code.exam_primary_search,
                Code.imaging_chest_xray,
                Code.imaging_mammography,
                Code.imaging_ct_chest_abdomen_pelvis,
                Code.lab_psa,
                Code.lab_myeloma_screen,
            }
        ),
        "Because we do not yet know where the problem started, you will have an examination, blood tests "
        "and scans of your chest and tummy to look for it.",
    ),
    (
        frozenset({Code.lab_baseline}),
        "Blood tests check your calcium, kidneys and blood count.",
    ),
    (
        frozenset({Code.biopsy_bone}),
        "A small sample of the bone may be taken with a needle, so that a specialist can look at it "
        "under the microscope.",
    ),
    (
        frozenset({Code.referral_orthopedic_oncology}),
        "You will see a specialist bone tumour team before any sample is taken.",
    ),
    (
        frozenset({Code.surgery_fixation}),
        "A bone is broken. An operation can fix it so that you can use the limb with less pain.",
    ),
    (
        frozenset({Code.surgery_prophylactic_fixation}),
        "A bone is weak and at risk of breaking. An operation can make it strong before it breaks.",
    ),
    (
        frozenset({Code.surgery_spine_consult, Code.surgery_en_bloc_resection}),
        "A surgeon will see you to talk about whether an operation would help.",
    ),
    (
        frozenset({Code.spine_vertebral_augmentation}),
        "Bone cement injected into a collapsed spine bone can ease the pain.",
    ),
    (
        frozenset({Code.rt_palliative, Code.rt_sbrt, Code.rt_postoperative}),
        "Radiotherapy to the painful bone eases pain in most people and helps the bone heal.",
    ),
    (
        frozenset({Code.bma_zoledronic_acid, Code.bma_denosumab, Code.bma_pamidronate}),
        "A bone-strengthening medicine, given by drip or injection every few weeks, lowers the risk of "
        "fractures and other bone problems.",
    ),
    (
        frozenset({Code.bma_dental_evaluation}),
        "See a dentist before starting the bone medicine: rarely, it can harm the jaw bone, and healthy "
        "teeth lower that risk.",
    ),
    (
        frozenset({Code.bma_calcium_vitamin_d}),
        "Take calcium and vitamin D every day, as advised, to keep your calcium level safe.",
    ),
    (
        frozenset({Code.systemic_oncology_referral}),
        "Your cancer specialist will talk with you about medicines that treat the cancer itself.",
    ),
]

_CLOSING = (
    "Your care team will go through this plan with you and decide together with you what is right. "
    "Ask them about anything that is not clear."
)


def patient_summary(level: Suspicion, recommendations: list[Recommendation]) -> str:
    codes = {r.code for r in recommendations}
    sentences = [_OPENING[level.level]]
    sentences += [text for group, text in _PLAIN if not group.isdisjoint(codes)]
    sentences.append(_CLOSING)
    return " ".join(sentences)
