"""UCUM conversions: each factor against the molar mass or definition it comes from."""

from __future__ import annotations

import pytest

from bonemet.fhir.units import CONVERSIONS, canonical_unit, convert


def test_creatinine_88_4_umol_per_l_is_1_mg_per_dl() -> None:
    # 1 mg/dL = 10 mg/L / 113.12 g/mol = 88.40 µmol/L
    assert convert("creatinine", 88.40, "umol/L", None) == pytest.approx(1.0, rel=1e-4)


def test_calcium_1_mmol_per_l_is_4_008_mg_per_dl() -> None:
    assert convert("calcium", 1.0, "mmol/L", None) == pytest.approx(4.0078)
    assert convert("calcium", 2.0, "meq/L", None) == pytest.approx(4.0078)


def test_bilirubin_17_1_umol_per_l_is_1_mg_per_dl() -> None:
    assert convert("bilirubin", 17.10, "umol/L", None) == pytest.approx(1.0, rel=1e-3)


def test_enzyme_microkatal_is_60_units() -> None:
    assert convert("enzyme_activity", 1.0, "ukat/L", None) == 60.0


def test_every_target_unit_converts_to_itself() -> None:
    for analyte, conversion in CONVERSIONS.items():
        assert convert(analyte, 7.0, conversion.target, None) == 7.0


@pytest.mark.parametrize(("text", "ucum"), [("µmol/L", "umol/L"), ("K/uL", "10*3/uL"), ("x10^9/L", "10*9/L")])
def test_common_display_units(text: str, ucum: str) -> None:
    assert canonical_unit(None, text) == ucum


def test_unknown_units_are_not_converted() -> None:
    assert convert("creatinine", 1.0, "mg/mL", None) is None
    assert convert("weight", 1.0, None, None) is None
