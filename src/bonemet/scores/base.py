"""The shape every score shares: itemised points, total, band, interpretation, citation.

A score never sums incomplete items: when any item is unknown the total is None and
`missing_items` names what is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation
from bonemet.model import ScoreOut
from bonemet.model.vocabulary import ScoreName


@dataclass(frozen=True)
class Item:
    name: str
    value: str | None  # what the item was scored from; None when unknown
    points: float | None  # None when unknown


@dataclass(frozen=True)
class ScoreResult:
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
        return tuple(item.name for item in self.items if item.points is None)

    @property
    def complete(self) -> bool:
        return self.total is not None

    def to_out(self) -> ScoreOut:
        # One validate call on plain data lets pydantic-core build the nested items in one pass.
        return ScoreOut.model_validate(
            {
                "name": self.name,
                "lesion_index": self.lesion_index,
                "total": self.total,
                "band": self.band,
                "items": [{"item": i.name, "value": i.value, "points": i.points} for i in self.items],
                "missing_items": list(self.missing_items),
                "interpretation": self.interpretation,
                "citation": str(self.citation),
                "higher_is_worse": self.higher_is_worse,
            }
        )


def total_of(items: tuple[Item, ...]) -> float | None:
    """Sum of the points, or None when any item is unknown (never a partial sum)."""
    points = [item.points for item in items]
    if any(p is None for p in points):
        return None
    return float(sum(p for p in points if p is not None))


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
