"""Orthopaedic and spinal surgery for bone metastases: when to fix, what to fix with, en bloc
resection, BOAST 2022, and vertebral augmentation.

The Mirels threshold lives with the Mirels score (`bonemet.scores.mirels`) and is imported
from there, so the number exists once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.guideline_sources import (
    AAOS_MBD,
    BOAST_2022,
    CAFE_2011,
    ESMO_2020,
    GRUNWALD_2018,
    HARRINGTON_CRITERIA,
    MERCK_METASTATIC_BONE_TUMORS,
    PATCHELL_2005,
    RCC_SURGERY_2010,
    VAN_DER_LINDEN_2004,
    VERTEBRAL_AUGMENTATION_REVIEW,
    Fact,
)
from bonemet.model.vocabulary import Bone, EsccGrade, Primary, VisceralMetastases
from bonemet.scores.mirels import FIXATION_THRESHOLD as MIRELS_FIXATION_THRESHOLD
from bonemet.scores.mirels import MIRELS_1989

# --- Impending fracture -------------------------------------------------------------------------------

# Van der Linden 2004 (femur): axial cortical involvement > 30 mm and circumferential
# cortical involvement > 50% predicted fracture; Mirels was not specific in that cohort.
AXIAL_CORTICAL_INVOLVEMENT_ABOVE_MM = 30.0
CIRCUMFERENTIAL_CORTICAL_INVOLVEMENT_ABOVE = 0.50
# Harrington (older, not validated): > 50% cortical destruction, > 2.5 cm proximal femoral
# lesion, pathological avulsion of the lesser trochanter, pain persisting after RT.
HARRINGTON_CORTICAL_DESTRUCTION_ABOVE = 0.50
HARRINGTON_PROXIMAL_FEMUR_SIZE_ABOVE_CM = 2.5

MIRELS_FIXATION = Fact(
    f"Mirels score >= {MIRELS_FIXATION_THRESHOLD}: fracture risk about 33% or more; prophylactic fixation "
    "is recommended before radiotherapy.",
    MIRELS_1989,
)
VAN_DER_LINDEN_AXIAL = Fact(
    "Femur: axial cortical involvement > 30 mm predicted pathological fracture.", VAN_DER_LINDEN_2004
)
VAN_DER_LINDEN_CIRCUMFERENTIAL = Fact(
    "Femur: circumferential cortical involvement > 50% predicted pathological fracture.", VAN_DER_LINDEN_2004
)
PROPHYLACTIC_BEFORE_FRACTURE = Fact(
    "Prophylactic fixation of an impending fracture is preferred over fixation after the fracture [III, B].",
    ESMO_2020,
)


@dataclass(frozen=True)
class FractureRiskFinding:
    criterion: str
    met: bool
    statement: Fact


def impending_fracture_findings(
    *,
    bone: Bone,
    mirels_total: int | None = None,
    axial_cortical_involvement_mm: float | None = None,
    circumferential_cortical_involvement: float | None = None,
    cortical_destruction_fraction: float | None = None,
    size_cm: float | None = None,
    proximal_femur: bool = False,
    lesser_trochanter_avulsion: bool | None = None,
    pain_persisting_after_rt: bool | None = None,
) -> tuple[FractureRiskFinding, ...]:
    """Each impending-fracture criterion that can be judged from what is known.

    Mirels (validated, the primary rule); van der Linden's femoral CT/radiograph criteria;
    Harrington's older criteria, reported for completeness and flagged as not validated.
    A criterion whose input is unknown is left out rather than counted as not met.
    """
    found: list[FractureRiskFinding] = []
    if mirels_total is not None:
        found.append(
            FractureRiskFinding(
                f"Mirels >= {MIRELS_FIXATION_THRESHOLD}",
                mirels_total >= MIRELS_FIXATION_THRESHOLD,
                MIRELS_FIXATION,
            )
        )
    femur = bone is Bone.femur
    if femur and axial_cortical_involvement_mm is not None:
        met = axial_cortical_involvement_mm > AXIAL_CORTICAL_INVOLVEMENT_ABOVE_MM
        found.append(FractureRiskFinding("axial cortical involvement > 30 mm", met, VAN_DER_LINDEN_AXIAL))
    if femur and circumferential_cortical_involvement is not None:
        met = circumferential_cortical_involvement > CIRCUMFERENTIAL_CORTICAL_INVOLVEMENT_ABOVE
        found.append(
            FractureRiskFinding("circumferential cortical involvement > 50%", met, VAN_DER_LINDEN_CIRCUMFERENTIAL)
        )
    found += _harrington_findings(
        cortical_destruction_fraction,
        size_cm if femur and proximal_femur else None,
        lesser_trochanter_avulsion if femur else None,
        pain_persisting_after_rt,
    )
    return tuple(found)


def _harrington(criterion: str, met: bool) -> FractureRiskFinding:
    statement = Fact(
        f"Harrington criterion: {criterion}.",
        HARRINGTON_CRITERIA,
        verified=False,
        caveat="older criteria, not validated",
    )
    return FractureRiskFinding(f"Harrington: {criterion}", met, statement)


def _harrington_findings(
    cortical_destruction: float | None,
    proximal_femur_size_cm: float | None,
    lesser_trochanter_avulsion: bool | None,
    pain_after_rt: bool | None,
) -> list[FractureRiskFinding]:
    found: list[FractureRiskFinding] = []
    if cortical_destruction is not None:
        found.append(
            _harrington("> 50% cortical destruction", cortical_destruction > HARRINGTON_CORTICAL_DESTRUCTION_ABOVE)
        )
    if proximal_femur_size_cm is not None:
        found.append(
            _harrington(
                "proximal femoral lesion > 2.5 cm",
                proximal_femur_size_cm > HARRINGTON_PROXIMAL_FEMUR_SIZE_ABOVE_CM,
            )
        )
    if lesser_trochanter_avulsion is not None:
        found.append(_harrington("pathological avulsion of the lesser trochanter", lesser_trochanter_avulsion))
    if pain_after_rt is not None:
        found.append(_harrington("persistent or functional pain after radiotherapy", pain_after_rt))
    return found


# --- Expected survival and the choice of operation ---------------------------------------------------------

SURVIVAL_TOOL = Fact(
    "Estimate survival with a validated tool (e.g. PATHFx, SORG, Tokuhashi, Katagiri) before choosing an operation.",
    AAOS_MBD,
)
SPINE_SURGERY_MIN_SURVIVAL_MONTHS = 3.0  # Patchell 2005 eligibility: expected survival >= 3 months
LIMB_DURABLE_RECONSTRUCTION_ABOVE_MONTHS = 6.0  # AAOS consensus: > 6 months -> durable reconstruction
LIMB_FIXATION_UNLIKELY_AT_MONTHS = 1.0  # AAOS consensus: about 1 month -> usually not for prophylactic fixation
_AAOS_CAVEAT = "AAOS consensus statements; guideline year (2019 or 2023) not confirmed"


@dataclass(frozen=True)
class ConstructAdvice:
    summary: str
    statement: Fact


def limb_construct_for_survival(expected_survival_months: float) -> ConstructAdvice:
    """Fixation or reconstruction by expected survival (AAOS consensus tiers).

    About 1 month or less: usually not a candidate for prophylactic fixation (RT or ablation;
    arthroplasty may still palliate e.g. a femoral neck fracture). 1-6 months: less invasive,
    less durable fixation (intramedullary nail). More than 6 months: durable reconstruction
    (endoprosthesis or arthroplasty). The often-quoted "at least 6 weeks" for limb surgery was
    not found in any source and is not used.
    """
    if expected_survival_months <= LIMB_FIXATION_UNLIKELY_AT_MONTHS:
        return ConstructAdvice(
            "usually not a candidate for prophylactic fixation: radiotherapy or ablation",
            Fact(
                "Expected survival of about 1 month: usually not a candidate for prophylactic fixation; use "
                "RT or ablation (arthroplasty may still palliate, e.g. a femoral neck fracture).",
                AAOS_MBD,
                verified=False,
                caveat=_AAOS_CAVEAT,
            ),
        )
    if expected_survival_months <= LIMB_DURABLE_RECONSTRUCTION_ABOVE_MONTHS:
        return ConstructAdvice(
            "less invasive fixation (intramedullary nail)",
            Fact(
                "Expected survival 1-6 months: less invasive, less durable fixation such as an intramedullary nail.",
                AAOS_MBD,
                verified=False,
                caveat=_AAOS_CAVEAT,
            ),
        )
    return ConstructAdvice(
        "durable reconstruction (endoprosthesis or arthroplasty)",
        Fact(
            "Expected survival over 6 months: durable reconstruction (endoprosthesis or arthroplasty).",
            AAOS_MBD,
            verified=False,
            caveat=_AAOS_CAVEAT,
        ),
    )


SPINE_SURGERY_SURVIVAL = Fact(
    "Decompressive spine surgery for cord compression was tested in patients expected to live at least 3 months.",
    PATCHELL_2005,
)
FIX_WHOLE_BONE = Fact(
    "Protect the whole bone (e.g. a long cephalomedullary nail for the femur): metastatic disease is often multifocal.",
    BOAST_2022,
    verified=False,
    caveat="principle from the BOA/BOOS guide and orthopaedic teaching summarised with BOAST 2022",
)
EMBOLISE_HYPERVASCULAR = Fact(
    "Embolise hypervascular metastases (renal cell, thyroid) before surgery, within 24-48 hours.",
    BOAST_2022,
    verified=False,
    caveat="from orthopaedic guides summarised with BOAST 2022; timing not in the BOAST text read",
)
HYPERVASCULAR_PRIMARIES: frozenset[Primary] = frozenset({Primary.kidney, Primary.thyroid})

# --- En bloc resection of a solitary metastasis -----------------------------------------------------------

# "Late": more than a year after the primary (Merck Manual, as summarised in the design). The
# evidence on the interval is mixed: in 101 operated RCC patients the time from diagnosis to
# treatment of metastasis did not influence survival (BMC 2010).
EN_BLOC_MIN_MONTHS_AFTER_PRIMARY = 12.0
EN_BLOC_FAVOURABLE_HISTOLOGIES: frozenset[Primary] = frozenset({Primary.kidney, Primary.thyroid})
EN_BLOC_POSSIBLE_HISTOLOGIES: frozenset[Primary] = frozenset({Primary.breast})

EN_BLOC_MERCK = Fact(
    "En bloc excision of a limited, late metastasis (more than a year after the primary) with the primary "
    "removed is occasionally curative.",
    MERCK_METASTATIC_BONE_TUMORS,
    verified=False,
    caveat="the > 1 year interval is not backed by outcome data: in operated renal cell carcinoma the "
    "interval did not predict survival (BMC Musculoskelet Disord 2010)",
)
EN_BLOC_RCC = Fact(
    "Renal cell carcinoma: patients with a solitary bone metastasis, or a few resectable ones, are "
    "candidates for wide resection; solitary metastasis and tumour-free margins predicted better survival.",
    RCC_SURGERY_2010,
)
EN_BLOC_RCC_CONSENSUS = Fact(
    "Renal cell carcinoma: a multimodal strategy including wide resection can be curative in selected patients.",
    GRUNWALD_2018,
)
EN_BLOC_THYROID = Fact(
    "Thyroid carcinoma: the same principle is applied (long survival, radioiodine-refractory lesions).",
    GRUNWALD_2018,
    verified=False,
    caveat="no thyroid-specific guideline was retrieved; this is an extrapolation from renal cell carcinoma",
)


@dataclass(frozen=True)
class EnBlocAssessment:
    candidate: bool | None  # None when a deciding fact is unknown
    met: tuple[str, ...]
    not_met: tuple[str, ...]
    unknown: tuple[str, ...]
    statements: tuple[Fact, ...]


def en_bloc_resection_assessment(
    *,
    primary: Primary | None,
    solitary_bone_lesion: bool | None,
    months_since_primary_diagnosis: float | None,
    primary_controlled: bool | None,
    visceral_metastases: VisceralMetastases | None,
    visceral_metastases_resectable: bool | None = None,
) -> EnBlocAssessment:
    """Refer for en bloc resection evaluation: solitary, late, primary controlled, no (or resectable)
    visceral disease, favourable histology (renal cell, thyroid; breast possibly).
    """
    met: list[str] = []
    not_met: list[str] = []
    unknown: list[str] = []

    def judge(name: str, value: bool | None) -> None:
        (unknown if value is None else met if value else not_met).append(name)

    judge("solitary bone metastasis on whole-body staging", solitary_bone_lesion)
    judge(
        "more than 12 months after the primary",
        None
        if months_since_primary_diagnosis is None
        else months_since_primary_diagnosis > EN_BLOC_MIN_MONTHS_AFTER_PRIMARY,
    )
    judge("primary removed or controlled", primary_controlled)
    judge(
        "no unresectable visceral metastases",
        _visceral_ok(visceral_metastases, visceral_metastases_resectable),
    )
    judge(
        "favourable histology (renal cell, thyroid; breast possibly)",
        None if primary is None else primary in EN_BLOC_FAVOURABLE_HISTOLOGIES | EN_BLOC_POSSIBLE_HISTOLOGIES,
    )
    candidate = False if not_met else (None if unknown else True)
    statements: list[Fact] = [EN_BLOC_MERCK]
    if primary is Primary.kidney:
        statements += [EN_BLOC_RCC, EN_BLOC_RCC_CONSENSUS]
    if primary is Primary.thyroid:
        statements.append(EN_BLOC_THYROID)
    return EnBlocAssessment(candidate, tuple(met), tuple(not_met), tuple(unknown), tuple(statements))


def _visceral_ok(visceral: VisceralMetastases | None, resectable: bool | None) -> bool | None:
    if visceral is None:
        return None
    if visceral is VisceralMetastases.none:
        return True
    if visceral is VisceralMetastases.nodular:
        return resectable
    return False


# --- BOAST 2022 (appendicular skeleton) ------------------------------------------------------------------

BOAST_2022_POINTS: tuple[Fact, ...] = (
    Fact(
        "Red flags: prodromal pain, night pain, a history of malignancy, a low-energy fracture in a "
        "non-osteoporotic patient.",
        BOAST_2022,
    ),
    Fact(
        "Investigations: FBC, U&E, LFT, calcium/bone profile, PSA in men, myeloma screen; orthogonal "
        "radiographs of the whole bone; staging CT thorax/abdomen/pelvis within 24 hours of orthopaedic "
        "assessment.",
        BOAST_2022,
    ),
    Fact(
        "Radiographic features of a primary bone tumour (bone destruction, new bone formation, periosteal "
        "reaction, soft-tissue swelling), or a CT that shows no primary: refer to a bone sarcoma centre "
        "within 72 hours; a suspected primary bone tumour is biopsied only at the sarcoma centre.",
        BOAST_2022,
    ),
    Fact(
        "Metastatic bone disease without an obvious primary: discuss with the acute oncology service.",
        BOAST_2022,
    ),
)

# --- Vertebral augmentation (vertebroplasty, balloon kyphoplasty) ------------------------------------------

VERTEBRAL_AUGMENTATION_INDICATION = Fact(
    "Painful pathological vertebral compression fracture (metastasis or myeloma) that is refractory to "
    "analgesia or limits function, with mechanical pain.",
    VERTEBRAL_AUGMENTATION_REVIEW,
)
CAFE_RESULT = Fact(
    "CAFE (134 patients, 1-3 painful fractures): balloon kyphoplasty improved the Roland-Morris disability "
    "score at 1 month from 17.6 to 9.1, vs 18.2 to 18.0 with non-surgical care.",
    CAFE_2011,
)
AUGMENTATION_DOES_NOT_TREAT_TUMOUR = Fact(
    "Augmentation treats fracture pain and stability, not the tumour: combine with radiotherapy or SBRT.",
    VERTEBRAL_AUGMENTATION_REVIEW,
)
# Absolute contraindications.
ACTIVE_INFECTION = Fact("Active infection (osteomyelitis, discitis, sepsis).", VERTEBRAL_AUGMENTATION_REVIEW)
UNCORRECTABLE_COAGULOPATHY = Fact("Uncorrectable coagulopathy.", VERTEBRAL_AUGMENTATION_REVIEW)
CEMENT_ALLERGY = Fact("Allergy to bone cement (PMMA).", VERTEBRAL_AUGMENTATION_REVIEW)
ASYMPTOMATIC_FRACTURE = Fact("The fracture is not painful.", VERTEBRAL_AUGMENTATION_REVIEW)
# Relative contraindications.
EPIDURAL_EXTENSION = Fact(
    "Epidural tumour extension or cord compression: needs decompression or radiotherapy, not augmentation "
    "(cement may push tumour into the canal).",
    VERTEBRAL_AUGMENTATION_REVIEW,
)
POSTERIOR_WALL_RETROPULSION = Fact(
    "Posterior vertebral wall defect or retropulsion: risk of cement leaking into the canal.",
    VERTEBRAL_AUGMENTATION_REVIEW,
)
VERTEBRA_PLANA = Fact("Severe collapse (vertebra plana).", VERTEBRAL_AUGMENTATION_REVIEW)

# Any epidural disease (Bilsky 1a and above) counts as epidural extension.
_EPIDURAL_GRADES: frozenset[EsccGrade] = frozenset(
    {EsccGrade.g1a, EsccGrade.g1b, EsccGrade.g1c, EsccGrade.g2, EsccGrade.g3}
)


@dataclass(frozen=True)
class AugmentationContraindications:
    absolute: tuple[Fact, ...]
    relative: tuple[Fact, ...]

    @property
    def any(self) -> bool:
        return bool(self.absolute or self.relative)


def vertebral_augmentation_contraindications(
    *,
    escc_grade: EsccGrade | None = None,
    cord_compression: bool | None = None,
    retropulsion: bool | None = None,
    vertebra_plana: bool | None = None,
    painful: bool | None = None,
    active_infection: bool | None = None,
    uncorrectable_coagulopathy: bool | None = None,
    cement_allergy: bool | None = None,
) -> AugmentationContraindications:
    """The contraindications present (unknown inputs are not counted)."""
    absolute = [
        fact
        for present, fact in (
            (active_infection, ACTIVE_INFECTION),
            (uncorrectable_coagulopathy, UNCORRECTABLE_COAGULOPATHY),
            (cement_allergy, CEMENT_ALLERGY),
            (painful is False, ASYMPTOMATIC_FRACTURE),
        )
        if present
    ]
    epidural = bool(cord_compression) or (escc_grade in _EPIDURAL_GRADES)
    relative = [
        fact
        for present, fact in (
            (epidural, EPIDURAL_EXTENSION),
            (retropulsion, POSTERIOR_WALL_RETROPULSION),
            (vertebra_plana, VERTEBRA_PLANA),
        )
        if present
    ]
    return AugmentationContraindications(tuple(absolute), tuple(relative))
