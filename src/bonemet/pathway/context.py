"""Facts derived once from the case, shared by every rule.

The Context holds the case, the evaluation date, every score and the derived facts
(lesion count, creatinine clearance, corrected calcium, studies already done) so that
no rule recomputes them and all rules see the same numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from bonemet.knowledge import drugs, safety
from bonemet.knowledge import emergencies as emergency_facts
from bonemet.model import Case, Lesion, PriorRadiotherapy
from bonemet.model.vocabulary import (
    LONG_BONES,
    SPINAL_BONES,
    BoneBiopsy,
    CancerHistory,
    EsccGrade,
    Modality,
    Pattern,
    Primary,
    ScoreName,
)
from bonemet.scores import burden, katagiri, noms
from bonemet.scores.base import ScoreResult
from bonemet.scores.katagiri import KatagiriBand
from bonemet.scores.noms import NomsDecision

WHOLE_BODY_MODALITIES = frozenset({Modality.bone_scan, Modality.pet_ct, Modality.psma_pet})
HIGH_GRADE_ESCC = frozenset({EsccGrade.g2, EsccGrade.g3})

T = TypeVar("T")

# "Short" survival throughout the pathway: under 6 months, the horizon at which the high new-Katagiri
# band has 27% alive (Katagiri 2014); a clinician's estimate is read against the same horizon.
SHORT_SURVIVAL_MONTHS = 6.0


@dataclass(frozen=True)
class LifeExpectancy:
    """What is known of this patient's life expectancy, and where it comes from.

    `at_least_months` is a lower bound (or the clinician's estimate); `at_most_months` is only known
    from a clinician's estimate. Survival scores give bands, not individual predictions.
    """

    at_least_months: float | None
    at_most_months: float | None
    source: str

    @property
    def from_clinician(self) -> bool:
        return self.at_most_months is not None

    def below(self, months: float) -> bool | None:
        """True when known to be shorter than `months`; None when the sources cannot say."""
        if self.at_most_months is not None:
            return self.at_most_months < months
        if self.at_least_months is not None and self.at_least_months >= months:
            return False
        return None


def _course_covers(course: PriorRadiotherapy, lesion: Lesion) -> bool:
    if course.bone is not None:
        same_region = course.bone is lesion.bone or (course.bone in SPINAL_BONES and lesion.bone in SPINAL_BONES)
        if not same_region:
            return False
        if course.level is not None and lesion.level is not None and course.level is not lesion.level:
            return False
        return not (course.side is not None and lesion.side is not None and course.side is not lesion.side)
    return course.site is not None and _site_text_covers(course.site, lesion)


_SPINE_WORDS = ("spine", "spinal", "vertebra", "cervical", "thoracic", "lumbar", "sacr")


def _site_text_covers(site: str, lesion: Lesion) -> bool:
    """Free-text site against a lesion: the level ('T10', 'T9-T11'), else the bone's name and side."""
    text = site.lower()
    if lesion.level is not None:
        return _level_in_text(lesion.level.value, text)
    if lesion.bone in SPINAL_BONES:
        return any(word in text for word in _SPINE_WORDS)
    if lesion.bone.value not in text:
        return False
    if lesion.side is not None and lesion.side.value in ("left", "right"):
        other = "right" if lesion.side.value == "left" else "left"
        return other not in text or lesion.side.value in text
    return True


def _level_in_text(level: str, text: str) -> bool:
    """'T10' in 'T10', 'T9-T11', 'T9 to T11' or 'T9-11' (a range of one region)."""

    region, number = level[0].lower(), int(level[1:])
    if re.search(rf"\b{region}{number}\b", text):
        return True
    for match in re.finditer(rf"\b{region}(\d+)\s*(?:-|to|–)\s*{region}?(\d+)\b", text):
        low, high = int(match.group(1)), int(match.group(2))
        if low <= number <= high:
            return True
    return False


class cached_fact(Generic[T]):  # noqa: N801 - named like the property decorators it stands in for
    """A fact computed on first read and stored on the context, like functools.cached_property.

    Before Python 3.12, cached_property takes a lock on every first read; each assessment has
    its own context, read by one thread, so the lock only costs time on this hot path.
    """

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_fact[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_fact[T]:
        if instance is None:
            return self
        value = self._compute(instance)
        instance.__dict__[self._name] = value  # read from the instance from now on
        return value


@dataclass(frozen=True)
class Context:
    case: Case
    today: dt.date
    lesion_scores: dict[int, dict[ScoreName, ScoreResult]] = field(default_factory=dict)
    patient_scores: dict[ScoreName, ScoreResult] = field(default_factory=dict)
    _noms: dict[int, NomsDecision] = field(default_factory=dict, repr=False, compare=False)

    def noms(self, index: int) -> NomsDecision:
        """The NOMS decision for a spinal lesion, computed once (surgical fitness unknown)."""
        if index not in self._noms:
            self._noms[index] = noms.decision_for_lesion(
                self.case, index, fit_for_surgery=None, sins_score=self.lesion_score(index, ScoreName.sins)
            )
        return self._noms[index]

    # --- cancer history -------------------------------------------------------------
    @cached_fact
    def known_cancer(self) -> bool | None:
        """True for a known primary or proven metastatic carcinoma of unknown primary."""
        history = self.case.cancer.history
        if history is None:
            # A primary given without the history field still says the cancer is known.
            return True if self.case.cancer.primary is not None else None
        return history is not CancerHistory.none

    @cached_fact
    def primary_known(self) -> bool:
        return self.case.cancer.history is CancerHistory.known_primary or self.case.cancer.primary is not None

    @property
    def years_since_diagnosis(self) -> float | None:
        diagnosed = self.case.cancer.diagnosed_on
        if diagnosed is None:
            return None
        return (self.today - diagnosed).days / 365.25

    # --- skeletal lesions -----------------------------------------------------------
    @property
    def lesions(self) -> list[Lesion]:
        return list(self.case.lesions)

    @cached_fact
    def lesion_count(self) -> int | None:
        return burden.skeletal_metastasis_count(self.case)

    @cached_fact
    def multiple_lesions(self) -> bool | None:
        return burden.has_multiple_skeletal_metastases(self.case)

    @property
    def solitary_lesion(self) -> bool:
        return self.lesion_count == 1

    @property
    def any_lesion(self) -> bool:
        return bool(self.lesion_count)

    @cached_fact
    def possible_primary_bone_tumour(self) -> bool:
        """A solitary lesion without a cancer history may be a primary bone sarcoma (BOAST 2022)."""
        boast = self.case.cancer.history is CancerHistory.none and self.solitary_lesion
        return boast or self.possible_primary_bone_sarcoma

    @cached_fact
    def spinal_lesions(self) -> tuple[tuple[int, Lesion], ...]:
        return tuple((i, lesion) for i, lesion in enumerate(self.case.lesions) if lesion.is_spinal)

    @cached_fact
    def long_bone_lesions(self) -> tuple[tuple[int, Lesion], ...]:
        return tuple((i, lesion) for i, lesion in enumerate(self.case.lesions) if lesion.bone in LONG_BONES)

    @cached_fact
    def patterns(self) -> frozenset[Pattern]:
        return frozenset(lesion.pattern for lesion in self.case.lesions if lesion.pattern is not None)

    @property
    def any_lytic(self) -> bool:
        return bool(self.patterns & {Pattern.lytic, Pattern.mixed})

    @cached_fact
    def pathologic_fracture(self) -> bool:
        return any(lesion.pathologic_fracture for lesion in self.case.lesions)

    @cached_fact
    def high_grade_escc(self) -> tuple[tuple[int, Lesion], ...]:
        return tuple((i, les) for i, les in self.spinal_lesions if les.escc_grade in HIGH_GRADE_ESCC)

    # --- studies already done ---------------------------------------------------------
    @cached_fact
    def modalities_done(self) -> frozenset[Modality]:
        return frozenset(study.modality for study in self.case.imaging)

    def done(self, modality: Modality, region_words: tuple[str, ...] = ()) -> bool:
        """A study of this modality is in the case (and, when words are given, of that region)."""
        if not region_words:
            return modality in self.modalities_done
        for study in self.case.imaging:
            if study.modality is not modality:
                continue
            region = (study.region or "").lower()
            if any(word in region for word in region_words):
                return True
        return False

    @property
    def whole_body_staging_done(self) -> bool:
        """A whole-body study is in the case, or the whole-skeleton counts that only such a study gives."""
        return bool(self.modalities_done & WHOLE_BODY_MODALITIES) or self.skeletal_burden_given

    @property
    def skeletal_burden_given(self) -> bool:
        b = self.case.skeletal_burden
        return any(v is not None for v in (b.total_lesions, b.vertebral_bodies, b.extraspinal_lesions))

    # --- scores -------------------------------------------------------------------------
    def lesion_score(self, index: int, name: ScoreName) -> ScoreResult | None:
        return self.lesion_scores.get(index, {}).get(name)

    def patient_score(self, name: ScoreName) -> ScoreResult | None:
        return self.patient_scores.get(name)

    @property
    def crcl_ml_min(self) -> float | None:
        score = self.patient_score(ScoreName.crcl_cockcroft_gault)
        return score.total if score is not None else None

    # --- bone-modifying agents --------------------------------------------------------------
    @cached_fact
    def castration_resistant(self) -> bool | None:
        """Prostate cancer no longer hormone-dependent; None for other primaries or when unknown."""
        if self.case.cancer.primary is not Primary.prostate:
            return None
        if self.case.cancer.castration_resistant is not None:
            return self.case.cancer.castration_resistant
        dependent = self.case.cancer.hormone_dependent
        return None if dependent is None else not dependent

    @cached_fact
    def agent_choice(self) -> drugs.AgentChoice:
        """The agents the guidelines support for this patient, chosen once for every rule that asks.

        It depends on the creatinine clearance, so only rules (which run after scoring) read it.
        """
        if not self.patient_scores:  # CrCl is always scored: an empty dict means "not scored yet"
            raise RuntimeError("agent_choice was read before the scores were filled in")
        return drugs.preferred_agents(
            self.case.cancer.primary,
            self.crcl_ml_min,
            on_dialysis=bool(self.case.patient.dialysis),
            castration_resistant=self.castration_resistant,
        )

    # --- calcium ---------------------------------------------------------------------------
    @cached_fact
    def corrected_calcium_mg_dl(self) -> float | None:
        """Albumin-corrected calcium (Zometa label formula); the measured value when albumin is unknown."""
        labs = self.case.labs
        if labs.calcium_mg_dl is None:
            return None
        if labs.albumin_g_dl is None:
            return labs.calcium_mg_dl
        return emergency_facts.corrected_calcium_mg_dl(labs.calcium_mg_dl, labs.albumin_g_dl)

    @cached_fact
    def hypocalcaemia(self) -> safety.HypocalcaemiaGrade:
        corrected = self.corrected_calcium_mg_dl
        if corrected is None:
            return safety.HypocalcaemiaGrade.none
        return safety.hypocalcaemia_grade(corrected)

    @property
    def hypocalcaemic(self) -> bool:
        return self.hypocalcaemia is not safety.HypocalcaemiaGrade.none

    # --- age --------------------------------------------------------------------------------
    @cached_fact
    def age(self) -> safety.AgeGroup:
        return safety.AgeGroup(self.case.patient.age_years)

    @cached_fact
    def possible_primary_bone_sarcoma(self) -> bool:
        """No known cancer and a bone lesion under 18, or a single one under 40: a primary bone sarcoma is possible.

        ESMO bone sarcoma guideline: from 5 to 40 years a destructive bone lesion is often a primary
        bone sarcoma; after 40 usually metastasis or myeloma. Under 18, NICE NG12's children-and-young-
        people pathway applies whatever else is known, unless a cancer is already known.
        """
        if not self.any_lesion or self.known_cancer:
            return False
        if self.case.cancer.bone_biopsy in (BoneBiopsy.metastasis_confirmed, BoneBiopsy.other_diagnosis):
            return False
        # Multiple lesions in a young adult are not read as one sarcoma; under 18 always.
        return self.age.child or (self.age.sarcoma_age and not self.multiple_lesions)

    # --- earlier radiotherapy ------------------------------------------------------------------
    def prior_radiotherapy_for(self, lesion: Lesion) -> PriorRadiotherapy | str | None:
        """The earlier course that covered this lesion's site: a structured course, or the free-text site."""
        for course in self.case.treatment.prior_radiotherapy:
            if _course_covers(course, lesion):
                return course
        for site in self.case.treatment.irradiated_sites:
            if _site_text_covers(site, lesion):
                return site
        return None

    # --- life expectancy -------------------------------------------------------------------------
    @property
    def life_expectancy(self) -> LifeExpectancy | None:
        """The clinician's estimate when given, else what the new Katagiri band says (a lower bound or a warning)."""
        estimate = self.case.patient.life_expectancy_months
        if estimate is not None:
            return LifeExpectancy(estimate, estimate, f"the clinician's estimate of {estimate:g} months")
        band = self.katagiri_band
        if band is None:
            return None
        survival = katagiri.survival_by_band(band)
        lower = self.expected_survival_months
        text = (
            f"new Katagiri {band.value} band ({survival['6_months']:.0%} alive at 6 months, "
            f"{survival['12_months']:.0%} at 12 months)"
        )
        score = self.patient_score(ScoreName.katagiri_new)
        if score is not None and score.total is None and score.total_range is not None:
            low, high = score.total_range
            text += (
                f", from its range {low:g}-{high:g} with {', '.join(score.missing_items)} unknown: "
                "every total the missing items allow is in this band"
            )
        return LifeExpectancy(lower, None, text)

    # --- expected survival (new Katagiri score) -------------------------------------------
    @property
    def katagiri_band(self) -> KatagiriBand | None:
        """The Katagiri band: of the total, or of the best/worst-case range when every total it
        allows falls in one band (the missing items cannot change it)."""
        score = self.patient_score(ScoreName.katagiri_new)
        if score is None:
            return None
        bands = katagiri.possible_bands(score)
        return bands[0] if len(bands) == 1 else None

    @property
    def expected_survival_months(self) -> float | None:
        """A lower bound on median survival: the longest Katagiri horizon still survived by half.

        Low band: 78% alive at 24 months, so the median exceeds 24 months; intermediate: 74% at
        6 months but 49% at 12, so it exceeds 6; high band: 27% at 6 months — no lower bound.
        """
        band = self.katagiri_band
        if band is None:
            return None
        survival = katagiri.survival_by_band(band)
        horizons = [(24.0, "24_months"), (12.0, "12_months"), (6.0, "6_months")]
        return next((months for months, key in horizons if survival[key] >= 0.5), None)

    @property
    def short_expected_survival(self) -> bool | None:
        """Under 6 months: the clinician's estimate when given, else the high Katagiri band (27% alive at 6 months)."""
        estimate = self.case.patient.life_expectancy_months
        if estimate is not None:
            return estimate < SHORT_SURVIVAL_MONTHS
        band = self.katagiri_band
        return None if band is None else band is KatagiriBand.high
