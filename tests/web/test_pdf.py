"""The handout PDF: a valid PDF 1.4 file whose text can be found, wrapped inside the margins."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet.examples import example_paths
from bonemet.model import parse_case
from bonemet.pathway import assess
from bonemet.web.handout import build_handout, handout_pdf
from bonemet.web.pdf import A4_WIDTH, MARGIN, PdfDocument, printable, text_width, wrap


def _objects_match_xref(pdf: bytes) -> bool:
    start = int(re.search(rb"startxref\n(\d+)", pdf).group(1))  # type: ignore[union-attr]
    table = pdf[start:].split(b"trailer")[0].splitlines()[2:]
    offsets = [int(row.split()[0]) for row in table[1:]]
    return all(re.match(rb"%d 0 obj" % (n + 1), pdf[o : o + 12]) is not None for n, o in enumerate(offsets))


def test_a_document_is_a_valid_pdf_with_a_correct_cross_reference_table() -> None:
    doc = PdfDocument("Test")
    doc.heading("Heading (with parentheses)")
    for n in range(80):
        doc.paragraph(f"Paragraph {n}: a backslash \\ and ≥ 30 µmol/L.")
    pdf = doc.to_bytes()
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    assert _objects_match_xref(pdf)
    assert b"/Count 3" in pdf or b"/Count 4" in pdf
    assert b"(Heading \\(with parentheses\\))" in pdf
    assert b">= 30 \xb5mol/L" in pdf  # ≥ written as >=, µ in WinAnsi


def test_characters_outside_the_font_become_their_ascii_form() -> None:
    assert printable("≥ 30 – naïve café → ok") == ">= 30 – naive café -> ok"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.sampled_from([10.0, 14.0, 22.0]))
def test_wrapped_lines_never_run_past_the_margin(text: str, size: float) -> None:
    width = A4_WIDTH - 2 * MARGIN
    lines = wrap(text, width, size)
    assert all(text_width(line, size) <= width + 1e-6 for line in lines)
    assert "".join(lines).replace(" ", "") == printable(text).replace(" ", "").replace("\n", "")


def test_the_cord_compression_handout_leads_with_the_emergency() -> None:
    path = next(p for p in example_paths() if p.stem == "02_cord_compression")
    assessment = assess(parse_case(path.read_text(encoding="utf-8")))
    handout = build_handout(assessment)
    assert handout.urgent and handout.urgent[0].title == "Urgent care for your spine"
    pdf = handout_pdf(handout)
    assert _objects_match_xref(pdf)
    assert pdf.index(b"Needs attention today") < pdf.index(b"What we found")
    assert b"Get help at once" in pdf
