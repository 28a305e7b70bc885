"""Hypothesis on the three readers of outside input: `parse_case` + `assess`, the FHIR reader
`to_case`, and the report reader `read_report`, with generated and mutated inputs (deep nesting,
huge strings, unicode, NaN/Infinity, wrong types, missing resources, circular references).

Zero unhandled exceptions: a case is either refused with a CaseError whose every line names a
field path, or assessed; any JSON value is read by `to_case` (tolerant by design: what it cannot
use becomes a warning); any text is read by `read_report`, and every evidence span indexes it.
"""

from __future__ import annotations

import copy
import json
import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet.examples import example_paths
from bonemet.fhir import FhirImport, case_resources, to_case
from bonemet.model import Case, CaseError, parse_case
from bonemet.nlp import read_report
from bonemet.pathway import assess

EXAMPLES = int(os.environ.get("BONEMET_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES * 4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

EXAMPLE_CASES: list[dict[str, Any]] = [json.loads(p.read_text()) for p in example_paths()]


def deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE_VALUES = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 0, -1, 2**63, -(2**63), True, False, None]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "\u202e", "\x00", "\ud800", "🦴" * 50, "<script>alert(1)</script>", "x" * 20_000]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.builds(deep_list, st.just(300)),  # built afresh: a mutation may append to it
)


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and index path in a JSON value (the value itself included as ())."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_in(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, originals: list[Any]) -> Any:
    """An original with one to three parts replaced, deleted, or given an unknown sibling."""
    data = copy.deepcopy(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths_in(data)))
        if not path:
            data = draw(HOSTILE_VALUES)
            break
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "sibling"]))
        if action == "replace":
            parent[path[-1]] = draw(HOSTILE_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(HOSTILE_VALUES)
        else:
            parent.append(draw(HOSTILE_VALUES))
    return data


# --- assess -------------------------------------------------------------------------------------------


@given(data=mutated(EXAMPLE_CASES))
@FUZZ
def test_a_mutated_case_is_assessed_or_refused_naming_each_field(data: Any) -> None:
    try:
        case = parse_case(data) if isinstance(data, dict) else parse_case(json.dumps(data))
    except CaseError as refused:
        assert refused.problems
        assert all(": " in problem for problem in refused.problems), refused.problems
        return
    assessment = assess(case)
    assert assessment.model_dump_json()  # the output can be sent


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"patient": ' * 50_000 + "{}" + "}" * 50_000,
        '{"patient": {"age_years": NaN}}',
        '{"patient": {"weight_kg": Infinity}}',
        '{"id": "\\ud800"}',
        "\xff\xfe",
        "",
        "null",
    ],
)
def test_hostile_case_text_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(CaseError) as refused:
        parse_case(text.encode("utf-8", "surrogatepass"))
    assert refused.value.problems and all(": " in p for p in refused.value.problems)


# --- the FHIR reader -----------------------------------------------------------------------------------


def bundle_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


EXAMPLE_BUNDLES = [bundle_of(case_resources(Case.model_validate(case), "p1")) for case in EXAMPLE_CASES]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)
RESOURCE_TYPES = ["Patient", "Observation", "Condition", "MedicationRequest", "Procedure", "ImagingStudy",
                  "DiagnosticReport", "Bundle", "MedicationStatement", "Unknown", ""]  # fmt: skip


@st.composite
def resource_like(draw: st.DrawFn) -> dict[str, Any]:
    """A dict with a resourceType and random fields: wrong types, missing parts, odd values."""
    fields = draw(st.dictionaries(st.sampled_from(FHIR_FIELDS), JSON_VALUES | HOSTILE_VALUES, max_size=6))
    return {"resourceType": draw(st.sampled_from(RESOURCE_TYPES)), **fields}


FHIR_FIELDS = ["id", "status", "code", "valueQuantity", "subject", "category", "effectiveDateTime", "birthDate",
               "gender", "bodySite", "presentedForm", "conclusion", "imagingStudy", "medicationCodeableConcept",
               "entry", "component", "hasMember", "derivedFrom", "contained", "extension", "meta"]  # fmt: skip


