"""Facts derived once from the case, shared by every rule.

The Context holds the case, the evaluation date, every score and the derived facts
(lesion count, creatinine clearance, corrected calcium, studies already done) so that
no rule recomputes them and all rules see the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from bonemet.knowledge import drugs
from bonemet.model import Case, Lesion
from bonemet.model.vocabulary import (
    LONG_BONES,
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
            return None
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
        return self.case.cancer.history is CancerHistory.none and self.solitary_lesion

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
        return bool(self.modalities_done & WHOLE_BODY_MODALITIES)

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
            self.case.cancer.primary, self.crcl_ml_min, castration_resistant=self.castration_resistant
        )

    # --- expected survival (new Katagiri score) -------------------------------------------
    @property
    def katagiri_band(self) -> KatagiriBand | None:
        score = self.patient_score(ScoreName.katagiri_new)
        if score is None or score.total is None:
            return None
        return katagiri.band_of(score.total)

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
        """High Katagiri band: median survival under 6 months (27% alive at 6 months)."""
        band = self.katagiri_band
        return None if band is None else band is KatagiriBand.high
