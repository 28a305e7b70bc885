"""A small PDF writer for the patient handout: headings, wrapped paragraphs and bullets on A4.

Why not a library: the handout is plain text in one typeface, and PDF's standard Helvetica
needs no embedded font, so a few hundred lines of PDF 1.4 cover it with no new dependency
(no Pillow, no fonts to ship). Text streams are left uncompressed so the words can be found
in the file, which keeps the PDF easy to check.

Text is encoded as WinAnsi (cp1252). Characters outside the glyph widths listed here are
written as their closest ASCII (≥ becomes >=, accented letters lose the accent), so nothing
is dropped silently and line wrapping always knows each glyph's width.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

# Glyph widths in 1/1000 em from Adobe's Core 14 AFM files (Helvetica, Helvetica-Bold),
# freely redistributable; ASCII 32-126 in order, then the few typographic characters used.
_ASCII_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
    722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
    278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_ASCII_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778,
    722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
    278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
# Character: (regular width, bold width).
_EXTRA: dict[str, tuple[int, int]] = {
    "•": (350, 350),
    "–": (556, 556),
    "—": (1000, 1000),
    "‘": (222, 278),
    "’": (222, 278),
    "“": (333, 500),
    "”": (333, 500),
    "µ": (578, 611),
    "×": (584, 584),
    "°": (400, 400),
    "±": (584, 584),
    "é": (556, 556),
    "…": (1000, 1000),
}
_REPLACEMENTS = {"≥": ">=", "≤": "<=", "→": "->", "←": "<-", "≈": "~", "⁹": "9", "\u00a0": " ", "\t": " "}

Style = Literal["regular", "bold"]

A4_WIDTH = 595.28
A4_HEIGHT = 841.89
MARGIN = 56.69  # 2 cm
LINE_SPACING = 1.35


def printable(text: str) -> str:
    """The text with every character the fonts can show; others become their ASCII form."""
    out: list[str] = []
    for char in text:
        if " " <= char <= "~" or char in _EXTRA:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        elif char < " " or "\x7f" <= char <= "\x9f":
            out.append(" ")  # control characters, line breaks included: wrapping decides the lines
        else:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            out.append(ascii_form or "?")
    return "".join(out)


def char_width(char: str, style: Style) -> int:
    if " " <= char <= "~":
        table = _ASCII_BOLD if style == "bold" else _ASCII_REGULAR
        return table[ord(char) - 32]
    regular, bold = _EXTRA[char]
    return bold if style == "bold" else regular


def text_width(text: str, size: float, style: Style = "regular") -> float:
    return sum(char_width(c, style) for c in text) * size / 1000


def wrap(text: str, width: float, size: float, style: Style = "regular") -> list[str]:
    """Greedy word wrap to `width` points; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in printable(text).split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, style) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, style) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, style) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass(frozen=True)
class _Line:
    x: float
    y: float
    text: str
    size: float
    style: Style


@dataclass
class PdfDocument:
    """Lay out text top to bottom on A4 pages; `to_bytes` writes the PDF."""

    title: str
    body_size: float = 14.0
    pages: list[list[_Line]] = field(default_factory=lambda: [[]])
    y: float = A4_HEIGHT - MARGIN

    @property
    def _line_width(self) -> float:
        return A4_WIDTH - 2 * MARGIN

    def _new_page(self) -> None:
        self.pages.append([])
        self.y = A4_HEIGHT - MARGIN

    def _place(self, lines: list[str], size: float, style: Style, x: float, keep: int = 1) -> tuple[int, float]:
        """Write the lines from the current position; return the page and baseline of the first."""
        leading = size * LINE_SPACING
        if self.y - leading * min(keep, len(lines)) < MARGIN + 20:
            self._new_page()
        first: tuple[int, float] | None = None
        for line in lines:
            if self.y - leading < MARGIN + 20:
                self._new_page()
            self.y -= leading
            self.pages[-1].append(_Line(x, self.y, line, size, style))
            first = first or (len(self.pages) - 1, self.y)
        return first or (len(self.pages) - 1, self.y)

    def heading(self, text: str, size: float = 18.0) -> None:
        self.space(size * 0.5)
        # Keep a heading with the two lines after it.
        self._place(wrap(text, self._line_width, size, "bold"), size, "bold", MARGIN, keep=3)

    def paragraph(self, text: str, style: Style = "regular", size: float | None = None) -> None:
        size = size or self.body_size
        self._place(wrap(text, self._line_width, size, style), size, style, MARGIN, keep=2)
        self.space(size * 0.4)

    def bullet(self, text: str, title: str | None = None) -> None:
        size = self.body_size
        indent = 18.0
        body = f"{title}: {text}" if title else text
        page, baseline = self._place(
            wrap(body, self._line_width - indent, size), size, "regular", MARGIN + indent, keep=2
        )
        self.pages[page].append(_Line(MARGIN + 4, baseline, "•", size, "regular"))
        self.space(size * 0.3)

    def space(self, points: float) -> None:
        self.y -= points

    def to_bytes(self) -> bytes:
        return _write(self.title, self.pages)


def _content_stream(lines: list[_Line], page_number: int, page_count: int, title: str) -> bytes:
    ops: list[bytes] = []
    for line in lines:
        font = b"/F2" if line.style == "bold" else b"/F1"
        ops.append(
            b"BT "
            + font
            + f" {line.size:g} Tf {line.x:.2f} {line.y:.2f} Td ".encode()
            + _pdf_string(line.text)
            + b" Tj ET"
        )
    footer = printable(f"{title} - page {page_number} of {page_count}")
    ops.append(b"BT /F1 9 Tf " + f"{MARGIN:.2f} {MARGIN - 24:.2f} Td ".encode() + _pdf_string(footer) + b" Tj ET")
    return b"\n".join(ops)


def _write(title: str, pages: list[list[_Line]]) -> bytes:
    """Catalog 1, Pages 2, fonts 3-4, Info 5, then a Page and its content stream per page."""
    pages = [p for p in pages if p] or [[]]
    first_page_object = 6
    page_ids = [first_page_object + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{i} 0 R".encode() for i in page_ids)
        + b"] /Count "
        + str(len(pages)).encode()
        + b" >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        5: b"<< /Title " + _pdf_string(printable(title)) + b" /Producer (bonemet) >>",
    }
    for number, (page_id, lines) in enumerate(zip(page_ids, pages, strict=True), start=1):
        stream = _content_stream(lines, number, len(pages), title)
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4_WIDTH} {A4_HEIGHT}] ".encode()
            + b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            + f"/Contents {page_id + 1} 0 R >>".encode()
        )
        objects[page_id + 1] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