def assert_read(imported: FhirImport) -> None:
    assert isinstance(imported.case, Case)
    assert all(isinstance(w, str) and w for w in imported.warnings)
    assess(imported.case)


@given(data=mutated(EXAMPLE_BUNDLES))
@FUZZ
def test_the_fhir_reader_reads_any_mutated_bundle(data: Any) -> None:
    assert_read(to_case(data, read_reports=False))


@given(resources=st.lists(resource_like(), max_size=8))
@FUZZ
def test_the_fhir_reader_reads_any_resource_shaped_json(resources: list[dict[str, Any]]) -> None:
    assert_read(to_case(bundle_of(resources), read_reports=False))


@given(data=JSON_VALUES)
@FUZZ
def test_the_fhir_reader_reads_any_json_value(data: Any) -> None:
    assert_read(to_case(data, read_reports=False))


def test_circular_references_and_missing_targets_end() -> None:
    """Observations that are members of each other, a report pointing at a study that points back,
    resources contained in themselves, references to resources that are not there."""
    loop_a = {"resourceType": "Observation", "id": "a", "status": "final", "code": {"text": "x"},
              "hasMember": [{"reference": "Observation/b"}],
              "derivedFrom": [{"reference": "Observation/a"}]}  # fmt: skip
    loop_b = {"resourceType": "Observation", "id": "b", "status": "final", "code": {"text": "x"},
              "hasMember": [{"reference": "Observation/a"}]}  # fmt: skip
    study = {"resourceType": "ImagingStudy", "id": "s", "status": "available",
             "basedOn": [{"reference": "DiagnosticReport/r"}], "modality": [{"code": "MR"}]}  # fmt: skip
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final", "code": {"text": "MRI spine"},
              "imagingStudy": [{"reference": "ImagingStudy/s"}, {"reference": "ImagingStudy/missing"}],
              "result": [{"reference": "Observation/nowhere"}], "conclusion": "Lytic lesion at T7."}  # fmt: skip
    self_contained = {"resourceType": "Condition", "id": "c", "contained": [{"resourceType": "Condition", "id": "c"}],
                      "evidence": [{"detail": [{"reference": "#c"}]}]}  # fmt: skip
    same_full_url = [{"fullUrl": "urn:uuid:1", "resource": loop_a}, {"fullUrl": "urn:uuid:1", "resource": loop_b}]
    bundle = bundle_of([loop_a, loop_b, study, report, self_contained])
    bundle["entry"] += same_full_url
    bundle["entry"].append({"resource": bundle_of([loop_a])})  # a Bundle inside the Bundle
    imported = to_case(bundle)
    assert_read(imported)
    assert imported.case.imaging, "the report was still read"


def test_a_bundle_nested_to_the_interpreter_limit_is_read_without_recursion_errors() -> None:
    inner: dict[str, Any] = bundle_of([{"resourceType": "Patient", "id": "p", "gender": "female"}])
    for _ in range(200):
        inner = bundle_of([inner])
    assert_read(to_case(inner, read_reports=False))


# --- the report reader -----------------------------------------------------------------------------------------

REPORT_WORDS = ["lytic", "blastic", "lesion", "metastasis", "metastases", "no", "not", "possible", "femur", "T7",
                "L2-L4", "left", "right", "fracture", "cord", "compression", "Bilsky 2", "3.2 x 1.1 cm", "50%",
                "IMPRESSION:", "FINDINGS:", "\n", "\n\n", ".", ",", ";", "-", "(", ")", "history of",
                "vs."]  # fmt: skip
REPORT_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(REPORT_WORDS) | st.text(max_size=6), max_size=80).map(" ".join),
)


@given(text=REPORT_TEXT)
@settings(max_examples=EXAMPLES * 4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_any_text_is_read_and_every_span_points_into_it(text: str) -> None:
    reading = read_report(text)
    for finding in reading.findings:
        start, end = finding.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == finding.text
