"""Form values <-> Case: units converted with their standard factors, one error per bad field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet.examples import example_paths
from bonemet.model import parse_case
from bonemet.web.fields import SPEC_BY_PATH, control_id, group_for_bone, spec_for_name
from bonemet.web.forms import case_to_values, lenient_case, parse_case_form, renumbered


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_example_survives_the_form_unchanged(path) -> None:  # type: ignore[no-untyped-def]
    case = parse_case(path.read_text(encoding="utf-8"))
    parsed = parse_case_form(case_to_values(case))
    assert parsed.errors == ()
    assert parsed.case == case


# Standard conversions: creatinine 1 mg/dL = 88.4 µmol/L; calcium 1 mmol/L = 4.008 mg/dL
# (40.078 g/mol); albumin 10 g/L = 1 g/dL; bilirubin 1 mg/dL = 17.1 µmol/L.
@pytest.mark.parametrize(
    ("field", "typed", "unit", "expected"),
    [
        ("labs.creatinine_mg_dl", "88.4", "umol/L", 1.0),
        ("labs.creatinine_mg_dl", "265", "umol/L", 3.0),
        ("labs.calcium_mg_dl", "2.5", "mmol/L", 10.02),
        ("labs.calcium_mg_dl", "3.0", "mmol/L", 12.02),
        ("labs.albumin_g_dl", "35", "g/L", 3.5),
        ("labs.bilirubin_mg_dl", "17.1", "umol/L", 1.0),
        ("labs.crp_mg_dl", "4", "mg/L", 0.4),
        ("lesions[0].cortical_involvement", "70", "percent", 0.7),
        ("lesions[0].size_cm", "32", "mm", 3.2),
    ],
)
def test_si_and_other_units_are_converted_to_the_case_unit(field: str, typed: str, unit: str, expected: float) -> None:
    values = {field: typed, f"{field}__unit": unit}
    if field.startswith("lesions"):
        values["lesions[0].bone"] = "femur"
    parsed = parse_case_form(values)
    assert parsed.case is not None, parsed.errors
    section, name = field.replace("[0]", "").split(".")
    owner = parsed.case.lesions[0] if section == "lesions" else getattr(parsed.case, section)
    assert getattr(owner, name) == pytest.approx(expected, abs=0.006)
    assert len(parsed.conversions) == 1


def test_a_decimal_comma_is_read_as_a_decimal_point() -> None:
    parsed = parse_case_form({"labs.creatinine_mg_dl": "1,3"})
    assert parsed.case is not None and parsed.case.labs.creatinine_mg_dl == 1.3


def test_every_problem_is_reported_on_its_own_field_in_form_order() -> None:
    parsed = parse_case_form(
        {
            "patient.age_years": "130",
            "patient.weight_kg": "heavy",
            "patient.ecog": "1.5",
            "cancer.diagnosed_on": "last spring",
            "lesions[0].bone": "femur",
            "lesions[0].level": "T4",
            "lesions[2].pain": "mild",
        }
    )
    assert parsed.case is None
    messages = {e.name: e.message for e in parsed.errors}
    assert messages["patient.age_years"] == "Age: must be at most 120 years"
    assert messages["patient.weight_kg"] == "Weight: enter a number from 20 to 350"
    assert messages["patient.ecog"] == "ECOG performance status: enter a whole number"
    assert "YYYY-MM-DD" in messages["cancer.diagnosed_on"]
    assert "applies only to spine or sacrum lesions" in messages["lesions[0].level"]
    assert messages["lesions[2].bone"] == "Bone: choose one for this entry"
    assert [e.name for e in parsed.errors][:3] == ["patient.age_years", "patient.weight_kg", "patient.ecog"]


def test_a_converted_value_out_of_range_says_what_it_became() -> None:
    parsed = parse_case_form({"labs.creatinine_mg_dl": "3000", "labs.creatinine_mg_dl__unit": "umol/L"})
    (error,) = parsed.errors
    assert error.message.startswith("Serum creatinine: must be at most 30 mg/dL")
    assert "3000 µmol/L" in error.message


def test_values_not_in_the_choices_are_refused() -> None:
    parsed = parse_case_form(
        {"patient.sex": "unknown-sex", "labs.albumin_g_dl__unit": "stone", "labs.albumin_g_dl": "3"}
    )
    names = {e.name for e in parsed.errors}
    assert names == {"patient.sex", "labs.albumin_g_dl"}


def test_empty_lesion_entries_are_skipped_and_errors_keep_the_form_index() -> None:
    parsed = parse_case_form({"lesions[0].side": "", "lesions[1].bone": "femur", "lesions[1].size_cm": "-1"})
    assert [e.name for e in parsed.errors] == ["lesions[1].size_cm"]
    ok = parse_case_form({"lesions[0].side": "", "lesions[1].bone": "femur"})
    assert ok.case is not None and len(ok.case.lesions) == 1 and ok.lesion_form_index == (1,)


def test_the_preview_leaves_out_what_is_wrong_and_keeps_the_rest() -> None:
    parsed = lenient_case(
        {"patient.age_years": "130", "lesions[0].bone": "femur", "lesions[0].level": "T4", "lesions[0].pain": "mild"}
    )
    assert parsed.case is not None
    assert parsed.case.patient.age_years is None
    assert parsed.case.lesions[0].level is None and parsed.case.lesions[0].pain is not None
    assert {e.name for e in parsed.errors} == {"patient.age_years", "lesions[0].level"}


def test_lesions_are_added_and_removed_with_renumbering() -> None:
    values = {"lesions[0].bone": "femur", "lesions[1].bone": "spine", "lesions[1].level": "T4"}
    removed = renumbered(values, "lesions", drop=0)
    assert removed == {"lesions[0].bone": "spine", "lesions[0].level": "T4"}
    added = renumbered(values, "lesions", add=True)
    assert added["lesions[2].bone"] == ""


def test_fields_follow_the_bone() -> None:
    assert group_for_bone("spine") == {"any", "spine"}
    assert group_for_bone("sacrum") == {"any", "spine"}
    assert group_for_bone("femur") == {"any", "limb"}
    assert group_for_bone("rib") == {"any"}
    assert group_for_bone("") == {"any", "limb", "spine"}


def test_every_field_has_a_label_and_engine_paths_resolve_to_controls() -> None:
    assert all(spec.label and spec.label[0].isupper() for spec in SPEC_BY_PATH.values())
    found = spec_for_name("lesions[3].cortical_involvement")
    assert found is not None and found[1] == 3
    assert control_id("lesions[3].cortical_involvement") == "f-lesions-3-cortical_involvement"


_typed = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    age=_typed,
    creatinine=_typed,
    unit=st.sampled_from(["mg/dL", "umol/L", "bogus", ""]),
    bone=st.sampled_from(["", "femur", "spine", "rib", "moon"]),
    level=st.sampled_from(["", "T4", "X9"]),
)
def test_any_input_gives_a_case_or_named_errors(age: str, creatinine: str, unit: str, bone: str, level: str) -> None:
    values = {
        "patient.age_years": age,
        "labs.creatinine_mg_dl": creatinine,
        "labs.creatinine_mg_dl__unit": unit,
        "lesions[0].bone": bone,
        "lesions[0].level": level,
    }
    parsed = parse_case_form(values)
    assert (parsed.case is None) == bool(parsed.errors)
    for error in parsed.errors:
        assert error.message.startswith(error.label + ":")
        assert error.name in values or error.name.startswith("lesions[0]")
