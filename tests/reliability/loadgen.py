"""A real bonemet server in a child process, and a load generator for it (httpx, asyncio).

Used by the fast load/crash/log tests in tests/reliability and by scripts/stress.py (make stress).
Traffic goes to 127.0.0.1 only; every loop is bounded in time.

The server is what `bonemet serve` runs: uvicorn with `bonemet.service:app_from_env`, configured
by BONEMET_* variables, authentication on (a simulated EHR's key is trusted), the audit store at
the given URL. The load is the two calls a hospital makes most: the patient-view hook (with
prefetch, a fresh signed JWT each time) and POST /api/assess.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select, text

from bonemet.cli.serve import KEEP_ALIVE_SECONDS
from bonemet.service import PATIENT_VIEW
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.store import AuditStore
from bonemet.store.audit import normalise_url
from bonemet.store.models import AssessmentRecord
from tests.service.helpers import FHIR_BASE, example_case, free_port, prefetch_for

HOST = "127.0.0.1"  # loopback only
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ("01_impending", "02_cord", "08_zoledronic", "10_unstable", "16_myeloma", "19_report_text")
_RECORD_IN_CARDS = re.compile(r"/assessments/([0-9a-f-]{36})")


class Server:
    """`python -m uvicorn --factory bonemet.service:app_from_env` on a free loopback port."""

    def __init__(self, database_url: str, log_path: Path, ehr: SimulatedEhr, log_level: str = "info") -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.ehr = ehr
        self.log_level = log_level
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BONEMET_")}
        env.update(
            BONEMET_DATABASE_URL=self.database_url,
            BONEMET_PUBLIC_URL=self.base_url,
            BONEMET_TRUSTED_ISSUERS=json.dumps(
                {self.ehr.issuer: {"jwks": self.ehr.jwks(), "fhir_servers": [FHIR_BASE]}}
            ),
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])),
        )
        return env

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "uvicorn", "--factory", "bonemet.service:app_from_env"]
        command += ["--host", HOST, "--port", str(self.port), "--log-level", self.log_level]
        command += ["--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)]  # as `bonemet serve` does
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is flushed that was not already."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass
class LoadResult:
    requests: int = 0
    answered_200: int = 0
    errors: list[str] = field(default_factory=list)  # a non-200 answer, or a failure while the server was up
    cut: int = 0  # requests in flight, or refused, once the server had been killed
    acknowledged: set[str] = field(default_factory=set)  # record ids of assessments answered 200
    latencies: list[float] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "answered_200": self.answered_200,
            "errors": len(self.errors),
            "cut_by_kill": self.cut,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(0.5) * 1000, 1),
            "p95_ms": round(self.percentile(0.95) * 1000, 1),
            "p99_ms": round(self.percentile(0.99) * 1000, 1),
            "by_kind": dict(self.by_kind),
        }


@dataclass(frozen=True)
class Workload:
    """Bodies prepared once: example cases for /api/assess, their prefetch for the hook."""

    cases: list[dict[str, Any]]
    prefetches: list[dict[str, Any]]

    @classmethod
    def from_examples(cls) -> Workload:
        chosen = [example_case(name) for name in EXAMPLES]
        return cls(
            cases=[json.loads(case.model_dump_json(exclude_none=True)) for case in chosen],
            prefetches=[prefetch_for(case) for case in chosen],
        )


async def _one_call(
    client: httpx.AsyncClient, server: Server, workload: Workload, turn: int
) -> tuple[str, httpx.Response]:
    if turn % 2 == 0:
        audience = f"{server.base_url}/cds-services/{PATIENT_VIEW}"
        body = {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/load", "patientId": "patient"},
            "prefetch": workload.prefetches[turn // 2 % len(workload.prefetches)],
        }
        response = await client.post(
            f"/cds-services/{PATIENT_VIEW}", json=body, headers=server.ehr.authorization(audience)
        )
        return "patient-view", response
    case = workload.cases[turn // 2 % len(workload.cases)]
    return "api-assess", await client.post("/api/assess", json=case)


def _record_id(kind: str, response: httpx.Response) -> str | None:
    if kind == "api-assess":
        record = response.headers.get("X-Bonemet-Record")
        return str(record) if record else None
    found = _RECORD_IN_CARDS.search(response.text)
    return found.group(1) if found else None


async def run_load(
    server: Server,
    *,
    clients: int,
    seconds: float,
    kill_after: float | None = None,
    workload: Workload | None = None,
) -> LoadResult:
    """`clients` concurrent clients calling for `seconds`; with `kill_after`, the server is
    SIGKILLed that many seconds in, and the calls it cut are counted apart from errors."""
    workload = workload or Workload.from_examples()
    result = LoadResult()
    killed = asyncio.Event()
    started = time.monotonic()
    deadline = started + seconds
    turns = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(120.0)

    async def client_loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline and not killed.is_set():
            turn = next(turns)
            began = time.monotonic()
            try:
                kind, response = await _one_call(client, server, workload, turn)
            except httpx.HTTPError as error:
                result.requests += 1
                if killed.is_set():
                    result.cut += 1
                else:
                    result.errors.append(f"{type(error).__name__}: {error}")
                continue
            result.requests += 1
            result.by_kind[kind] += 1
            result.latencies.append(time.monotonic() - began)
            if response.status_code != 200:
                result.errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
                continue
            record = _record_id(kind, response)
            if record is None:
                result.errors.append(f"{kind}: 200 without a record id")
                continue
            result.answered_200 += 1
            result.acknowledged.add(record)

    async def killer() -> None:
        if kill_after is None:
            return
        await asyncio.sleep(kill_after)
        killed.set()
        server.kill()

    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=timeout) as client:
        await asyncio.gather(killer(), *(client_loop(client) for _ in range(clients)))
    result.seconds = time.monotonic() - started
    return result


# --- after the run: what the store holds ------------------------------------------------------------


def stored_ids(database_url: str) -> set[str]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return {row[0] for row in connection.execute(select(AssessmentRecord.id))}
    finally:
        engine.dispose()


def integrity_problems(database_url: str) -> list[str]:
    """SQLite: PRAGMA integrity_check. PostgreSQL: amcheck on every B-tree index of the audit
    tables (with heapallindexed: every heap tuple has its index entry). Both: every stored
    output is JSON, and no record id is stored twice."""
    problems: list[str] = []
    engine = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                verdict = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
                if verdict != ["ok"]:
                    problems += [f"integrity_check: {line}" for line in verdict]
            else:
                problems += _amcheck(connection)
            duplicates = connection.execute(
                text("SELECT count(*) - count(DISTINCT id) FROM assessment_record")
            ).scalar_one()
            if duplicates:
                problems.append(f"{duplicates} duplicated record ids")
            for record_id, output in connection.execute(text("SELECT id, output_json FROM assessment_record")):
                try:
                    json.loads(output)
                except (TypeError, ValueError):
                    problems.append(f"record {record_id}: output is not JSON")
    finally:
        engine.dispose()
    return problems


def _amcheck(connection: Any) -> list[str]:
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    indexes = connection.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'btree' AND t.relname IN ('assessment_record', 'card_feedback', 'seen_token')"
        )
    ).all()
    problems = []
    if not indexes:
        problems.append("no B-tree index found to check")
    for (name,) in indexes:
        try:
            connection.execute(text("SELECT bt_index_check(CAST(:name AS regclass), true)"), {"name": name})
        except Exception as error:  # amcheck raises on corruption: report it, keep checking
            problems.append(f"{name}: {type(error).__name__}: {str(error).splitlines()[0]}")
    return problems


def count_rows(database_url: str) -> int:
    store = AuditStore(database_url)
    try:
        return store.count_assessments()
    finally:
        store.close()
