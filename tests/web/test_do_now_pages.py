"""The assessment page says each thing once: "do now" first, merged lesions, one agent block, grouped questions."""

from __future__ import annotations

import re
import warnings

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import make_app

warnings.filterwarnings("ignore", category=DeprecationWarning)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app())


# The review's case 3 as typed into the form: lung cancer, lytic T6-T9.
LUNG_T6_T9 = {
    "as_of": "2026-11-25",
    "patient.age_years": "62",
    "patient.sex": "male",
    "cancer.history": "known_primary",
    "cancer.primary": "lung",
    "presentation.bone_pain": "true",
    **{f"lesions[{i}].bone": "spine" for i in range(4)},
    **{f"lesions[{i}].level": level for i, level in enumerate(("T6", "T7", "T8", "T9"))},
    **{f"lesions[{i}].pattern": "lytic" for i in range(4)},
}


def test_do_now_comes_before_the_plan(client: TestClient) -> None:
    html = client.get("/assessment?example=01_impending_femoral_fracture").text
    assert html.index('id="do-now"') < html.index('id="suspicion-title"') < html.index('id="plan-title"')
    do_now = html[html.index('id="do-now"') : html.index('id="suspicion-title"')]
    assert 'data-code="surgery.prophylactic_fixation"' in do_now
    assert "Mirels 12" in do_now


def test_the_mri_for_four_levels_is_one_line_and_the_questions_one_table(client: TestClient) -> None:
    response = client.post("/assessment", data=LUNG_T6_T9)
    assert response.status_code == 200
    html = response.text
    assert html.count('data-code="imaging.mri"') == 1
    assert "(T6–T9)" in html
    start = html.index('class="lesion-questions"')
    table = html[start : html.index("</table>", start)]
    assert table.count('<th scope="col">Lesion') == 4  # a column per vertebra
    assert table.count("Spinal alignment<span") == 1  # a row per field, its reason once
    assert len(re.findall(r'id="q-lesions-\d-alignment"', table)) == 4


def test_the_agents_are_one_block_with_the_options_as_rows(client: TestClient) -> None:
    html = client.get("/assessment?example=20_bone_scan_hot_spots_need_site_imaging").text
    block = html[html.index('id="bone-agents"') : html.index("</table>", html.index('id="bone-agents"'))]
    for code in ("bma.zoledronic_acid", "bma.denosumab", "bma.pamidronate"):
        assert f'data-code="{code}"' in block
    assert html.count('data-code="bma.denosumab"') == 1
    assert "preferred" in block


def test_no_recommendation_still_says_so(client: TestClient) -> None:
    html = client.get("/assessment?example=14_low_suspicion_explained_pain").text
    assert "Do now: nothing from the data given" in html


def test_recommendation_codes_are_not_printed_for_the_reader(client: TestClient) -> None:
    html = client.get("/assessment?example=01_impending_femoral_fracture").text
    assert ">surgery.prophylactic_fixation<" not in html


def test_an_unknown_example_says_so_instead_of_redirecting(client: TestClient) -> None:
    page = client.get("/assessment?example=<b>nope</b>", follow_redirects=False)
    assert page.status_code == 404
    assert "There is no example called" in page.text and "&lt;b&gt;nope&lt;/b&gt;" in page.text
    assert client.get("/assessment", follow_redirects=False).status_code == 303  # no example: the form
