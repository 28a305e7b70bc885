"""The patient handout: the engine's plain-language summary and the plan, in words for the patient.

One content model feeds both the HTML page and the PDF, so the two never say different
things. The descriptions of tests and treatments below are general explanations of what
each one is, with no numbers; the clinical numbers stay on the clinician's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.pathway_sources import NICE_NG234
from bonemet.model import Assessment
from bonemet.model.vocabulary import Code, Priority, Step
from bonemet.web.pdf import PdfDocument


@dataclass(frozen=True)
class Plain:
    title: str
    what: str
    why: str


# What each recommendation is and why it is done, for a patient.
PLAIN: dict[Code, Plain] = {
    Code.urgent_mscc: Plain(
        "Urgent care for your spine",
        "A steroid medicine straight away, an MRI scan of the whole spine, and a same-day review by spine "
        "surgeons and radiation doctors.",
        "Cancer in the spine may be pressing on the spinal cord. Treating it quickly gives the best chance "
        "of keeping strength and feeling in the legs.",
    ),
    Code.urgent_hypercalcemia: Plain(
        "Treatment for a high calcium level",
        "Fluids through a drip, and a medicine that lowers the calcium in the blood.",
        "Cancer in the bones can raise the calcium in the blood. A high calcium level needs treatment in hospital.",
    ),
    Code.imaging_xray: Plain(
        "X-rays of the painful areas",
        "Ordinary pictures of the bones where it hurts.",
        "They show whether a bone is weakened and how much.",
    ),
    Code.imaging_bone_scan: Plain(
        "Bone scan",
        "A small amount of a radioactive tracer is injected into a vein, and a camera takes pictures of the "
        "whole skeleton a few hours later.",
        "It shows every place in the skeleton that may be affected, not only the painful one.",
    ),
    Code.imaging_pet_ct: Plain(
        "PET-CT scan",
        "A scan of the whole body after an injection of a tracer that cancer cells take up.",
        "It shows the bones and other organs in one scan.",
    ),
    Code.imaging_psma_pet: Plain(
        "PSMA PET scan",
        "A whole-body scan with a tracer that sticks to prostate cancer cells.",
        "It finds prostate cancer in the bones and elsewhere more reliably than older scans.",
    ),
    Code.imaging_mri: Plain(
        "MRI scan",
        "A scan in a large magnet that shows bone marrow, nerves and the spinal cord in detail. It uses no radiation.",
        "It shows exactly how far the disease reaches, especially in the spine.",
    ),
    Code.imaging_ct: Plain(
        "CT scan of the bone",
        "A detailed X-ray scan of one area.",
        "It shows how much of the bone's hard outer layer is damaged, which helps judge the risk of a break.",
    ),
    Code.imaging_ct_chest_abdomen_pelvis: Plain(
        "CT scan of the chest, abdomen and pelvis",
        "A detailed X-ray scan of the body.",
        "It looks for where the cancer started.",
    ),
    Code.imaging_chest_xray: Plain("Chest X-ray", "A picture of the lungs.", "It looks for a cause in the lungs."),
    Code.imaging_mammography: Plain("Mammogram", "An X-ray of the breasts.", "It looks for a cause in the breast."),
    Code.lab_psa: Plain(
        "PSA blood test", "A blood test for a protein made by the prostate.", "It looks for a cause in the prostate."
    ),
    Code.lab_myeloma_screen: Plain(
        "Blood and urine protein tests",
        "Tests for abnormal proteins.",
        "They check for myeloma, a blood cancer that can look like cancer spread to bone.",
    ),
    Code.lab_baseline: Plain(
        "Blood tests",
        "Calcium, kidney function, liver and bone tests, and a blood count.",
        "They check how the body is coping and which medicines are safe at which dose.",
    ),
    Code.exam_primary_search: Plain(
        "Examination",
        "A doctor examines the breasts, prostate, thyroid, skin and lymph glands.",
        "It looks for where the cancer started.",
    ),
    Code.biopsy_bone: Plain(
        "Bone biopsy",
        "A small sample of the bone is taken with a needle, guided by a scan, usually with local anaesthetic.",
        "Looking at the cells under the microscope confirms what the disease is and guides treatment.",
    ),
    Code.referral_orthopedic_oncology: Plain(
        "Referral to a bone tumour specialist",
        "A specialist team sees you before any biopsy.",
        "A single bone lesion without a known cancer may be a tumour that started in the bone, and these are "
        "best biopsied by the team that would treat them.",
    ),
    Code.rt_palliative: Plain(
        "Radiotherapy",
        "Treatment with X-ray beams aimed at the affected bone, given in one or a few short sessions.",
        "It eases pain and helps the bone heal.",
    ),
    Code.rt_sbrt: Plain(
        "Precise (stereotactic) radiotherapy",
        "High-dose, very precisely aimed radiotherapy, in one or a few sessions.",
        "It treats tumours that respond less to ordinary radiotherapy while protecting the spinal cord.",
    ),
    Code.rt_postoperative: Plain(
        "Radiotherapy after the operation",
        "Radiotherapy to the whole operated bone.",
        "It treats the disease left in the bone and helps the repair hold.",
    ),
    Code.bma_zoledronic_acid: Plain(
        "Zoledronic acid (a bone-strengthening drip)",
        "A medicine given into a vein every few weeks; the dose depends on your kidney function.",
        "It slows the damage to the bones and lowers the risk of breaks.",
    ),
    Code.bma_denosumab: Plain(
        "Denosumab (a bone-strengthening injection)",
        "An injection under the skin every 4 weeks.",
        "It slows the damage to the bones and lowers the risk of breaks.",
    ),
    Code.bma_pamidronate: Plain(
        "Pamidronate (a bone-strengthening drip)",
        "A medicine given into a vein over about 2 hours every few weeks.",
        "It slows the damage to the bones and lowers the risk of breaks.",
    ),
    Code.bma_dental_evaluation: Plain(
        "See a dentist first",
        "A dental check-up, and any needed dental treatment, before starting a bone-strengthening medicine.",
        "These medicines can rarely harm the jawbone, most often after a tooth is taken out.",
    ),
    Code.bma_calcium_vitamin_d: Plain(
        "Calcium and vitamin D",
        "Daily tablets.",
        "They keep the calcium in your blood from falling too low while you take a bone-strengthening medicine.",
    ),
    Code.surgery_fixation: Plain(
        "Operation to fix the broken bone",
        "Surgeons fix the bone with a metal rod or plate, or replace the damaged part.",
        "It relieves pain and lets you use the limb again.",
    ),
    Code.surgery_prophylactic_fixation: Plain(
        "Operation to strengthen the bone before it breaks",
        "Surgeons put a metal rod or plate in the weakened bone.",
        "The bone is at high risk of breaking. Fixing it before it breaks is safer and recovery is quicker "
        "than after a break.",
    ),
    Code.surgery_spine_consult: Plain(
        "Review by a spine surgeon",
        "A spine surgeon examines you and your scans.",
        "The spine may be unstable or the spinal cord squeezed, and surgery may protect it.",
    ),
    Code.surgery_en_bloc_resection: Plain(
        "Operation to remove the bone lesion",
        "Surgeons remove the affected bone in one piece and rebuild it.",
        "When there is a single, late lesion and the original cancer is controlled, removing it may give "
        "long-lasting control.",
    ),
    Code.spine_vertebral_augmentation: Plain(
        "Cement injection into the spine (kyphoplasty or vertebroplasty)",
        "Bone cement is injected into a collapsed vertebra through a needle.",
        "It can ease pain from a collapsed vertebra.",
    ),
    Code.systemic_oncology_referral: Plain(
        "Cancer medicines",
        "Treatment chosen by the cancer specialist for the type of cancer: hormone therapy, chemotherapy or "
        "targeted medicines.",
        "It treats the cancer throughout the body, including the bones.",
    ),
    Code.urgent_hypocalcemia: Plain(
        "Raising a low calcium level",
        "Calcium by mouth, or into a vein if the level is very low or causes symptoms, with vitamin D or "
        "magnesium if these are low.",
        "Low calcium can cause tingling, cramps and heart rhythm problems, and it must be put right before "
        "some bone medicines are started.",
    ),
    Code.lab_hypocalcemia_workup: Plain(
        "Blood tests for low calcium",
        "Blood tests for vitamin D, magnesium and the hormones that control calcium.",
        "They show why your calcium is low and what will correct it.",
    ),
    Code.lab_ionized_calcium: Plain(
        "A more exact calcium test",
        "A blood test that measures the calcium that is free in the blood.",
        "When the protein albumin is low, the usual calcium result can look higher than it is.",
    ),
    Code.rt_reirradiation: Plain(
        "More radiotherapy to a treated area",
        "Another short course of radiotherapy to a bone that was treated before.",
        "Pain that comes back after radiotherapy often eases with a second course.",
    ),
    Code.bma_bone_health_adt: Plain(
        "Keeping your bones strong during hormone treatment",
        "Calcium and vitamin D, a check of your fracture risk, and a bone medicine if the risk is high.",
        "Hormone treatment for prostate cancer thins the bones.",
    ),
    Code.systemic_radium_223: Plain(
        "Radium-223",
        "A radioactive medicine given into a vein once a month that goes to the bones.",
        "In prostate cancer that has spread mainly to the bones it eases symptoms and helps people live longer.",
    ),
    Code.rt_prophylactic: Plain(
        "Talking about radiotherapy before a bone hurts",
        "A talk with a radiotherapy doctor about treating a bone that is at risk but does not hurt yet.",
        "In one study, this kind of treatment stopped many breaks and other bone problems.",
    ),
}

# NICE NG234 lists these as the symptoms of possible spinal cord compression to act on at once.
WARNING_SIGNS = (
    "new back or neck pain that is severe, keeps getting worse, or wakes you at night",
    "pain spreading around the chest or down an arm or leg",
    "weakness, numbness or tingling in the arms or legs, or difficulty walking",
    "problems controlling your bladder or bowels",
)
WARNING_SIGNS_SOURCE: Citation = NICE_NG234


@dataclass(frozen=True)
class HandoutSection:
    heading: str
    items: tuple[Plain, ...]


@dataclass(frozen=True)
class Handout:
    title: str
    date: str
    summary: tuple[str, ...]
    urgent: tuple[Plain, ...]
    sections: tuple[HandoutSection, ...]
    warning_signs: tuple[str, ...]
    warning_source: Citation
    questions: tuple[str, ...]
    disclaimer: str


_SECTION_STEPS: tuple[tuple[str, frozenset[Step]], ...] = (
    ("Tests we suggest", frozenset({Step.workup, Step.primary_search})),
    ("Treatments we suggest", frozenset({Step.treatment})),
    ("Looking after your bones", frozenset({Step.supportive})),
    ("Follow-up", frozenset({Step.follow_up})),
)

QUESTIONS = (
    "What do the scans show, and where?",
    "Which test or treatment comes first, and when?",
    "What are the side effects of each treatment?",
    "Who do I call if the pain gets worse or something new happens?",
)


def _plain_items(assessment: Assessment, steps: frozenset[Step], emergency: bool) -> tuple[Plain, ...]:
    seen: list[Code] = []
    for rec in assessment.recommendations:
        if (rec.priority is Priority.emergency) != emergency:
            continue
        if (emergency or rec.step in steps) and rec.code not in seen and rec.code in PLAIN:
            seen.append(rec.code)
    return tuple(PLAIN[code] for code in seen)


def _paragraphs(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(p for p in parts if p)


def build_handout(assessment: Assessment) -> Handout:
    sections = tuple(
        HandoutSection(heading, items)
        for heading, steps in _SECTION_STEPS
        if (items := _plain_items(assessment, steps, emergency=False))
    )
    summary = _paragraphs(assessment.patient_summary) or (
        "Your care team will explain the results of your assessment and what happens next.",
    )
    return Handout(
        title="Your bones: what we found and what happens next",
        date=assessment.as_of,
        summary=summary,
        urgent=_plain_items(assessment, frozenset(), emergency=True),
        sections=sections,
        warning_signs=WARNING_SIGNS,
        warning_source=WARNING_SIGNS_SOURCE,
        questions=QUESTIONS,
        disclaimer="This sheet explains your care team's suggestions. Your own doctors decide your care "
        "with you: ask them about anything that is unclear.",
    )


def handout_pdf(handout: Handout) -> bytes:
    doc = PdfDocument(title=handout.title, body_size=14.0)
    doc.heading(handout.title, size=22.0)
    doc.paragraph(f"Date: {handout.date}", size=12.0)
    if handout.urgent:
        doc.heading("Needs attention today")
        for item in handout.urgent:
            doc.bullet(f"{item.what} {item.why}", item.title)
    doc.heading("What we found")
    for paragraph in handout.summary:
        doc.paragraph(paragraph)
    for section in handout.sections:
        doc.heading(section.heading)
        for item in section.items:
            doc.bullet(f"{item.what} {item.why}", item.title)
    doc.heading("Get help at once if you notice")
    for sign in handout.warning_signs:
        doc.bullet(sign)
    doc.paragraph(f"Source: {handout.warning_source.label}.", size=10.0)
    doc.heading("Questions you may want to ask")
    for question in handout.questions:
        doc.bullet(question)
    doc.space(10)
    doc.paragraph(handout.disclaimer, size=11.0)
    return doc.to_bytes()
