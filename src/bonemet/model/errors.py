"""Readable validation errors: the field path, the bad value and what is allowed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError


def field_path(loc: Sequence[int | str]) -> str:
    """('lesions', 0, 'size_cm') -> 'lesions[0].size_cm'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(root)"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def describe_errors(error: ValidationError) -> list[str]:
    """One line per problem: 'lesions[0].size_cm: -2 is not allowed: Input should be greater than 0'."""
    lines = []
    for item in error.errors(include_url=False):
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        where = field_path(loc)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "json_invalid":
            lines.append(f"{where}: not valid JSON: {message}")
        elif item["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown field (check the spelling against `bonemet schema case`)")
        elif item["type"] == "missing":
            lines.append(f"{where}: required field is missing")
        else:
            lines.append(f"{where}: {_shown(item.get('input'))} is not allowed: {message}")
    return lines


class CaseError(ValueError):
    """A case that cannot be read; `problems` holds one readable line per bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
