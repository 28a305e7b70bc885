"""Negation, uncertainty and the other ConText traps of radiology reports (issue 3)."""

from __future__ import annotations

import pytest

from bonemet.nlp import FindingKind, FindingStatus, ReportStatus
from tests.nlp.conftest import Reader, present


def test_no_evidence_of_osseous_metastatic_disease_is_negated(reader: Reader) -> None:
    reading = reader("IMPRESSION: No evidence of osseous metastatic disease.")
    assert reading.status is ReportStatus.negated
    assert [f.status for f in reading.findings] == [FindingStatus.negated]


@pytest.mark.parametrize(
    "impression",
    [
        "IMPRESSION: No x-ray evidence of metastatic disease.",
        "IMPRESSION: No suspicious metastatic lesions.",
        "IMPRESSION:\nNo osseous metastases.",
    ],
)
def test_a_header_colon_does_not_hide_the_negation(reader: Reader, impression: str) -> None:
    # medspaCy's default backward ': no' rule leaves these un-negated (reference notes, §2)
    assert reader(impression).status is ReportStatus.negated


def test_impression_outranks_the_findings(reader: Reader) -> None:
    text = (
        "FINDINGS: Sclerotic focus in T9, possibly a metastasis.\n"
        "IMPRESSION: No osseous metastatic disease. The T9 focus is a typical bone island."
    )
    reading = reader(text)
    assert reading.status is ReportStatus.negated
    assert any(f.kind is FindingKind.mimic and f.level and f.level.value == "T9" for f in reading.findings)


def test_an_uncertain_impression_outranks_affirmed_findings(reader: Reader) -> None:
    text = "FINDINGS: Lytic metastasis in L2.\nIMPRESSION: L2 lesion, metastasis versus hemangioma; MRI suggested."
    assert reader(text).status is ReportStatus.possible


def test_findings_that_name_the_cause_win_over_an_impression_that_does_not(reader: Reader) -> None:
    text = (
        "FINDINGS: Pathological fracture of T6 with epidural tumour at T6.\n"
        "IMPRESSION: T6 pathological fracture with epidural disease."
    )
    assert reader(text).status is ReportStatus.affirmed


def test_evaluate_for_metastases_in_the_indication_is_not_a_finding(reader: Reader) -> None:
    reading = reader("INDICATION: Prostate cancer, evaluate for metastases.\nFINDINGS: Normal bone scan.")
    assert reading.status is ReportStatus.not_mentioned
    assert reading.findings == []


def test_a_question_in_the_findings_is_hypothetical(reader: Reader) -> None:
    reading = reader("Bone scan performed to evaluate for osseous metastases. Normal tracer distribution.")
    assert reading.status is ReportStatus.not_mentioned
    assert all(f.status is FindingStatus.hypothetical for f in reading.findings)


def test_history_that_runs_on_into_the_findings_without_a_header(reader: Reader) -> None:
    text = "History: breast cancer, rule out mets.\nLytic lesion in the left iliac bone, suspicious for metastasis."
    reading = reader(text)
    assert reading.status is ReportStatus.possible
    assert {f.section.value for f in reading.findings} == {"findings"}


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: Mother had breast cancer with bone metastases. No fracture.",
        "FAMILY HISTORY: Father with metastatic prostate cancer to bone.\nFINDINGS: Unremarkable.",
        "HISTORY: Sister with skeletal metastases.\nFINDINGS: Normal alignment.",
    ],
)
def test_a_relative_s_metastases_are_not_the_patient_s(reader: Reader, text: str) -> None:
    reading = reader(text)
    assert reading.status is ReportStatus.not_mentioned
    assert present(reading) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sclerotic lesion in L2. A metastasis cannot be excluded.",
        "Lucency in the right clavicle; metastasis is not excluded.",
        "Cannot exclude metastatic disease in the left iliac bone.",
        "Focal uptake in L4, metastasis less likely but not excluded.",
        "Indeterminate 9 mm enhancing focus in L3.",
        "Lytic lesion of the left 7th rib, suspicious for metastasis.",
        "Small foci in T4 and T9 which could represent early bone metastases.",
        "Differential includes a bone island versus an osteoblastic metastasis in T8.",
    ],
)
def test_uncertainty_cues_make_the_report_possible(reader: Reader, text: str) -> None:
    assert reader(text).status is ReportStatus.possible


def test_likely_and_consistent_with_are_conclusions_not_doubt(reader: Reader) -> None:
    assert reader("Expansile lytic lesion of the humerus, most likely a metastasis.").status is ReportStatus.affirmed
    assert reader("Sclerotic lesions in L3 and L4, consistent with metastases.").status is ReportStatus.affirmed


def test_a_lesion_the_report_does_not_call_a_metastasis_is_only_possible(reader: Reader) -> None:
    reading = reader("Known breast cancer. There is a 3 cm lytic lesion in the right femoral neck. Recommend MRI.")
    assert reading.status is ReportStatus.possible and reading.cancer_in_text
    (lesion,) = present(reading)
    assert lesion.status is FindingStatus.affirmed and lesion.present and not lesion.called_metastasis


