"""Words for people on the form: a share of the bone typed as '2/3' or '67%', errors that suggest the unit."""

from __future__ import annotations

import re
import warnings

import pytest
from fastapi.testclient import TestClient

from bonemet.web.forms import parse_case_form
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)

CORTEX = "lesions[0].cortical_involvement"


@pytest.mark.parametrize(
    ("typed", "share"), [("2/3", 0.6667), ("67%", 0.67), ("67 %", 0.67), ("0.5", 0.5), ("1/3", 0.3333)]
)
def test_a_share_of_the_bone_is_accepted_as_a_fraction_or_a_percentage(typed: str, share: float) -> None:
    parsed = parse_case_form({"lesions[0].bone": "femur", CORTEX: typed})
    assert parsed.case is not None, parsed.errors
    assert parsed.case.lesions[0].cortical_involvement == share


def test_a_percentage_typed_with_the_fraction_unit_is_explained() -> None:
    parsed = parse_case_form({"lesions[0].bone": "femur", CORTEX: "67"})
    (error,) = parsed.errors
    assert error.message == "Bone width or cortex destroyed: must be at most 1; 67 looks like % of width: type 67%"


def test_a_number_that_is_not_one_gets_an_example_that_fits_the_field() -> None:
    (error,) = parse_case_form({"lesions[0].bone": "femur", CORTEX: "two thirds"}).errors
    assert "2/3" in error.message and "67%" in error.message and "1.2" not in error.message
    (age,) = parse_case_form({"patient.age_years": "old"}).errors
    assert age.message == "Age: enter a number from 0 to 120"


def test_a_creatinine_in_micromoles_typed_as_mg_dl_is_recognised() -> None:
    (error,) = parse_case_form({"labs.creatinine_mg_dl": "124"}).errors
    assert error.message.endswith("124 looks like µmol/L: choose µmol/L beside the value")
    assert parse_case_form({"labs.creatinine_mg_dl": "1.2"}).errors == ()


def test_the_mirels_preview_and_the_assessment_read_two_thirds() -> None:
    client = TestClient(make_app())
    form = {
        "cancer.history": "known_primary",
        "cancer.primary": "breast",
        "lesions[0].bone": "femur",
        "lesions[0].segment": "peritrochanteric",
        "lesions[0].pattern": "lytic",
        "lesions[0].pain": "functional",
        CORTEX: "2/3",
    }
    html = client.post("/assessment", data=form).text
    # Mirels 1989: peritrochanteric 3 + functional pain 3 + lytic 3 + 1/3-2/3 of the cortex 2 = 11.
    assert "Mirels 11" in html


def test_pages_show_words_not_codes() -> None:
    client = TestClient(make_app())
    page = re.sub(r"<input[^>]*>", "", client.get("/assessment?example=02_cord_compression").text)  # not hidden fields
    assert "semi-rigid" in page and "semi_rigid" not in page  # SINS location of T8
    assert "under 50%" in page and "under_50pct" not in page  # SINS vertebral collapse
    form = client.get("/").text
    assert "xray, bone_scan" not in form and "known_primary; unknown_primary" not in form
    assert "none_over_50pct_involved, under_50pct" not in form
