"""Primary-site facts: patterns, frequencies, the unknown-primary series, acral tendency."""

from __future__ import annotations

import pytest

from bonemet.knowledge.citations import cite
from bonemet.knowledge.primaries import (
    ACRAL_HAND_SHARES,
    PRIMARY_FACTS,
    UNKNOWN_PRIMARY_SERIES,
    PatternTendency,
    acral_likelihood_ratio,
    bone_metastasis_frequency,
    pattern_likelihood,
    pooled_unknown_primary_counts,
    possible_in_sex,
    primary_facts,
    unknown_primary_share,
)
from bonemet.model.vocabulary import Pattern, Primary, Sex


def test_every_primary_of_the_vocabulary_has_facts() -> None:
    assert set(PRIMARY_FACTS) == set(Primary)


@pytest.mark.parametrize("primary", list(Primary), ids=lambda p: p.value)
def test_each_primary_pattern_is_stated_with_a_citation(primary: Primary) -> None:
    facts = primary_facts(primary)
    assert facts.primary is primary
    assert facts.pattern_statement.statement
    assert cite(facts.pattern_statement.citation_key) is facts.pattern_statement.citation


@pytest.mark.parametrize("primary", list(Primary), ids=lambda p: p.value)
def test_pattern_likelihoods_are_probabilities_that_sum_to_one(primary: Primary) -> None:
    values = [pattern_likelihood(primary, pattern) for pattern in Pattern]
    assert all(0 < v < 1 for v in values)
    assert sum(values) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("primary", "tendency", "commonest"),
    [
        (Primary.prostate, PatternTendency.blastic, Pattern.blastic),
        (Primary.lung, PatternTendency.lytic, Pattern.lytic),
        (Primary.breast, PatternTendency.lytic, Pattern.lytic),
        (Primary.kidney, PatternTendency.purely_lytic, Pattern.lytic),
        (Primary.thyroid, PatternTendency.purely_lytic, Pattern.lytic),
        (Primary.myeloma, PatternTendency.purely_lytic, Pattern.lytic),
        (Primary.carcinoid, PatternTendency.blastic, Pattern.blastic),
    ],
)
def test_usual_pattern_by_primary(primary: Primary, tendency: PatternTendency, commonest: Pattern) -> None:
    assert primary_facts(primary).pattern is tendency
    assert max(Pattern, key=lambda p: pattern_likelihood(primary, p)) is commonest


@pytest.mark.parametrize(("primary", "mixed"), [(Primary.breast, 0.10), (Primary.lung, 0.15), (Primary.prostate, 0.15)])
def test_published_mixed_shares_are_used_as_published(primary: Primary, mixed: float) -> None:
    likelihood = primary_facts(primary).pattern_likelihood
    assert likelihood.mixed == mixed
    assert likelihood.published is not None and "Radiopaedia" in likelihood.published


@pytest.mark.parametrize(
    ("primary", "low", "high"),
    [
        (Primary.myeloma, 95, 100),
        (Primary.breast, 65, 75),
        (Primary.prostate, 65, 75),
        (Primary.thyroid, 60, 60),
        (Primary.lung, 30, 40),
        (Primary.kidney, 20, 25),
        (Primary.melanoma, 14, 45),
    ],
)
def test_bone_metastasis_frequency_in_advanced_disease(primary: Primary, low: float, high: float) -> None:
    frequency = bone_metastasis_frequency(primary)
    assert frequency is not None
    assert (frequency.low, frequency.high) == (low, high)
    assert frequency.citation.key == "coleman2006"


def test_series_counts_match_the_papers() -> None:
    identified = {s.citation.key: s.identified for s in UNKNOWN_PRIMARY_SERIES}
    assert identified == {"simon1986": 20, "rougraff1993": 31, "jacobsen1997": 24}
    pooled = pooled_unknown_primary_counts()
    assert sum(pooled.values()) == 75
    assert pooled[Primary.lung] == 41 and pooled[Primary.kidney] == 11


def test_lung_then_kidney_lead_the_unknown_primary_shares() -> None:
    ranked = sorted(pooled_unknown_primary_counts(), key=unknown_primary_share, reverse=True)
    assert ranked[:2] == [Primary.lung, Primary.kidney]
    assert unknown_primary_share(Primary.melanoma) == 0


@pytest.mark.parametrize(
    ("primary", "sex", "possible"),
    [
        (Primary.prostate, Sex.female, False),
        (Primary.testis, Sex.female, False),
        (Primary.ovary, Sex.male, False),
        (Primary.uterus, Sex.male, False),
        (Primary.cervix, Sex.male, False),
        (Primary.breast, Sex.male, True),
        (Primary.prostate, Sex.male, True),
        (Primary.prostate, None, True),
    ],
)
def test_sex_specific_primaries(primary: Primary, sex: Sex | None, possible: bool) -> None:
    assert possible_in_sex(primary, sex) is possible


def test_acral_metastases_come_first_from_lung_then_kidney() -> None:
    assert acral_likelihood_ratio(Primary.lung) > acral_likelihood_ratio(Primary.kidney) > 1.0
    assert acral_likelihood_ratio(Primary.breast) == 1.0
    assert "lung 39.2%" in ACRAL_HAND_SHARES.statement and "kidney 10.8%" in ACRAL_HAND_SHARES.statement
