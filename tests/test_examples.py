"""Every bundled example is valid and gives the plan a clinician expects (NAME.expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bonemet.cli.core_commands import assess_with_reports
from bonemet.examples import example_paths
from bonemet.model import Assessment, parse_case

EXAMPLES = example_paths()


def _score_key(name: str, lesion_index: int | None) -> str:
    return name if lesion_index is None else f"{name}@{lesion_index}"


def _check(a: Assessment, e: dict[str, Any]) -> None:
    codes = {r.code.value for r in a.recommendations}
    declined = {n.code.value for n in a.not_recommended}
    assert a.suspicion.level.value == e["suspicion"]
    assert set(e["include"]) <= codes, sorted(codes)
    assert not set(e["exclude"]) & codes, sorted(codes)
    assert set(e.get("declined", [])) <= declined, sorted(declined)
    scores = {_score_key(s.name.value, s.lesion_index): s.total for s in a.scores}
    for key, total in e.get("scores", {}).items():
        assert scores.get(key) == pytest.approx(total, abs=0.05), (key, scores)
    by_code = {r.code.value: r for r in a.recommendations}
    for code, value in e.get("doses", {}).items():
        dose = by_code[code].dose
        assert dose is not None and dose.value == value
    for code, priority in e.get("priorities", {}).items():
        assert by_code[code].priority.value == priority
    for code, text in e.get("text_contains", {}).items():
        assert text in by_code[code].text
    if "first" in e:
        assert a.recommendations[0].code.value == e["first"]
    if e.get("likely_primaries"):
        assert a.likely_primaries
    if e.get("no_likely_primaries"):
        assert not a.likely_primaries
    if "top_primary" in e:
        assert a.likely_primaries[0].primary.value == e["top_primary"]
    if "prognosis_band_contains" in e:
        assert a.prognosis is not None and e["prognosis_band_contains"] in (a.prognosis.band or "")


def test_there_are_at_least_15_examples_each_with_expectations() -> None:
    assert len(EXAMPLES) >= 15
    for path in EXAMPLES:
        assert path.with_name(path.stem + ".expected.json").exists(), path.name


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_gives_the_expected_plan(path: Path) -> None:
    case = parse_case(path.read_bytes())
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    _check(assess_with_reports(case), expected)


def test_every_recommendation_code_is_exercised_by_some_example() -> None:
    from bonemet.model.vocabulary import Code

    seen: set[str] = set()
    for path in EXAMPLES:
        a = assess_with_reports(parse_case(path.read_bytes()))
        seen |= {r.code.value for r in a.recommendations} | {n.code.value for n in a.not_recommended}
    missing = {c.value for c in Code} - seen
    assert not missing, sorted(missing)
