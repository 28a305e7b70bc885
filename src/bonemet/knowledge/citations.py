"""The citation registry: every source bonemet uses, in one place.

Other knowledge modules and every score refer to sources by key (`cite("mirels1989")`),
so a reference is written once and shown the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Citation:
    key: str
    label: str  # short form shown beside a line, e.g. "Mirels 1989"
    reference: str  # full reference
    url: str | None = None

    @cached_property
    def full_text(self) -> str:
        """The full form shown in every output; built once, as every rule cites by it."""
        return f"{self.label}: {self.reference}"

    def __str__(self) -> str:
        return self.full_text

    def __hash__(self) -> int:
        # Keys are unique in the registry; hashing the key alone keeps de-duplication cheap.
        return hash(self.key)


_REGISTRY: dict[str, Citation] = {}


def register(*citations: Citation) -> None:
    for citation in citations:
        if citation.key in _REGISTRY and _REGISTRY[citation.key] != citation:
            raise ValueError(f"citation key {citation.key!r} registered twice with different text")
        _REGISTRY[citation.key] = citation


def cite(key: str) -> Citation:
    """The citation for a key; a KeyError here is a bug in the knowledge base."""
    return _REGISTRY[key]


def all_citations() -> dict[str, Citation]:
    return dict(_REGISTRY)


def unique_citations(citations: Iterable[Citation]) -> list[Citation]:
    """Each citation once, in the order first cited.

    Keyed by the registry key (one citation per key): hashing that string runs in C, while
    hashing the citation calls Python code, and the rules de-duplicate on every assessment.
    """
    return list({citation.key: citation for citation in citations}.values())
