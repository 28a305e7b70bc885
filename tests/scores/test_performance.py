"""KPS <-> ECOG conversion (Prasad 2018 convention) and the flagged effective values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet.knowledge.citations import cite
from bonemet.model import Patient
from bonemet.scores.performance import (
    KpsRange,
    ecog_from_kps,
    effective_ecog,
    effective_kps,
    kps_from_ecog,
)

KPS_VALUES = st.sampled_from(range(10, 101, 10))


# --- the published table (Prasad 2018: 100 / 80-90 / 70 / 50-60 / 10-40) ------------------


@pytest.mark.parametrize(
    ("ecog", "low", "high"),
    [(0, 100, 100), (1, 80, 90), (2, 70, 70), (3, 50, 60), (4, 10, 40)],
)
def test_each_ecog_grade_maps_to_the_prasad_kps_band(ecog: int, low: int, high: int) -> None:
    assert kps_from_ecog(ecog) == KpsRange(low, high)


@pytest.mark.parametrize(
    ("kps", "ecog"),
    [(100, 0), (90, 1), (80, 1), (70, 2), (60, 3), (50, 3), (40, 4), (30, 4), (20, 4), (10, 4)],
)
def test_each_kps_maps_to_one_ecog_grade(kps: int, ecog: int) -> None:
    assert ecog_from_kps(kps) == ecog


@given(KPS_VALUES)
def test_a_kps_lies_in_the_band_of_the_ecog_it_converts_to(kps: int) -> None:
    band = kps_from_ecog(ecog_from_kps(kps))
    assert band.low <= kps <= band.high


@given(KPS_VALUES, KPS_VALUES)
def test_better_kps_never_converts_to_worse_ecog(a: int, b: int) -> None:
    better, worse = max(a, b), min(a, b)
    assert ecog_from_kps(better) <= ecog_from_kps(worse)


@pytest.mark.parametrize("ecog", [-1, 5])
def test_ecog_outside_0_to_4_is_refused(ecog: int) -> None:
    with pytest.raises(ValueError, match="ECOG"):
        kps_from_ecog(ecog)


@pytest.mark.parametrize("kps", [0, 5, 75, 110])
def test_kps_outside_10_to_100_or_off_the_10_step_is_refused(kps: int) -> None:
    with pytest.raises(ValueError, match="KPS"):
        ecog_from_kps(kps)


def test_kps_range_reads_as_a_value_or_a_range_and_refuses_reversal() -> None:
    assert str(KpsRange.exactly(70)) == "KPS 70"
    assert str(KpsRange(80, 90)) == "KPS 80-90"
    with pytest.raises(ValueError, match="reversed"):
        KpsRange(90, 80)


# --- effective values: measured as is, converted flagged -------------------------------------


def test_measured_ecog_is_used_as_is_without_a_conversion_flag() -> None:
    value, note = effective_ecog(Patient(ecog=2, kps=40))
    assert value == 2
    assert "converted" not in note


def test_ecog_from_kps_alone_is_flagged_with_the_convention() -> None:
    value, note = effective_ecog(Patient(kps=60))
    assert value == 3
    assert "converted from KPS 60" in note
    assert "Prasad 2018" in note


def test_kps_from_ecog_alone_is_a_flagged_range() -> None:
    value, note = effective_kps(Patient(ecog=1))
    assert value == KpsRange(80, 90)
    assert "converted from ECOG 1" in note
    assert "Prasad 2018" in note


def test_measured_kps_is_used_as_is_even_when_ecog_is_also_given() -> None:
    value, note = effective_kps(Patient(ecog=3, kps=70))
    assert value == KpsRange.exactly(70)
    assert note == "KPS 70"


def test_no_performance_status_is_unknown_not_zero() -> None:
    assert effective_ecog(Patient())[0] is None
    assert effective_kps(Patient())[0] is None


def test_the_conversion_source_is_registered() -> None:
    assert "5844 paired assessments" in cite("prasad2018_kps_ecog").reference
