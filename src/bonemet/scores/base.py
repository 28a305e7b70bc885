"""The shape every score shares: itemised points, total, band, interpretation, citation.

A score never sums incomplete items: when any item is unknown the total is None and
`missing_items` names what is needed.
"""

from __future__ import annotations

from typing import NamedTuple

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
