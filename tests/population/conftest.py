"""One small synthetic export, screened once on DuckDB and once on Spark local mode, shared by the tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bonemet.population.engines import DuckDbEngine, SparkEngine
from bonemet.population.screen import ScreenResult, run_screen
from bonemet.population.synth import GROUND_TRUTH_FILE, synthesize

PATIENTS = 200
SEED = 11


@dataclass(frozen=True)
class Screen:
    result: ScreenResult
    out: Path


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    synthesize(PATIENTS, SEED, folder)
    return folder


@pytest.fixture(scope="session")
def truth(export: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((export / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def duckdb_screen(export: Path, tmp_path_factory: pytest.TempPathFactory) -> Screen:
    out = tmp_path_factory.mktemp("duckdb")
    engine = DuckDbEngine()
    try:
        return Screen(run_screen([export], out, engine, chunk_size=7), out)
    finally:
        engine.close()


@pytest.fixture(scope="session")
def spark_screen(export: Path, tmp_path_factory: pytest.TempPathFactory) -> Screen:
    # No skip: Spark local mode needs Java, which `make test` installs (scripts/ensure-java.sh).
    out = tmp_path_factory.mktemp("spark")
    engine = SparkEngine(master="local[2]")
    try:
        return Screen(run_screen([export], out, engine, chunk_size=7), out)
    finally:
        engine.close()
