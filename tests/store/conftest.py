"""Audit-store fixtures: every test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from BONEMET_TEST_POSTGRES_URL when given, else scripts/postgres-test.sh
starts a throwaway cluster (installing the Debian package first when it is missing). When that
is impossible the PostgreSQL tests fail, saying why: `make test` promises them. On a machine that
cannot run PostgreSQL, BONEMET_ALLOW_NO_POSTGRES=1 turns the failure into a loud skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bonemet.store import AuditStore
from bonemet.store.audit import normalise_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "postgres-test.sh"


def _loud_skip(reason: str) -> None:
    if os.environ.get("BONEMET_ALLOW_NO_POSTGRES") != "1":
        pytest.fail(f"PostgreSQL unavailable: {reason} (BONEMET_ALLOW_NO_POSTGRES=1 skips these tests)")
    banner = "!" * 78
    print(f"\n{banner}\nPOSTGRESQL AUDIT-STORE TESTS SKIPPED: {reason}\n{banner}", file=sys.stderr)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    given = os.environ.get("BONEMET_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        started = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        _loud_skip(f"{SCRIPT.name} could not run ({error})")
    if started.returncode != 0:
        _loud_skip(f"{SCRIPT.name} exited {started.returncode}: {started.stderr.strip()[-500:]}")
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    try:
        yield values["BONEMET_TEST_POSTGRES_URL"]
    finally:
        if "BONEMET_TEST_POSTGRES_DIR" in values:
            subprocess.run([str(SCRIPT), "stop", values["BONEMET_TEST_POSTGRES_DIR"]], check=False, timeout=120)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh database per test on the session's server."""
    name = f"bonemet_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(postgres_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = normalise_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database_url: str) -> Iterator[AuditStore]:
    audit = AuditStore(database_url)
    yield audit
    audit.close()
