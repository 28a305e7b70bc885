"""'2/3' and '67%' typed into the cortical involvement field (a fraction 0-1)."""

from __future__ import annotations

import warnings

import pytest
from fastapi.testclient import TestClient

from bonemet.web.forms import parse_case_form
from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)

FIELD = "lesions[0].cortical_involvement"


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("2/3", "fraction", 0.6667),
        (" 1 / 3 ", "percent", 0.3333),  # the text says its unit: the select beside it is ignored
        ("67%", "fraction", 0.67),
        ("67 %", "percent", 0.67),
        ("12,5%", "fraction", 0.125),
        ("0.5", "fraction", 0.5),  # a plain number is read in the chosen unit, as before
        ("50", "percent", 0.5),
    ],
)
def test_fractions_and_percentages_are_read_as_written(typed: str, unit: str, expected: float) -> None:
    parsed = parse_case_form({"lesions[0].bone": "femur", FIELD: typed, f"{FIELD}__unit": unit})
    assert parsed.case is not None, parsed.errors
    assert parsed.case.lesions[0].cortical_involvement == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("typed", "words"), [("1/0", "divides by zero"), ("150%", "")])
def test_impossible_fractions_are_refused_on_the_field(typed: str, words: str) -> None:
    parsed = parse_case_form({"lesions[0].bone": "femur", FIELD: typed})
    assert parsed.case is None
    assert [e.name for e in parsed.errors] == [FIELD]
    assert words in parsed.errors[0].message


def test_two_thirds_scores_mirels_middle_size_category_through_the_page() -> None:
    # Mirels 1989: size 1/3 to 2/3 of the cortex scores 2 points.
    form = {"lesions[0].bone": "femur", "lesions[0].segment": "shaft", FIELD: "2/3", f"{FIELD}__unit": "percent"}
    page = TestClient(make_app()).post("/assessment", data=form)
    assert page.status_code == 200
    mirels = page.text[page.text.index('data-score="mirels"') :]
    size = mirels[mirels.index('<th scope="row">Size</th>') :]
    size = size[: size.index("</tr>")]
    assert "(1/3 to 2/3)" in size and '<td class="num">2</td>' in size