def test_an_unexplained_lesion_without_cancer_in_the_text_is_flagged_not_possible(reader: Reader) -> None:
    # Issue 11, class 1: about one false alarm in five on real reports came from this rule.
    reading = reader("Expansile lytic lesion of the L2 posterior elements in a 30-year-old with back pain.")
    assert reading.status is ReportStatus.not_mentioned
    assert [flag.value for flag in reading.flags] == ["indeterminate_bone_lesion"]
    assert present(reading)  # the lesion itself is still read, with its site


def test_a_negated_history_of_cancer_does_not_count(reader: Reader) -> None:
    reading = reader("No history of malignancy. 2 cm lytic lesion of the right iliac bone.")
    assert reading.status is ReportStatus.not_mentioned and not reading.cancer_in_text


def test_metastasis_raised_in_the_next_sentence_makes_the_report_possible(reader: Reader) -> None:
    reading = reader("Lytic focus in the iliac bone. Metastatic disease is possible.")
    assert reading.status is ReportStatus.possible


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "Multiple lytic lesions of the skull and ribs in this patient with multiple myeloma.",
            "haematological_bone_disease",
        ),
        ("Chondrosarcoma of the proximal humerus. No distant metastasis.", "primary_bone_tumour"),
        (
            "Lytic lesion of the distal femur with a thin sclerotic rim, consistent with enchondroma.",
            "benign_explanation",
        ),
        ("Lytic lesion of the L4 vertebral body with endplate destruction and discitis.", "benign_explanation"),
    ],
)
def test_other_named_causes_are_flags_not_possible_metastasis(reader: Reader, text: str, flag: str) -> None:
    reading = reader(text)
    assert reading.status is not ReportStatus.possible and reading.status is not ReportStatus.affirmed
    assert flag in [f.value for f in reading.flags]


def test_lung_collapse_is_not_vertebral_collapse(reader: Reader) -> None:
    reading = reader("Left lower lobe collapse and consolidation.")
    assert reading.findings == [] and reading.flags == []


def test_no_new_lesions_means_known_disease_not_no_disease(reader: Reader) -> None:
    reading = reader("No new osseous metastases.")
    assert reading.status is ReportStatus.not_mentioned
    assert [f.status for f in reading.findings] == [FindingStatus.historical]
    followup = reader("Stable sclerotic metastases in the pelvis. No new osseous lesions.")
    assert followup.status is ReportStatus.affirmed


def test_negation_runs_through_a_list_and_stops_at_but(reader: Reader) -> None:
    reading = reader("No fracture, lytic or sclerotic lesion, but there is a lytic metastasis in the left femur.")
    assert reading.status is ReportStatus.affirmed
    assert {f.bone.value for f in present(reading) if f.bone} == {"femur"}


def test_semicolon_ends_the_scope_of_a_modifier(reader: Reader) -> None:
    reading = reader("Right L5-S1 facet uptake, most likely degenerative; metastasis not entirely excluded.")
    mimics = [f for f in reading.findings if f.kind is FindingKind.mimic]
    assert mimics and all(f.status is FindingStatus.affirmed for f in mimics)
    assert reading.status is ReportStatus.possible


def test_rather_than_negates_the_alternative(reader: Reader) -> None:
    reading = reader("The T11 lesion represents a hemangioma rather than a metastasis.")
    assert reading.status is ReportStatus.negated


def test_other_organs_metastases_are_not_bone_metastases(reader: Reader) -> None:
    reading = reader(
        "CT ABDOMEN\nFINDINGS: Hepatic metastases have increased. Enlarged pelvic nodal metastases.\n"
        "IMPRESSION: Progression of liver metastases."
    )
    assert reading.status is ReportStatus.not_mentioned
    assert reading.findings == []


def test_a_diagnosis_named_in_the_findings_is_not_a_finding(reader: Reader) -> None:
    reading = reader("In this patient with metastatic breast cancer, the bones are unremarkable.")
    assert reading.status is ReportStatus.not_mentioned


def test_impending_fracture_is_a_risk_not_a_fracture(reader: Reader) -> None:
    reading = reader("Large lytic metastasis of the left femur with impending pathologic fracture.")
    fractures = [f for f in reading.findings if f.kind is FindingKind.pathologic_fracture]
    assert [f.status for f in fractures] == [FindingStatus.hypothetical]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Diffuse osteopenia and a compression deformity of L1: osteoporosis or metastasis, not determined.",
            "possible",
        ),
        ("Known lung cancer. Metastases to liver, lungs and bone.", "affirmed"),
        ("Metastatic disease involving the liver and bones.", "affirmed"),
        ("Known melanoma. Small lytic metastasis in the third metatarsal of the left foot.", "affirmed"),
        ("Resection of the lung metastasis with partial resection of the fifth rib.", "not_mentioned"),
    ],
)
def test_real_report_phrasings_issue_11(reader: Reader, text: str, status: str) -> None:
    assert reader(text).status.value == status
