"""The shape every score shares: itemised points, total, band, interpretation, citation.

A score never sums incomplete items: when any item is unknown the total is None and
`missing_items` names what is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from bonemet.knowledge.citations import Citation
from bonemet.model import ScoreOut
from bonemet.model.assessment import validator_of
from bonemet.model.vocabulary import ScoreName

# Both records are named tuples: every assessment builds a few dozen items and several
# results, and a frozen dataclass's __init__ costs several times as much per field.


_score_out = validator_of(ScoreOut)


class Item(NamedTuple):
    name: str
    value: str | None  # what the item was scored from; None when unknown
    points: float | None  # None when unknown


class ScoreResult(NamedTuple):
    name: ScoreName
    items: tuple[Item, ...]
    total: float | None
    band: str | None
    interpretation: str
    citation: Citation
    higher_is_worse: bool
    lesion_index: int | None = None
    # With unknown items: the lowest and highest total the allowed values could give, and the
    # unknown item whose value would narrow that range most (None when complete).
    total_range: tuple[float, float] | None = None
    narrowest_unknown: str | None = None

    @property
    def missing_items(self) -> tuple[str, ...]:
        return tuple(name for name, _, points in self.items if points is None)

    @property
    def complete(self) -> bool:
        return self.total is not None

    def to_out(self) -> ScoreOut:
        # One validate call on plain data lets pydantic-core build the nested items in one pass.
        items = self.items
        return _score_out(
            {
                "name": self.name,
                "lesion_index": self.lesion_index,
                "total": self.total,
                "band": self.band,
                "items": [{"item": name, "value": value, "points": points} for name, value, points in items],
                "missing_items": [name for name, _, points in items if points is None],
                "interpretation": self.interpretation,
                "citation": self.citation.full_text,
                "higher_is_worse": self.higher_is_worse,
                "total_range": self.total_range,
                "narrowest_unknown": self.narrowest_unknown,
            }
        )


def total_of(items: tuple[Item, ...]) -> float | None:
    """Sum of the points, or None when any item is unknown (never a partial sum)."""
    total = 0.0
    for item in items:
        if item.points is None:
            return None
        total += item.points
    return total


def incomplete_interpretation(items: tuple[Item, ...]) -> str:
    missing = ", ".join(item.name for item in items if item.points is None)
    return f"Not scored: {missing} unknown. A partial sum would understate the score."


def with_note(described: str, note: str | None) -> str:
    """An item's value, with how it was derived when the note adds something."""
    if not note:
        return described
    if note.startswith(described):
        return note
    return f"{described} ({note})"


# --- A score is a table first ------------------------------------------------------------------

V = TypeVar("V")


@dataclass(frozen=True)
class ItemTable(Generic[V]):
    """One item of a published score: its name and the points for each allowed value.

    `points` is the paper's table for the item; `describe` turns a value into the words shown
    beside the points (a note on how the value was derived is added by `item`).
    """

    name: str
    points: Mapping[V, int]  # published points are whole numbers
    describe: Callable[[V], str] = str
    annotate: Callable[[str, str | None], str] = with_note  # how a derivation note joins the value

    def item(self, value: V | None, note: str | None = None) -> Item:
        if value is None:
            return Item(self.name, None, None)
        return Item(self.name, self.annotate(self.describe(value), note), self.points[value])

    @property
    def span(self) -> tuple[float, float]:
        """Lowest and highest points any allowed value gives."""
        values = self.points.values()
        return min(values), max(values)


def flag_table(name: str, points: int) -> ItemTable[bool]:
    """A yes/no item: `points` when present, 0 when absent."""
    return ItemTable(name, {False: 0, True: points}, lambda present: "yes" if present else "no")


def total_range(items: tuple[Item, ...], spans: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """Best and worst total over the allowed values of every unknown item (known items fixed)."""
    low = high = 0.0
    for name, _, points in items:
        if points is None:
            item_low, item_high = spans[name]
            low += item_low
            high += item_high
        else:
            low += points
            high += points
    return low, high


def narrowest_unknown(items: tuple[Item, ...], spans: Mapping[str, tuple[float, float]]) -> str | None:
    """The unknown item whose allowed points spread widest: knowing it narrows the range most."""
    best: str | None = None
    width = -1.0
    for name, _, points in items:
        if points is None:
            low, high = spans[name]
            if high - low > width:
                best, width = name, high - low
    return best


def range_text(
    items: tuple[Item, ...],
    spans: Mapping[str, tuple[float, float]],
    band_label: Callable[[float], str],
    label: str,
) -> str:
    """'Range if the unknowns were known: ...' for an incomplete score (never a point total)."""
    low, high = total_range(items, spans)
    low_band, high_band = band_label(low), band_label(high)
    bands = low_band if low_band == high_band else f"{low_band} to {high_band}"
    narrowest = narrowest_unknown(items, spans)
    return (
        f"Range over the allowed values of the unknown items: {label} {low:g}-{high:g} ({bands}); "
        f"{narrowest} would narrow it most."
    )


@dataclass(frozen=True)
class ScoreTable:
    """A score's item tables, band function and citation; `result` does the shared arithmetic."""

    name: ScoreName
    label: str
    items: tuple[ItemTable[Any], ...]
    band_of: Callable[[float], str]
    citation: Citation
    higher_is_worse: bool
    range_band: Callable[[float], str] | None = None  # band wording in the range text; band_of if None

    @property
    def spans(self) -> dict[str, tuple[float, float]]:
        return {table.name: table.span for table in self.items}

    def result(
        self,
        scored: tuple[Item, ...],
        interpretation: Callable[[float], str],
        incomplete: Callable[[tuple[Item, ...]], str],
        lesion_index: int | None = None,
    ) -> ScoreResult:
        """Total, band and text; with unknowns, no total but the best/worst-case range."""
        total = total_of(scored)
        if total is not None:
            return ScoreResult(
                name=self.name,
                items=scored,
                total=total,
                band=self.band_of(total),
                interpretation=interpretation(total),
                citation=self.citation,
                higher_is_worse=self.higher_is_worse,
                lesion_index=lesion_index,
            )
        spans = self.spans
        ranged = range_text(scored, spans, self.range_band or self.band_of, self.label)
        return ScoreResult(
            name=self.name,
            items=scored,
            total=None,
            band=None,
            interpretation=f"{incomplete(scored)} {ranged}",
            citation=self.citation,
            higher_is_worse=self.higher_is_worse,
            lesion_index=lesion_index,
            total_range=total_range(scored, spans),
            narrowest_unknown=narrowest_unknown(scored, spans),
        )
