"""Sections and sentences of real report layouts."""

from __future__ import annotations

from bonemet.nlp import ReportStatus, Section
from bonemet.nlp.sentences import sentence_start_offsets, unwrap
from tests.nlp.conftest import Reader


def test_findings_and_impression_sections(reader: Reader) -> None:
    text = (
        "EXAM: XR FEMUR\nCLINICAL HISTORY: lung cancer.\nCOMPARISON: None.\nTECHNIQUE: 2 views.\n"
        "FINDINGS: Lytic lesion in the femoral shaft.\nIMPRESSION: Lytic metastasis of the femur."
    )
    assert [f.section for f in reader(text).findings] == [Section.findings, Section.impression]


def test_other_header_spellings(reader: Reader) -> None:
    text = "Report:\nLytic lesion of the sternum.\nConclusion: Sternal metastasis."
    assert [f.section for f in reader(text).findings] == [Section.findings, Section.impression]
    assert reader("RESULT: Sclerotic lesion in L2.\nOPINION: L2 metastasis.").findings[-1].section is Section.impression


def test_a_report_without_headers_is_read_as_findings(reader: Reader) -> None:
    reading = reader("Right femur, two views. There is a lytic metastasis in the femoral shaft.")
    assert reading.status is ReportStatus.affirmed
    assert {f.section for f in reading.findings} == {Section.findings}


def test_the_title_line_is_not_a_finding(reader: Reader) -> None:
    reading = reader("BONE SCAN FOR METASTASES\nNormal tracer distribution. No focal uptake.")
    assert all(f.section is not Section.exam for f in reading.findings)
    assert reading.status is ReportStatus.negated


def test_hard_wrapped_phrases_are_still_phrases(reader: Reader) -> None:
    text = (
        "FINDINGS: Elongated expansile lesion in the proximal tibial diaphysis with a\n"
        "homogeneous ground-glass matrix and a thin sclerotic rim. No periosteal reaction.\n"
        "IMPRESSION: Benign-appearing lesion of the proximal tibia most consistent with fibrous\n"
        "dysplasia.\n"
    )
    reading = reader(text)
    assert reading.status is ReportStatus.not_mentioned
    (mimic,) = [f for f in reading.findings if f.mimic is not None]
    assert "fibrous\ndysplasia" in mimic.text  # the evidence is the report's own text


def test_upper_case_reports(reader: Reader) -> None:
    reading = reader("FINDINGS: MULTIPLE SCLEROTIC METASTASES IN L3 AND L4.\nIMPRESSION: OSSEOUS METASTASES.")
    assert reading.status is ReportStatus.affirmed
    assert {f.level.value for f in reading.findings if f.level} == {"L3", "L4"}


def test_typos_that_radiologists_make(reader: Reader) -> None:
    reading = reader(
        "XR TIBIA LEFT\n3 cm lytic lesoin in the mid tibial shaft w/ cortical breakthrough.\n"
        "IMPRESSION: c/w metastasis."
    )
    assert reading.status is ReportStatus.affirmed


def test_sentences_split_at_headers_list_items_and_periods() -> None:
    text = "IMPRESSION:\n1. Osseous mets at T4.\n2. No fracture. Approx. 3 cm mass vs. hematoma."
    starts = sentence_start_offsets(text)
    pieces = [text[a:b].strip() for a, b in zip(sorted(starts), [*sorted(starts)[1:], len(text)], strict=True)]
    assert "Osseous mets at T4." in pieces and "No fracture." in pieces
    assert "Approx. 3 cm mass vs. hematoma." in pieces


def test_unwrap_keeps_every_offset() -> None:
    text = (
        "Findings: there is an expansile lytic lesion with a narrow zone of transition in the\n"
        "femoral neck.\n\nImpression: metastasis.\n1. item"
    )
    flat = unwrap(text)
    assert len(flat) == len(text)
    assert "in the femoral neck" in flat
    assert "\n\nImpression:" in flat and "\n1. item" in flat
