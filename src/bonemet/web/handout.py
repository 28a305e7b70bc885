"""The patient handout: the engine's plain-language summary and the plan, in words for the patient.

One content model feeds both the HTML page and the PDF, so the two never say different
things. The descriptions of tests and treatments below are general explanations of what
each one is, with no numbers; the clinical numbers stay on the clinician's page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.pathway_sources import NICE_NG234
from bonemet.model import Assessment, Case
from bonemet.model.vocabulary import Bone, Code, Priority, Step
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

# Signs that a weakened arm, leg or hip bone may have broken. A broken bone from cancer often
# causes sudden, severe pain that may keep you from moving, after a fall or in everyday use
# (American Cancer Society); red flags include being unable to bear weight (Downie 2021, BMJ).
ACS_BONE_METASTASIS_SIGNS = Citation(
    key="acs_bone_metastasis_signs",
    label="American Cancer Society",
    reference="American Cancer Society. Signs and Symptoms of Bone Metastasis (patient information), cancer.org",
    url="https://www.cancer.org/treatment/understanding-your-diagnosis/bone-metastasis/signs-symptoms.html",
)
DOWNIE_2021 = Citation(
    key="downie2021_bmj",
    label="Downie 2021 (BMJ)",
    reference="Downie S, Bryden E, Perks F, Simpson AHRW. Diagnosis and referral of adults with suspected bony "
    "metastases. BMJ 2021;372:n98. doi:10.1136/bmj.n98",
    url="https://doi.org/10.1136/bmj.n98",
)

# Where a patient feels a broken bone, by the bone named in the case.
_LIMB_PLACES: dict[Bone, str] = {
    Bone.femur: "hip or thigh",
    Bone.acetabulum: "hip or groin",
    Bone.pelvis: "hip, groin or buttock",
    Bone.tibia: "leg",
    Bone.fibula: "leg",
    Bone.humerus: "arm or shoulder",
    Bone.radius: "forearm or wrist",
    Bone.ulna: "forearm or wrist",
}
_LEG_BONES = frozenset({Bone.femur, Bone.acetabulum, Bone.pelvis, Bone.tibia, Bone.fibula})


@dataclass(frozen=True)
class WarningGroup:
    heading: str
    signs: tuple[str, ...]
    sources: tuple[Citation, ...]


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
    warnings: tuple[WarningGroup, ...] = ()
    contact_fields: tuple[str, ...] = ()


_SECTION_STEPS: tuple[tuple[str, frozenset[Step]], ...] = (
    ("Tests we suggest", frozenset({Step.workup, Step.primary_search})),
    ("Treatments we suggest", frozenset({Step.treatment})),
    ("Looking after your bones", frozenset({Step.supportive})),
    ("Follow-up", frozenset({Step.follow_up})),
)
MAY_DISCUSS = "Your team may also talk with you about"

QUESTIONS = (
    "What do the scans show, and where?",
    "Which test or treatment comes first, and when?",
    "What are the side effects of each treatment?",
)
CONTACT_FIELDS = ("Your name", "Your care team", "Phone in the day", "Phone at night and at weekends")

# The bone-strengthening medicines are options of which the team gives one, never all.
_AGENT_NAMES: dict[Code, str] = {
    Code.bma_zoledronic_acid: "zoledronic acid (a drip)",
    Code.bma_denosumab: "denosumab (an injection)",
    Code.bma_pamidronate: "pamidronate (a drip)",
}


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _agents_choice(codes: list[Code]) -> Plain:
    return Plain(
        "A bone-strengthening medicine",
        f"Your team will choose one of these with you: {_one_of([_AGENT_NAMES[c] for c in codes])}. "
        "You will have only one of them.",
        "It slows the damage to the bones and lowers the risk of breaks.",
    )


def _agent_codes(assessment: Assessment) -> list[Code]:
    agents = (r.code for r in assessment.recommendations if r.code in _AGENT_NAMES)
    return list(dict.fromkeys(agents))


def _agents_item(assessment: Assessment) -> Plain | None:
    agents = _agent_codes(assessment)
    if not agents:
        return None
    return _agents_choice(agents) if len(agents) > 1 else PLAIN[agents[0]]


def _agents_chosen(assessment: Assessment) -> bool:
    """True when at least one bone-strengthening medicine is recommended, not only to consider."""
    return any(r.code in _AGENT_NAMES and r.priority is not Priority.consider for r in assessment.recommendations)


def _plain_items(assessment: Assessment, steps: frozenset[Step], emergency: bool) -> tuple[Plain, ...]:
    """The plan items of these steps, once each. Options only to consider are left for `_maybe_items`;
    the bone-strengthening medicines are one item ('your team will choose one of') where the first is."""
    items: list[Plain] = []
    seen: set[Code] = set()
    agents_done = False
    for rec in assessment.recommendations:
        if (rec.priority is Priority.emergency) != emergency or rec.code in seen or rec.code not in PLAIN:
            continue
        if not emergency and (rec.priority is Priority.consider or rec.step not in steps):
            continue
        seen.add(rec.code)
        if rec.code in _AGENT_NAMES and not emergency:
            agents = _agents_item(assessment)
            if not agents_done and agents is not None:
                items.append(agents)
            agents_done = True
            continue
        items.append(PLAIN[rec.code])
    return tuple(items)


def _maybe_items(assessment: Assessment) -> tuple[Plain, ...]:
    """Options to consider: named, not promised (no 'why', so no false hope)."""
    items: list[Plain] = []
    seen: set[Code] = set()
    for rec in assessment.recommendations:
        if rec.priority is not Priority.consider or rec.code not in PLAIN or rec.code in seen:
            continue
        seen.add(rec.code)
        if rec.code in _AGENT_NAMES:
            agents = _agents_item(assessment)
            if (
                not _agents_chosen(assessment)
                and agents is not None
                and not any(i.title == agents.title for i in items)
            ):
                items.append(Plain(agents.title, agents.what, ""))
            continue
        items.append(Plain(PLAIN[rec.code].title, PLAIN[rec.code].what, ""))
    return tuple(items)


def _paragraphs(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(p for p in parts if p)


def _sentences(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """'What we found' as short points: one sentence each."""
    out = []
    for paragraph in paragraphs:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph) if s.strip()]
    return tuple(out)


def _warnings(assessment: Assessment, case: Case | None) -> tuple[WarningGroup, ...]:
    """Warning signs for the sites involved: the spinal cord's for everyone (NICE NG234 asks that people
    with bone metastases are told them), and a broken bone's when an arm, leg or hip bone is involved."""
    bones = {lesion.bone for lesion in case.lesions} if case is not None else set()
    limbs = [b for b in _LIMB_PLACES if b in bones]
    groups = [WarningGroup("Signs of pressure on the spinal cord", WARNING_SIGNS, (NICE_NG234,))]
    if limbs:
        places = _one_of(list(dict.fromkeys(_LIMB_PLACES[b] for b in limbs)))
        use = (
            "you cannot put weight on your leg"
            if all(b in _LEG_BONES for b in limbs)
            else "you cannot use your arm"
            if not any(b in _LEG_BONES for b in limbs)
            else "you cannot put weight on your leg, or cannot use your arm"
        )
        groups.append(
            WarningGroup(
                "Signs that a weak bone has broken",
                (
                    f"sudden, bad pain in your {places}",
                    use,
                    "new pain after a fall or a knock, even a small one",
                ),
                (ACS_BONE_METASTASIS_SIGNS, DOWNIE_2021),
            )
        )
    return tuple(groups)


