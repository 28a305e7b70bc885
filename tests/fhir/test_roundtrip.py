"""Case -> FHIR Bundle -> Case gives the same Case, and so the same assessment.

Runs over every bundled example and, when present, every examples/*.json at the repository
root; plus a hypothesis property over generated patients, labs and lesions.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet.examples import example_paths
from bonemet.fhir import from_case, to_case
from bonemet.model import Case, Labs, Lesion, Patient, parse_case
from bonemet.model.vocabulary import (
    SPINAL_BONES,
    Bone,
    EsccGrade,
    LimbPain,
    Pattern,
    Segment,
    Sex,
    Side,
    SpinalLevel,
)
from bonemet.pathway import assess

TODAY = dt.date(2026, 11, 25)
REPOSITORY_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _examples() -> list[Path]:
    found = {p.name: p for p in example_paths()}
    if REPOSITORY_EXAMPLES.is_dir():
        for path in sorted(REPOSITORY_EXAMPLES.glob("*.json")):
            if not path.name.endswith(".expected.json"):
                found.setdefault(path.name, path)
    return [found[name] for name in sorted(found)]


def round_trip(case: Case) -> Case:
    """Through JSON text, as it would travel between systems."""
    text = from_case(case).model_dump_json(exclude_none=True)
    imported = to_case(json.loads(text), read_reports=False)
    assert imported.unknown_codes == []
    return imported.case


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_example_round_trips_to_the_same_case_and_assessment(path: Path) -> None:
    case = parse_case(path.read_text())
    back = round_trip(case)
    assert back == case
    assert assess(back, today=TODAY) == assess(case, today=TODAY)


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_example_bundle_is_valid_r4(path: Path) -> None:
    bundle = from_case(parse_case(path.read_text()))
    again = Bundle.model_validate(json.loads(bundle.model_dump_json(exclude_none=True)))
    assert again.type == "collection"
    assert all(entry.fullUrl for entry in again.entry or [])


def test_empty_case_round_trips() -> None:
    assert round_trip(Case()) == Case()


def _lesion() -> st.SearchStrategy[Lesion]:
    def build(bone: Bone, draw: st.DrawFn) -> Lesion:
        spinal = bone in SPINAL_BONES
        return Lesion(
            bone=bone,
            side=draw(st.none() | st.sampled_from(Side)),
            pattern=draw(st.none() | st.sampled_from(Pattern)),
            size_cm=draw(st.none() | st.floats(min_value=0.1, max_value=50)),
            cortical_involvement=draw(st.none() | st.floats(min_value=0, max_value=1)),
            pathologic_fracture=draw(st.none() | st.booleans()),
            segment=None if spinal else draw(st.none() | st.sampled_from(Segment)),
            pain=None if spinal else draw(st.none() | st.sampled_from(LimbPain)),
            level=draw(st.none() | st.sampled_from(SpinalLevel)) if spinal else None,
            escc_grade=draw(st.none() | st.sampled_from(EsccGrade)) if spinal else None,
        )

    @st.composite
    def lesions(draw: st.DrawFn) -> Lesion:
        return build(draw(st.sampled_from(Bone)), draw)

    return lesions()


def _maybe(low: float, high: float) -> st.SearchStrategy[float | None]:
    return st.none() | st.floats(min_value=low, max_value=high, exclude_min=low == 0)


@settings(max_examples=60, deadline=None)
@given(
    patient=st.builds(
        Patient,
        age_years=_maybe(0, 120),
        sex=st.none() | st.sampled_from(Sex),
        weight_kg=_maybe(20, 350),
        ecog=st.none() | st.integers(0, 4),
    ),
    labs=st.builds(
        Labs,
        creatinine_mg_dl=st.none() | st.floats(min_value=0.01, max_value=30),
        calcium_mg_dl=st.none() | st.floats(min_value=0.01, max_value=30),
        albumin_g_dl=st.none() | st.floats(min_value=0.01, max_value=10),
        psa_ng_ml=_maybe(0, 100_000),
        platelets_10e9_l=_maybe(0, 5000),
    ),
    lesions=st.lists(_lesion(), max_size=4),
)
def test_generated_cases_round_trip(patient: Patient, labs: Labs, lesions: list[Lesion]) -> None:
    case = Case(patient=patient, labs=labs, lesions=lesions)
    assert round_trip(case) == case
