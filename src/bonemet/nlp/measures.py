"""Numbers in report text: sizes, percentages, fractions and Bilsky grades.

Every function expects lower-cased text (str.lower keeps the offsets of report text).

A size keeps its largest dimension ('3.1 x 2.4 cm' is 3.1 cm; '18 mm' is 1.8 cm). A
percentage or fraction says how much of a vertebral body collapsed or how much cortex is
destroyed; 'more than'/'less than' are kept as bounds, because a bound is not a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bonemet.model.vocabulary import CollapseBound, EsccGrade

_NUMBER = r"(\d+(?:\.\d+)?)"
# Possessive `\s*+` everywhere in a size: whitespace is never given back, so a long gap of
# spaces after a number costs one pass instead of the cube of its length.
_BY = r"\s*+(?:x|×|\*|by)\s*+"
_UNIT = r"(cm|mm|centimeters?|centimetres?|millimeters?|millimetres?)\b"
_SIZE_RE = re.compile(
    rf"(?<![\w.]){_NUMBER}\s*+(?:{_UNIT})?(?:{_BY}{_NUMBER}\s*+(?:{_UNIT})?)?(?:{_BY}{_NUMBER})?\s*+-?\s*+{_UNIT}"
)
_PERCENT_RE = re.compile(rf"(?<![\w.]){_NUMBER}\s*(?:%|percent\b|per cent\b|pct\b)")
_MORE_THAN = re.compile(r"(?:>|≥|more than|greater than|over|at least|exceeding|in excess of)\s*$")
_LESS_THAN = re.compile(r"(?:<|≤|less than|under|below|up to)\s*$")
_FRACTION_WORDS = {
    "half": 0.5, "one half": 0.5, "one-half": 0.5, "one third": 1 / 3, "one-third": 1 / 3,
    "a third": 1 / 3, "two thirds": 2 / 3, "two-thirds": 2 / 3, "one quarter": 0.25, "a quarter": 0.25,
    "three quarters": 0.75, "three-quarters": 0.75,
}  # fmt: skip
_FRACTION_RE = re.compile(
    r"(?<![\w/.])(\d)\s*/\s*(\d)(?![\w/])|\b(" + "|".join(sorted(_FRACTION_WORDS, key=len, reverse=True)) + r")\b"
)
_GRADE_RE = re.compile(r"\b(?:escc|mescc|bilsky)\s*(?:grade|score|scale|class(?:ification)?)?\s*:?\s*"
                       r"(0|1a|1b|1c|1|2|3)\b(\s*(?:-|–|to|/|or)\s*(?:0|1a|1b|1c|1|2|3)\b)?")  # fmt: skip


@dataclass(frozen=True)
class Measure:
    start: int
    end: int
    value: float
    bound: CollapseBound | None = None


def _cm(value: float, unit: str | None) -> float:
    return value / 10 if unit and unit.lower().startswith("m") else value


def find_sizes(text: str, start: int, end: int) -> list[Measure]:
    """Largest dimension of each stated size, in cm."""
    sizes = []
    for match in _SIZE_RE.finditer(text, start, end):
        unit = match.group(6)
        stated = ((match.group(1), match.group(2)), (match.group(3), match.group(4)), (match.group(5), None))
        dimensions = [_cm(float(number), own_unit or unit) for number, own_unit in stated if number is not None]
        largest = round(max(dimensions), 2)
        if largest > 0:
            sizes.append(Measure(match.start(), match.end(), largest))
    return sizes


def _bound(text: str, start: int) -> CollapseBound | None:
    before = text[max(0, start - 20) : start]
    if _MORE_THAN.search(before):
        return CollapseBound.more_than
    if _LESS_THAN.search(before):
        return CollapseBound.less_than
    return None


def find_percentages(text: str, start: int, end: int) -> list[Measure]:
    return [
        Measure(m.start(), m.end(), float(m.group(1)), _bound(text, m.start()))
        for m in _PERCENT_RE.finditer(text, start, end)
        if float(m.group(1)) <= 100
    ]


def find_fractions(text: str, start: int, end: int) -> list[Measure]:
    """Stated fractions ('2/3', 'two thirds', '60%') as values between 0 and 1."""
    fractions = []
    for match in _FRACTION_RE.finditer(text, start, end):
        if match.group(3):
            value = _FRACTION_WORDS[match.group(3)]
        else:
            numerator, denominator = int(match.group(1)), int(match.group(2))
            if not 0 < numerator <= denominator:
                continue
            value = numerator / denominator
        fractions.append(Measure(match.start(), match.end(), round(value, 3), _bound(text, match.start())))
    for pct in find_percentages(text, start, end):
        fractions.append(Measure(pct.start, pct.end, pct.value / 100, pct.bound))
    return sorted(fractions, key=lambda m: m.start)


def find_escc_grade(text: str, start: int, end: int) -> tuple[EsccGrade | None, bool]:
    """The Bilsky grade stated in text[start:end]; (None, True) when a range like '1a-1b' is given."""
    match = _GRADE_RE.search(text, start, end)
    if match is None:
        return None, False
    if match.group(2):
        return None, True
    grade = match.group(1)
    if grade == "1":
        return None, True  # grade 1 without a/b/c is not a Bilsky grade the contract can hold
    return EsccGrade(grade), True
