"""Which primary is likely, when bone lesions appear without a known primary: a small naive-Bayes model.

posterior(primary) is proportional to prior x P(pattern | primary) x acral weight.

- Prior: the share of each primary among the primaries identified in three series of bone
  metastases of unknown origin (Simon & Bartucci 1986, Rougraff 1993, Jacobsen 1997; 75
  primaries pooled), restricted by sex: prostate and testis are impossible in women, ovary,
  uterus and cervix in men, and breast is scaled by 1/100 in men (about 1 in 100 breast
  cancers occurs in a man). Only primaries found in those series can appear; myeloma is left
  to the myeloma screen of the work-up (no series count).
- Pattern: one overall pattern per patient - the common pattern when every described lesion
  shares it, "mixed" when lesions disagree or any is mixed (Radiopaedia: mixed metastases are
  both components in one deposit, or both kinds from one primary). The likelihoods are the
  project's estimates from qualitative sources; only the mixed shares of breast, lung and
  prostate are published.
- Acral site: any lesion in the hand or foot, or in the distal segment of the radius, ulna,
  tibia or fibula. The literature defines acral as distal to the elbow or knee; the narrower
  rule (below the mid forearm or mid calf, the Merck Manual wording) is used because the
  shares behind it come from hand and wrist series. Lung x2.0, kidney x1.5, others x1.0:
  estimates, the sources give only the order.
- Lesion count is not weighed: no source found gives solitary-vs-multiple rates by primary.

Deterministic: ties are broken by the primary's name.
"""

from __future__ import annotations

from functools import cache

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import MERCK_METASTATIC_BONE_TUMORS, Fact
from bonemet.knowledge.primaries import (
    ACRAL_HAND_SHARES,
    MALE_BREAST_CANCER_FRACTION,
    MALE_BREAST_FACT,
    UNKNOWN_PRIMARY_SERIES,
    AcralTendency,
    acral_likelihood_ratio,
    pattern_likelihood,
    pooled_unknown_primary_counts,
    possible_in_sex,
    primary_facts,
)
from bonemet.model import Case, Lesion, LikelyPrimary, PossibleDiagnosis
from bonemet.model.vocabulary import Bone, CancerHistory, Pattern, Primary, Segment, Sex

MIN_PROBABILITY = 0.02  # entries below 2% are not shown
MAX_ENTRIES = 6
DISPLAY_DECIMALS = 3

ACRAL_WHOLE_BONES: frozenset[Bone] = frozenset({Bone.hand, Bone.foot})
ACRAL_DISTAL_SEGMENT_BONES: frozenset[Bone] = frozenset({Bone.radius, Bone.ulna, Bone.tibia, Bone.fibula})


def is_acral(lesion: Lesion) -> bool:
    """Hand or foot, or the distal segment of a forearm or leg bone (see the module docstring)."""
    if lesion.bone in ACRAL_WHOLE_BONES:
        return True
    return lesion.bone in ACRAL_DISTAL_SEGMENT_BONES and lesion.segment is Segment.distal


def overall_pattern(lesions: list[Lesion]) -> Pattern | None:
    """The patient's pattern: shared by all described lesions, else mixed; None when none is described."""
    patterns = {lesion.pattern for lesion in lesions if lesion.pattern is not None}
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns.pop()
    return Pattern.mixed


def _label(citation: Citation) -> str:
    return citation.label


# P(sex | primary) for a primary found in both sexes. The series pool men and women without giving
# the sex of each primary, so the neutral value 0.5 is assumed; a sex-specific primary has 1 (or 0).
# Without this, conditioning on sex only removes the impossible primaries and leaves breast in a
# woman at its mixed-sex share, about half what it is among women.
BOTH_SEXES_LIKELIHOOD = 0.5


def _sex_weight(primary: Primary, sex: Sex | None) -> float:
    """P(sex | primary): the likelihood that turns the mixed-sex series into one for this sex."""
    if sex is None:
        return 1.0
    if not possible_in_sex(primary, sex):
        return 0.0
    if primary is Primary.breast:
        return MALE_BREAST_CANCER_FRACTION if sex is Sex.male else 1.0 - MALE_BREAST_CANCER_FRACTION
    if primary_facts(primary).sex is not None:
        return 1.0
    return BOTH_SEXES_LIKELIHOOD


@cache  # one entry per sex: the pooled series are constants
def _prior_weights(sex: Sex | None) -> tuple[tuple[Primary, float], ...]:
    pooled = pooled_unknown_primary_counts()
    return tuple((p, n * _sex_weight(p, sex)) for p, n in pooled.items() if _sex_weight(p, sex) > 0)


def _pattern_weight(primary: Primary, pattern: Pattern | None) -> float:
    return 1.0 if pattern is None else pattern_likelihood(primary, pattern)


def _acral_weight(primary: Primary, acral: bool) -> float:
    return acral_likelihood_ratio(primary) if acral else 1.0


def _evidence(case: Case) -> tuple[Sex | None, Pattern | None, bool]:
    """All the model reads from a case: sex, overall pattern, any acral lesion."""
    return case.patient.sex, overall_pattern(list(case.lesions)), any(is_acral(lesion) for lesion in case.lesions)


def posterior(case: Case) -> dict[Primary, float]:
    """The full normalised posterior over the primaries the model knows (sums to 1)."""
    return dict(_posterior(*_evidence(case)))


@cache  # a few dozen combinations of the evidence, each computed once
def _posterior(sex: Sex | None, pattern: Pattern | None, acral: bool) -> tuple[tuple[Primary, float], ...]:
    weights = {
        primary: prior * _pattern_weight(primary, pattern) * _acral_weight(primary, acral)
        for primary, prior in _prior_weights(sex)
    }
    total = sum(weights.values())
    return tuple((primary, weight / total) for primary, weight in weights.items())


