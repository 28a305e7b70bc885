"""The citation registry: every source bonemet uses, in one place.

Other knowledge modules and every score refer to sources by key (`cite("mirels1989")`),
so a reference is written once and shown the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    key: str
    label: str  # short form shown beside a line, e.g. "Mirels 1989"
    reference: str  # full reference
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.label}: {self.reference}"

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
