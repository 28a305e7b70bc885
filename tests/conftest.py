"""Shared test helpers: build cases the way users do (JSON-shaped dicts) and read the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bonemet.model import Assessment, Recommendation, parse_case
from bonemet.pathway import assess
from bonemet.store import AuditStore

TODAY = dt.date(2026, 11, 25)


def run(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(data), today=TODAY)


def codes(assessment: Assessment) -> set[str]:
    return {r.code.value for r in assessment.recommendations}


def declined(assessment: Assessment) -> set[str]:
    return {n.code.value for n in assessment.not_recommended}


def rec(assessment: Assessment, code: str, lesion_index: int | None = None) -> Recommendation:
    for r in assessment.recommendations:
        if r.code.value == code and (lesion_index is None or r.lesion_index == lesion_index):
            return r
    raise AssertionError(f"{code} not recommended; got {sorted(codes(assessment))}")


def missing_fields(assessment: Assessment) -> set[str]:
    return {m.field for m in assessment.missing}


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[AuditStore]:
    """A throwaway SQLite audit store for one test."""
    audit = AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    yield audit
    audit.close()
