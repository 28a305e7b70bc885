"""The clinical pathway: assess(case) -> Assessment. Pure and deterministic."""

from __future__ import annotations

from bonemet.pathway.assess import assess

__all__ = ["assess"]
