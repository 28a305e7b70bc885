"""The bundled example cases (also at the repository's examples/ folder)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).parent


def example_paths() -> list[Path]:
    """Every example case, in name order; `NAME.expected.json` files hold what tests check."""
    return sorted(p for p in EXAMPLES_DIR.glob("*.json") if not p.name.endswith(".expected.json"))
