"""Palliative radiotherapy for bone metastases: schedules, single fraction, SBRT, after surgery.

ASTRO 2024 (Alcorn et al.) is the newest guideline and is followed where older sources
differ; the differences are named where they matter:
- SBRT: ASTRO 2017 limited SBRT to trials or registries; ASTRO 2024 conditionally
  recommends it over conventional RT for selected patients (good performance status, no
  planned surgery, no neurological symptoms or signs).
- Cord compression: ASTRO 2024 adds 16 Gy/2 to the schedules for patients not fit for
  decompression.
Which histologies are radioresistant is `knowledge.radiosensitivity`'s business, not
this module's; `sbrt_assessment` takes the answer as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bonemet.knowledge.guideline_sources import (
    ASTRO_2017,
    ASTRO_2024,
    ELHAWWARI_2012,
    ESMO_2020,
    MERCK_METASTATIC_BONE_TUMORS,
    NICE_NG234,
    RTOG_0631,
    SC24_2021,
    SCORAD_III,
    Fact,
)


@dataclass(frozen=True)
class Schedule:
    dose_per_fraction_gy: float
    fractions: int

    @property
    def total_gy(self) -> float:
        return self.dose_per_fraction_gy * self.fractions

    @cached_property  # schedules are constants; rules print them on every assessment
    def text(self) -> str:
        if self.fractions == 1:
            return f"{self.dose_per_fraction_gy:g} Gy x 1"
        return f"{self.total_gy:g} Gy in {self.fractions} fractions"


SINGLE_8_GY = Schedule(8, 1)
GY_16_IN_2 = Schedule(8, 2)
GY_20_IN_5 = Schedule(4, 5)
GY_24_IN_6 = Schedule(4, 6)
GY_30_IN_10 = Schedule(3, 10)
GY_20_IN_8 = Schedule(2.5, 8)
SBRT_24_GY_IN_2 = Schedule(12, 2)  # SC.24 trial arm

# ASTRO 2024: symptomatic bone metastases treated with conventional RT.
CONVENTIONAL_SCHEDULES: tuple[Schedule, ...] = (SINGLE_8_GY, GY_20_IN_5, GY_24_IN_6, GY_30_IN_10)
CONVENTIONAL_SCHEDULES_FACT = Fact(
    "Conventional palliative RT for symptomatic bone metastases: 8 Gy x 1, 20 Gy/5, 24 Gy/6 or 30 Gy/10 "
    "give equivalent pain relief.",
    ASTRO_2024,
)
# ASTRO 2024 (strong, high-quality evidence): cord or cauda equina compression, not eligible
# for initial surgical decompression.
MSCC_SCHEDULES: tuple[Schedule, ...] = (SINGLE_8_GY, GY_16_IN_2, GY_20_IN_5, GY_30_IN_10)
MSCC_SCHEDULES_FACT = Fact(
    "Cord or cauda equina compression treated with conventional RT (no initial decompression): 8 Gy x 1, "
    "16 Gy/2, 20 Gy/5 or 30 Gy/10 (strong recommendation, high-quality evidence).",
    ASTRO_2024,
)
SCORAD_FACT = Fact(
    "SCORAD III (686 patients, life expectancy > 8 weeks): ambulatory at 8 weeks 69.3% after 8 Gy x 1 vs "
    "72.7% after 20 Gy/5; non-inferiority was narrowly missed.",
    SCORAD_III,
)
REIRRADIATION_SPINE: tuple[Schedule, ...] = (SINGLE_8_GY, GY_20_IN_5, GY_24_IN_6, GY_20_IN_8)
REIRRADIATION_NON_SPINE: tuple[Schedule, ...] = (SINGLE_8_GY, GY_20_IN_5, GY_24_IN_6)
REIRRADIATION_FACT = Fact(
    "Re-irradiation with conventional RT: spine 8 Gy x 1, 20 Gy/5, 24 Gy/6 or 20 Gy/8; non-spine 8 Gy x 1, "
    "20 Gy/5 or 24 Gy/6.",
    ASTRO_2024,
)
REIRRADIATION_TIMING = Fact(
    "Consider re-irradiation when pain persists or recurs more than 1 month after the first course, for "
    "spine and non-spine sites.",
    ASTRO_2017,
)


def conventional_schedules(*, cord_compression: bool = False) -> tuple[Schedule, ...]:
    return MSCC_SCHEDULES if cord_compression else CONVENTIONAL_SCHEDULES


def reirradiation_schedules(*, spine: bool) -> tuple[Schedule, ...]:
    return REIRRADIATION_SPINE if spine else REIRRADIATION_NON_SPINE


# --- Single fraction ------------------------------------------------------------------------------------

SINGLE_FRACTION_UNCOMPLICATED = Fact(
    "A single 8 Gy fraction is recommended for painful uncomplicated bone metastases [I, A].", ESMO_2020
)
SINGLE_FRACTION_LIMITED_LIFE_EXPECTANCY = Fact(
    "Single fraction gives the same pain relief with one visit, which may make it the best choice when "
    "life expectancy is limited; retreatment is more frequent after a single fraction.",
    ASTRO_2017,
)
SINGLE_FRACTION_RETREATMENT = Fact(
    "Retreatment was about twice as common after 8 Gy x 1 as after multiple fractions.",
    ELHAWWARI_2012,
    verified=False,
    caveat="the often-quoted 20% vs 8% from the Chow meta-analyses could not be checked",
)
RT_FOR_QUALITY_OF_LIFE = Fact(
    "Symptomatic bone metastases with an anticipated life expectancy of >= 4 weeks: RT is conditionally "
    "recommended to improve quality of life.",
    ASTRO_2024,
)
RT_LIFE_EXPECTANCY_FOR_QOL_WEEKS = 4  # ASTRO 2024 recommendation 3 (conditional, low-quality evidence)
WHOLE_PERSON_ASSESSMENT = Fact(
    "The regimen is chosen after a whole-person assessment that includes prognosis.", ASTRO_2024
)
PAIN_FLARE_PROPHYLAXIS = Fact("Give prophylactic antiemetics and dexamethasone with palliative RT [II, B].", ESMO_2020)


def single_fraction_reasons(*, uncomplicated: bool | None, limited_life_expectancy: bool | None) -> tuple[Fact, ...]:
    """Why 8 Gy x 1 is preferred here (empty when neither reason applies or is known).

    "Uncomplicated" means no impending or actual pathological fracture, no cord or cauda
    equina compression and no soft-tissue mass (ESMO 2020 wording); the caller decides it.
    """
    reasons: list[Fact] = []
    if uncomplicated:
        reasons.append(SINGLE_FRACTION_UNCOMPLICATED)
    if limited_life_expectancy:
        reasons.append(SINGLE_FRACTION_LIMITED_LIFE_EXPECTANCY)
    if reasons:
        reasons.append(SINGLE_FRACTION_RETREATMENT)
    return tuple(reasons)


# --- Stereotactic body radiotherapy ---------------------------------------------------------------------

SBRT_ASTRO_2024 = Fact(
    "SBRT is conditionally recommended over conventional palliative RT for symptomatic bone metastases in "
    "selected patients with good performance status, no planned surgery and no neurological symptoms or "
    "signs.",
    ASTRO_2024,
)
SBRT_ASTRO_2017_SUPERSEDED = Fact(
    "ASTRO 2017 advised SBRT for spine lesions only within trials or registries; ASTRO 2024 supersedes this.",
    ASTRO_2017,
)
SC24_RESULT = Fact(
    "SC.24 (229 patients): SBRT 24 Gy/2 vs 20 Gy/5 gave complete pain response at 3 months in 35% vs 14%.",
    SC24_2021,
)
SC24_ELIGIBILITY = Fact(
    "SC.24 eligibility: ECOG 0-2, MRI-confirmed spinal metastasis involving <= 3 consecutive vertebral "
    "segments, SINS < 12, no neurologically symptomatic cord or cauda equina compression.",
    SC24_2021,
)
RTOG_0631_RESULT = Fact(
    "RTOG 0631 (339 patients, 1-3 vertebral metastases): single-fraction radiosurgery did not improve "
    "3-month pain response over 8 Gy x 1.",
    RTOG_0631,
)
SBRT_OLIGOMETASTATIC = Fact(
    "SBRT with ablative intent for oligometastatic disease is a separate indication that ASTRO 2024 does not "
    "address; decide it in the tumour board.",
    ASTRO_2024,
    verified=False,
    caveat="no explicit oligometastatic recommendation in the ASTRO 2024 text read",
)
SBRT_DOSE_NOTE = Fact(
    "SBRT regimens: SC.24 used 24 Gy in 2 fractions for the spine; ASTRO 2024's list of SBRT regimens was "
    "not retrieved.",
    SC24_2021,
)

SC24_ECOG_AT_MOST = 2
SC24_SINS_BELOW = 12
SC24_SEGMENTS_AT_MOST = 3


@dataclass(frozen=True)
class SbrtAssessment:
    """Whether SBRT fits, with the reasons for and against, and what is unknown."""

    suitable: bool | None  # None: a deciding fact is unknown
    reasons_for: tuple[Fact, ...]
    reasons_against: tuple[str, ...]
    unknown: tuple[str, ...]


def sbrt_assessment(
    *,
    ecog: int | None,
    neurologic_deficit: bool | None,
    surgery_planned: bool | None,
    spine: bool,
    sins: int | None = None,
    contiguous_segments: int | None = None,
    radioresistant: bool | None = None,
    reirradiation: bool = False,
) -> SbrtAssessment:
    """ASTRO 2024 selection (good PS, no surgery, no neurological deficit) plus SC.24 spine limits.

    "Good performance status" is read as ECOG 0-2, the SC.24 entry criterion; ASTRO 2024
    does not give a number. For the spine SINS < 12 and <= 3 contiguous segments (SC.24) are
    checked when given. A radioresistant histology and re-irradiation are reasons for SBRT,
    not requirements.
    """
    against: list[str] = []
    unknown: list[str] = []
    _check(ecog is None, ecog is not None and ecog > SC24_ECOG_AT_MOST, "ECOG", "ECOG above 2", unknown, against)
    _check(
        neurologic_deficit is None,
        bool(neurologic_deficit),
        "neurological status",
        "neurological symptoms or signs",
        unknown,
        against,
    )
    _check(surgery_planned is None, bool(surgery_planned), "planned surgery", "surgery planned", unknown, against)
    if spine:
        if sins is not None and sins >= SC24_SINS_BELOW:
            against.append(f"SINS {sins} (SC.24 required < 12)")
        if contiguous_segments is not None and contiguous_segments > SC24_SEGMENTS_AT_MOST:
            against.append(f"{contiguous_segments} contiguous segments (SC.24 allowed <= 3)")
    reasons: list[Fact] = [SBRT_ASTRO_2024]
    if spine:
        reasons += [SC24_RESULT, SC24_ELIGIBILITY]
    if radioresistant:
        reasons.append(
            Fact(
                "Radioresistant histology (SC.24 stratified gastrointestinal, sarcoma, melanoma and renal "
                "cell as radioresistant): conventional doses control these less durably.",
                SC24_2021,
            )
        )
    if reirradiation:
        reasons.append(REIRRADIATION_FACT)
    suitable = False if against else (None if unknown else True)
    return SbrtAssessment(suitable, tuple(reasons), tuple(against), tuple(unknown))


def _check(is_unknown: bool, fails: bool, name: str, reason: str, unknown: list[str], against: list[str]) -> None:
    if is_unknown:
        unknown.append(name)
    elif fails:
        against.append(reason)


# --- After surgery ------------------------------------------------------------------------------------

POSTOPERATIVE_RT = Fact(
    "After surgery for non-spine bone metastases, or for spine metastases without cord compression, "
    "postoperative RT is recommended (strong recommendation).",
    ASTRO_2024,
)
POSTOPERATIVE_RT_ESMO = Fact(
    "Postoperative RT should follow fixation of a long bone or spinal decompression/stabilisation [III, B].",
    ESMO_2020,
)
POSTOPERATIVE_RT_FIELD = Fact(
    "Treat the whole operated bone and the full length of the implant, because the metastatic disease can "
    "be seeded along it.",
    ASTRO_2024,
    verified=False,
    caveat="the whole-construct field is common practice quoted by orthopaedic guides; ASTRO 2024 recommends "
    "postoperative RT without a field definition in the text read",
)
MSCC_SURGERY_THEN_RT = Fact(
    "Cord or cauda equina compression: surgery with postoperative RT is conditionally recommended over RT "
    "alone; RT with dexamethasone is recommended over RT alone.",
    ASTRO_2024,
)
EBRT_NOT_REPLACED = Fact(
    "Surgery, radionuclides, bisphosphonates and kypho-/vertebroplasty do not remove the need for EBRT.",
    ASTRO_2017,
    verified=False,
    caveat="topic of the guideline; the exact wording of its conclusion was not retrieved",
)

# --- Healing after RT ---------------------------------------------------------------------------------

HEALING_BY_PATTERN = Fact(
    "After radiation, blastic lesions (prostate, breast) heal more often than lytic ones (lung, kidney).",
    MERCK_METASTATIC_BONE_TUMORS,
    verified=False,
    caveat="paraphrase of the Merck Manual treatment section as summarised in the project design; "
    "qualitative, no healing rates",
)

# --- Spine without compression (NICE) -----------------------------------------------------------------

ASYMPTOMATIC_SPINAL_METASTASES_RT = Fact(
    "Asymptomatic spinal metastases: consider RT only within a trial to prevent cord compression, as part of "
    "an oligometastatic strategy, or with radiological signs of impending cord compression.",
    NICE_NG234,
)
NON_MECHANICAL_SPINAL_PAIN_RT = Fact(
    "Spinal metastases with non-mechanical pain: offer 8 Gy in a single fraction.",
    NICE_NG234,
    verified=False,
    caveat="the rest of this recommendation was truncated in the text read",
)
