"""The pages in a real browser (Debian's chromium, headless): what a clinician does, end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bonemet.examples import example_paths
from bonemet.fhir import from_case
from bonemet.model import parse_case
from tests.web.conftest import ARTIFACTS, ConsoleLog, screenshot

# Mirels 1989, Table 1: peritrochanteric site 3, functional pain 3, mixed lesion 2,
# 1/3-2/3 of the cortex destroyed 2: total 10 of 12, "9 or more: prophylactic fixation".
IMPENDING_FRACTURE_MIRELS = "10 / 12"


def fill_impending_femoral_fracture(page: Page) -> None:
    page.fill("#f-patient-age_years", "64")
    page.select_option("#f-patient-sex", "female")
    page.fill("#f-patient-weight_kg", "70")
    page.fill("#f-patient-ecog", "1")
    page.select_option("#f-cancer-history", "known_primary")
    page.select_option("#f-cancer-primary", "breast")
    page.select_option("#f-presentation-bone_pain", "true")
    page.select_option("#f-lesions-0-bone", "femur")
    page.select_option("#f-lesions-0-segment", "peritrochanteric")
    page.select_option("#f-lesions-0-side", "right")
    page.select_option("#f-lesions-0-pattern", "mixed")
    page.fill("#f-lesions-0-cortical_involvement", "50")
    page.select_option("#f-lesions-0-cortical_involvement-unit", "percent")
    page.select_option("#f-lesions-0-pain", "functional")
    page.select_option("#f-lesions-0-pathologic_fracture", "false")
    # Creatinine typed in SI units: 80 µmol/L / 88.4 = 0.905 mg/dL.
    page.fill("#f-labs-creatinine_mg_dl", "80")
    page.select_option("#f-labs-creatinine_mg_dl-unit", "umol/L")


def mirels_card(page: Page, scope: str = "") -> str:
    return f"{scope} [data-score='mirels']".strip()


def test_impending_femoral_fracture_gives_fixation_and_the_mirels_total(page: Page, console: ConsoleLog) -> None:
    page.goto("/")
    fill_impending_femoral_fracture(page)

    # The live preview beside the lesion shows Mirels with the points of every item.
    preview = page.locator("[data-score-preview='0'] [data-score='mirels']")
    expect(preview.locator(".total")).to_have_text(IMPENDING_FRACTURE_MIRELS)
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview.locator("tbody tr").nth(0).locator("td.num")).to_have_text("3")  # site
    expect(preview.locator("tbody tr").nth(2).locator("td.num")).to_have_text("2")  # mixed lesion
    screenshot(page, "case-entry-filled")

    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
    card = page.locator("[data-score='mirels']").first
    expect(card.locator(".total")).to_have_text(IMPENDING_FRACTURE_MIRELS)
    expect(card.locator(".band")).to_contain_text("high risk")
    fixation = page.locator(".rec[data-code='surgery.prophylactic_fixation']")
    expect(fixation).to_have_count(1)
    expect(page.locator("#do-now")).to_contain_text("prophylactic fixation")
    expect(fixation.locator(".sources")).to_contain_text("Source")
    screenshot(page, "assessment-impending-fracture")
    assert console.errors == []


def test_lesion_fields_follow_the_bone_chosen(page: Page) -> None:
    page.goto("/")
    lesion = page.locator("fieldset.lesion").first
    limb, spine = lesion.locator("fieldset[data-group='limb']"), lesion.locator("fieldset[data-group='spine']")
    expect(limb).to_be_visible()
    expect(spine).to_be_visible()
    page.select_option("#f-lesions-0-bone", "spine")
    expect(limb).to_be_hidden()
    expect(spine).to_be_visible()
    page.select_option("#f-lesions-0-level", "T10")
    page.select_option("#f-lesions-0-spinal_pain", "mechanical")
    expect(page.locator("[data-score-preview='0'] [data-score='sins']")).to_be_visible()
    page.select_option("#f-lesions-0-bone", "humerus")
    expect(spine).to_be_hidden()
    expect(limb).to_be_visible()


def test_lesions_are_added_and_removed(page: Page) -> None:
    page.goto("/")
    page.select_option("#f-lesions-0-bone", "femur")
    page.get_by_role("button", name="Add a lesion").click()
    expect(page.locator("fieldset.lesion")).to_have_count(2)
    expect(page.locator("#f-lesions-1-bone")).to_be_focused()
    expect(page.locator("#f-lesions-0-bone")).to_have_value("femur")
    page.select_option("#f-lesions-1-bone", "spine")
    page.get_by_role("button", name="Remove lesion 1").click()
    expect(page.locator("fieldset.lesion")).to_have_count(1)
    expect(page.locator("#f-lesions-0-bone")).to_have_value("spine")


def test_invalid_input_returns_the_form_with_an_error_per_field(page: Page) -> None:
    page.goto("/")
    page.fill("#f-patient-age_years", "130")
    page.fill("#f-patient-weight_kg", "heavy")
    page.select_option("#f-lesions-0-bone", "femur")
    with page.expect_response(lambda r: r.url.endswith("/assessment")) as response:
        page.get_by_role("button", name="Assess", exact=True).click()
    assert response.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Age: must be at most 120 years")
    expect(summary).to_contain_text("Weight: enter a number")
    age = page.locator("#f-patient-age_years")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(age).to_have_value("130")
    summary.get_by_role("link", name=re.compile("^Age")).click()
    expect(age).to_be_focused()
    screenshot(page, "case-entry-errors")


def test_a_pasted_report_is_read_and_its_lesions_shown(page: Page) -> None:
    page.goto("/")
    page.select_option("#r-imaging-0-modality", "mri")
    page.fill(
        "#r-imaging-0-report_text",
        "MRI THORACOLUMBAR SPINE.\nFINDINGS: There is a lytic lesion in the T10 vertebral body. "
        "No epidural extension.\nIMPRESSION: Lytic T10 metastasis.",
    )
    page.select_option("#r-cancer-primary", "lung")
    page.get_by_role("button", name="Read the report and assess").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
    facts = page.locator("table.facts")
    expect(facts).to_contain_text("T10")
    expect(facts.locator("q").first).to_contain_text("T10")
    expect(page.locator("table.lesions")).to_contain_text("spine")
    screenshot(page, "assessment-from-report")


def test_a_fhir_bundle_is_uploaded_and_assessed(page: Page, tmp_path: Path) -> None:
    case = parse_case(example_paths()[0].read_text(encoding="utf-8"))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(from_case(case).model_dump_json(), encoding="utf-8")
    page.goto("/")
    page.set_input_files("#fhir-file", str(bundle))
    page.get_by_role("button", name="Import and assess").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
    expect(page.locator("[data-score='mirels']").first.locator(".total")).to_contain_text("/ 12")
    screenshot(page, "assessment-from-fhir")


def test_a_file_that_is_not_json_is_refused_with_a_message(page: Page, tmp_path: Path) -> None:
    bad = tmp_path / "bundle.json"
    bad.write_text("{not json", encoding="utf-8")
    page.goto("/")
    page.set_input_files("#fhir-file", str(bad))
    with page.expect_response(lambda r: r.url.endswith("/assessment/fhir")) as response:
        page.get_by_role("button", name="Import and assess").click()
    assert response.value.status == 422
    expect(page.locator(".error-summary")).to_contain_text("not valid JSON")


def test_the_handout_opens_and_downloads_as_pdf(page: Page, tmp_path: Path) -> None:
    page.goto("/assessment?example=02_cord_compression")
    page.get_by_role("button", name="Patient handout").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your bones")
    expect(page.locator(".handout .emergency")).to_be_visible()
    screenshot(page, "handout")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PDF").click()
    saved = tmp_path / "handout.pdf"
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert b"Needs attention today" in content
    assert download.value.suggested_filename == "bonemet-handout.pdf"


def test_the_handout_prints_without_menus_or_buttons(page: Page) -> None:
    page.goto("/handout?example=01_impending_femoral_fracture")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".page-actions")).to_be_hidden()
    font_size = page.locator(".handout p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_size >= 19  # 15 pt: large type on paper
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "handout-print.pdf"))


def test_reference_search_finds_a_drug_by_brand_name(page: Page) -> None:
    page.goto("/reference")
    page.get_by_label("Search the reference").fill("Xgeva")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".search-results")
    expect(results.locator("mark").first).to_have_text(re.compile("xgeva", re.IGNORECASE))
    results.get_by_role("link", name="Denosumab").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Denosumab")
    expect(page.locator(".ref-section", has_text="Renal function")).to_contain_text("30 mL/min")
    screenshot(page, "reference-denosumab")


def test_the_search_box_does_not_reflect_markup(page: Page) -> None:
    page.goto("/reference?q=%3Cscript%3Ewindow.hacked%3D1%3C%2Fscript%3E")
    expect(page.get_by_role("heading", name=re.compile("results for"))).to_contain_text("<script>")
    assert page.evaluate("() => window.hacked === undefined")
    assert page.locator("main script").count() == 0


def test_the_core_flow_works_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/")
    fill_impending_femoral_fracture(page)
    page.get_by_role("button", name="Update scores and fields").click()
    expect(page.locator("[data-score-preview='0'] [data-score='mirels'] .total")).to_have_text(
        IMPENDING_FRACTURE_MIRELS
    )
    page.get_by_role("button", name="Add a lesion").click()
    expect(page.locator("fieldset.lesion")).to_have_count(2)
    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.locator("[data-score='mirels']").first.locator(".total")).to_have_text(IMPENDING_FRACTURE_MIRELS)


def test_missing_data_questions_rerun_the_assessment(page: Page) -> None:
    page.goto("/")
    page.select_option("#f-cancer-history", "known_primary")
    page.select_option("#f-cancer-primary", "breast")
    page.select_option("#f-lesions-0-bone", "femur")
    page.select_option("#f-lesions-0-segment", "peritrochanteric")
    page.select_option("#f-lesions-0-pattern", "lytic")
    page.select_option("#f-lesions-0-pain", "functional")
    page.get_by_role("button", name="Assess", exact=True).click()
    question = page.locator("#q-lesions-0-cortical_involvement")
    expect(question).to_be_visible()
    question.fill("0.7")
    page.get_by_role("button", name="Re-run the assessment with these answers").click()
    expect(page.locator("[data-score='mirels']").first.locator(".total")).to_have_text("12 / 12")
    expect(page.locator("#q-lesions-0-cortical_involvement")).to_have_count(0)


@pytest.mark.parametrize("example", ["02_cord_compression", "03_hypercalcaemia"])
def test_emergencies_come_first_in_red(page: Page, example: str) -> None:
    page.goto(f"/assessment?example={example}")
    emergency = page.locator("section.emergency")
    expect(emergency).to_be_visible()
    first_section = page.locator("main section").first
    expect(first_section).to_have_id("do-now")
    expect(first_section).to_have_class(re.compile("do-now-emergency"))
    expect(page.locator("main section").nth(1)).to_have_class(re.compile("emergency"))
    colour = emergency.evaluate("e => getComputedStyle(e).borderTopColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", colour)[:3])
    assert red > 150 and green < 60 and blue < 60
    screenshot(page, f"assessment-{example}")


def test_charts_are_drawn_on_the_server(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/assessment?example=04_unknown_primary_multiple_lytic")
    chart = page.locator("svg.bar-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() >= 2
    page.goto("/assessment?example=01_impending_femoral_fracture")
    survival = page.locator("svg.survival-chart")
    expect(survival).to_be_visible()
    assert survival.locator("rect.bar-patient").count() == 3 + 1  # three horizons and the legend key
    expect(survival.locator("desc")).to_contain_text("12 months")


def test_examples_render_without_errors(page: Page, console: ConsoleLog) -> None:
    for path in example_paths():
        response = page.goto(f"/assessment?example={path.stem}")
        assert response is not None and response.status == 200, path.stem
    assert console.errors == []


def test_edit_reopens_the_form_with_every_value(page: Page) -> None:
    """The hidden fields carry the case exactly: editing reopens the form with every value."""
    page.goto("/assessment?example=01_impending_femoral_fracture")
    page.get_by_role("button", name="Edit the case").click()
    case = json.loads(example_paths()[0].read_text(encoding="utf-8"))
    expect(page.locator("#f-patient-age_years")).to_have_value(str(case["patient"]["age_years"]))
    expect(page.locator("#f-lesions-0-segment")).to_have_value(case["lesions"][0]["segment"])
