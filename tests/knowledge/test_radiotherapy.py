"""Palliative radiotherapy: schedules, single fraction, SBRT selection."""

from __future__ import annotations

import pytest

from bonemet.knowledge.radiotherapy import (
    CONVENTIONAL_SCHEDULES,
    GY_16_IN_2,
    GY_20_IN_8,
    HEALING_BY_PATTERN,
    POSTOPERATIVE_RT,
    SBRT_24_GY_IN_2,
    conventional_schedules,
    reirradiation_schedules,
    sbrt_assessment,
    single_fraction_reasons,
)


def test_the_four_conventional_schedules() -> None:
    assert [s.text for s in CONVENTIONAL_SCHEDULES] == [
        "8 Gy x 1",
        "20 Gy in 5 fractions",
        "24 Gy in 6 fractions",
        "30 Gy in 10 fractions",
    ]


def test_cord_compression_adds_16_gy_in_2_fractions() -> None:
    assert GY_16_IN_2 in conventional_schedules(cord_compression=True)
    assert GY_16_IN_2 not in conventional_schedules()
    assert GY_16_IN_2.total_gy == 16


def test_reirradiation_schedules_differ_for_spine() -> None:
    assert GY_20_IN_8 in reirradiation_schedules(spine=True)
    assert GY_20_IN_8 not in reirradiation_schedules(spine=False)


def test_single_fraction_for_uncomplicated_or_limited_life_expectancy() -> None:
    assert single_fraction_reasons(uncomplicated=None, limited_life_expectancy=None) == ()
    uncomplicated = single_fraction_reasons(uncomplicated=True, limited_life_expectancy=False)
    assert uncomplicated[0].citation_key == "esmo2020_bone_health"
    short_life = single_fraction_reasons(uncomplicated=False, limited_life_expectancy=True)
    assert short_life[0].citation_key == "astro2017_bone_rt"
    assert any("Retreatment" in f.statement for f in short_life)


def test_sbrt_suitable_for_good_performance_status_without_surgery_or_deficit() -> None:
    result = sbrt_assessment(
        ecog=1, neurologic_deficit=False, surgery_planned=False, spine=True, sins=8, contiguous_segments=2
    )
    assert result.suitable is True
    assert {f.citation_key for f in result.reasons_for} >= {"astro2024_bone_rt", "sahgal2021_sc24"}
    assert SBRT_24_GY_IN_2.text == "24 Gy in 2 fractions"


@pytest.mark.parametrize(
    ("kwargs", "against"),
    [
        ({"ecog": 3}, "ECOG above 2"),
        ({"neurologic_deficit": True}, "neurological symptoms or signs"),
        ({"surgery_planned": True}, "surgery planned"),
        ({"sins": 12}, "SINS 12 (SC.24 required < 12)"),
        ({"contiguous_segments": 4}, "4 contiguous segments (SC.24 allowed <= 3)"),
    ],
)
def test_sbrt_not_suitable(kwargs: dict[str, object], against: str) -> None:
    base: dict[str, object] = {
        "ecog": 1,
        "neurologic_deficit": False,
        "surgery_planned": False,
        "spine": True,
    }
    result = sbrt_assessment(**{**base, **kwargs})  # type: ignore[arg-type]
    assert result.suitable is False
    assert against in result.reasons_against


def test_sbrt_undecided_when_performance_status_unknown() -> None:
    result = sbrt_assessment(ecog=None, neurologic_deficit=False, surgery_planned=False, spine=False)
    assert result.suitable is None and result.unknown == ("ECOG",)


def test_spine_limits_do_not_apply_outside_the_spine() -> None:
    result = sbrt_assessment(ecog=0, neurologic_deficit=False, surgery_planned=False, spine=False, sins=15)
    assert result.suitable is True


def test_radioresistant_histology_is_a_reason_for_sbrt() -> None:
    result = sbrt_assessment(ecog=0, neurologic_deficit=False, surgery_planned=False, spine=False, radioresistant=True)
    assert any("Radioresistant" in f.statement for f in result.reasons_for)


def test_postoperative_rt_and_healing_by_pattern() -> None:
    assert POSTOPERATIVE_RT.citation_key == "astro2024_bone_rt"
    assert "blastic" in HEALING_BY_PATTERN.statement and "lytic" in HEALING_BY_PATTERN.statement