def _questions(case: Case | None) -> tuple[str, ...]:
    bones = {lesion.bone for lesion in case.lesions} if case is not None else set()
    extra = []
    if bones & _LEG_BONES:
        extra.append("How much weight can I put on my leg? Should I use crutches or a frame?")
    if bones & {Bone.humerus, Bone.radius, Bone.ulna}:
        extra.append("What can I lift or carry with my arm?")
    return QUESTIONS + tuple(extra)


def handout_date(iso: str) -> str:
    """'2026-11-25' -> '25 November 2026' (what patients expect); anything else is kept as given."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B')} {day.year}"


def build_handout(assessment: Assessment, case: Case | None = None) -> Handout:
    sections = tuple(
        HandoutSection(heading, items)
        for heading, steps in _SECTION_STEPS
        if (items := _plain_items(assessment, steps, emergency=False))
    )
    maybe = _maybe_items(assessment)
    if maybe:
        sections += (HandoutSection(MAY_DISCUSS, maybe),)
    summary = _sentences(_paragraphs(assessment.patient_summary)) or (
        "Your care team will explain the results of your assessment and what happens next.",
    )
    return Handout(
        title="Your bones: what we found and what happens next",
        date=handout_date(assessment.as_of),
        summary=summary,
        urgent=_plain_items(assessment, frozenset(), emergency=True),
        sections=sections,
        warning_signs=WARNING_SIGNS,
        warning_source=WARNING_SIGNS_SOURCE,
        questions=_questions(case),
        disclaimer="This sheet explains your care team's suggestions. Your own doctors decide your care "
        "with you: ask them about anything that is unclear.",
        warnings=_warnings(assessment, case),
        contact_fields=CONTACT_FIELDS,
    )


def handout_pdf(handout: Handout) -> bytes:
    doc = PdfDocument(title=handout.title, body_size=14.0)
    doc.heading(handout.title, size=22.0)
    doc.paragraph(f"Date: {handout.date}", size=12.0)
    for label in handout.contact_fields:
        doc.paragraph(f"{label}: ______________________________", size=12.0)
    if handout.urgent:
        doc.heading("Needs attention today")
        for item in handout.urgent:
            doc.bullet(f"{item.what} {item.why}", item.title)
    doc.heading("What we found")
    for sentence in handout.summary:
        doc.bullet(sentence)
    for section in handout.sections:
        doc.heading(section.heading)
        for item in section.items:
            doc.bullet(f"{item.what} {item.why}".strip(), item.title)
    for group in handout.warnings:
        doc.heading(f"Get help at once: {group.heading.lower()}")
        for sign in group.signs:
            doc.bullet(sign)
        doc.paragraph("Source: " + "; ".join(source.label for source in group.sources) + ".", size=10.0)
    doc.heading("Questions you may want to ask")
    for question in handout.questions:
        doc.bullet(question)
    doc.space(10)
    doc.paragraph(handout.disclaimer, size=11.0)
    return doc.to_bytes()