# The explanations below depend on a primary and a sex, pattern or nothing else, so each is
# written once per combination rather than once per case.


@cache
def _series_text() -> str:
    return "; ".join(_label(s.citation) for s in UNKNOWN_PRIMARY_SERIES)


@cache
def _prior_why(primary: Primary, sex: Sex | None) -> tuple[str, ...]:
    pooled = pooled_unknown_primary_counts()
    total = sum(pooled.values())
    lines = [
        f"Starting point: {primary.value} was {pooled[primary]} of {total} primaries identified in series of "
        f"bone metastases of unknown origin ({_series_text()}); later series found fewer lung primaries."
    ]
    if primary is Primary.breast and sex is Sex.male:
        lines.append(f"Male: {MALE_BREAST_FACT.statement} ({_label(MALE_BREAST_FACT.citation)})")
    elif sex is not None and (primary is Primary.breast or primary_facts(primary).sex is not None):
        lines.append(
            f"{sex.value.capitalize()}: the series pool both sexes, so a cancer of one sex counts double against "
            "cancers of both (assumed equal numbers of men and women, as the series do not give sex by primary)."
        )
    return tuple(lines)


@cache
def _pattern_why(primary: Primary, pattern: Pattern) -> str:
    facts = primary_facts(primary)
    likelihood = facts.pattern_likelihood
    published = f"; published: {likelihood.published}" if likelihood.published else ""
    source = _label(facts.pattern_statement.citation)
    return (
        f"Pattern {pattern.value}: {facts.pattern_statement.statement.rstrip('.')} ({source}). "
        f"Weight {likelihood.of(pattern):.2f} is an estimate from qualitative sources{published}."
    )


@cache
def _acral_why(primary: Primary) -> str:
    tendency = primary_facts(primary).acral
    role = {
        AcralTendency.commonest: "the commonest source of acral metastases",
        AcralTendency.second: "the second commonest source of acral metastases",
        AcralTendency.ordinary: "not a leading source of acral metastases",
    }[tendency]
    return (
        f"Acral lesion (hand, foot, or distal forearm/leg): {primary.value} is {role} "
        f"({_label(MERCK_METASTATIC_BONE_TUMORS)}; {ACRAL_HAND_SHARES.statement} "
        f"{_label(ACRAL_HAND_SHARES.citation)}). Weight x{acral_likelihood_ratio(primary):g} is an estimate."
    )


LESION_COUNT_NOT_WEIGHED = Fact(
    "Lesion count (solitary or multiple) is not weighed: no source gives its frequency by primary.",
    MERCK_METASTATIC_BONE_TUMORS,
)


def _lesion_count_known(case: Case) -> bool:
    return bool(case.lesions) or case.skeletal_burden.total_lesions is not None


def _why(primary: Primary, sex: Sex | None, pattern: Pattern | None, acral: bool, count_known: bool) -> list[str]:
    lines = list(_prior_why(primary, sex))
    if pattern is not None:
        lines.append(_pattern_why(primary, pattern))
    if acral:
        lines.append(_acral_why(primary))
    if count_known:
        lines.append(LESION_COUNT_NOT_WEIGHED.statement)
    return lines


_HAEMATOLOGICAL_WHY: dict[Primary, str] = {
    Primary.myeloma: (
        "Myeloma: lytic bone lesions without a known cancer; the unknown-primary series above do not count it "
        "(it is found by the myeloma screen), so no probability is given: the serum and urine protein "
        "electrophoresis, immunofixation and free light chains in the work-up decide."
    ),
    Primary.lymphoma: (
        "Lymphoma: can cause lytic bone lesions; treatable, so it is excluded on the biopsy "
        "(CD45 and the lymphoma panel) before any steroid where possible."
    ),
}


def also_possible(case: Case) -> list[PossibleDiagnosis]:
    """Haematological causes of lytic lesions to exclude, which the series' probabilities leave out or understate."""
    if primary_is_known(case):
        return []
    pattern = overall_pattern(list(case.lesions))
    if pattern is Pattern.blastic:
        return []
    shown = {primary for primary, _ in _shown(*_evidence(case))}
    return [
        PossibleDiagnosis(primary=primary, why=why)
        for primary, why in _HAEMATOLOGICAL_WHY.items()
        if primary not in shown
    ]


def primary_is_known(case: Case) -> bool:
    return case.cancer.primary is not None or case.cancer.history is CancerHistory.known_primary


def likely_primaries(case: Case) -> list[LikelyPrimary]:
    """The most likely primaries, best first: at most 6, each >= 2%; [] when the primary is known.

    Probabilities are the full posterior's (not renormalised over the entries shown), rounded
    to 3 decimals.
    """
    if primary_is_known(case):
        return []
    sex, pattern, acral = _evidence(case)
    count_known = _lesion_count_known(case)
    return [
        LikelyPrimary(
            primary=primary,
            probability=round(prob, DISPLAY_DECIMALS),
            why=_why(primary, sex, pattern, acral, count_known),
        )
        for primary, prob in _shown(sex, pattern, acral)
    ]


@cache
def _shown(sex: Sex | None, pattern: Pattern | None, acral: bool) -> tuple[tuple[Primary, float], ...]:
    ranked = sorted(_posterior(sex, pattern, acral), key=lambda item: (-item[1], item[0].value))
    return tuple((p, prob) for p, prob in ranked if prob >= MIN_PROBABILITY)[:MAX_ENTRIES]
