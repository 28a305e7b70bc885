"""Long-form load and crash runs against a real bonemet server on loopback (`make stress`).

For each store (SQLite file, and a throwaway PostgreSQL cluster from scripts/postgres-test.sh):
1. load: CLIENTS concurrent clients for SECONDS (patient-view with a signed JWT and prefetch,
   alternating with POST /api/assess); every assessment answered 200 must be a row afterwards;
2. crash: the same load, the server SIGKILLed half way, restarted on the same store; every
   assessment answered 200 before the kill must be there, and the store must pass its integrity
   check (SQLite PRAGMA integrity_check; PostgreSQL amcheck with heapallindexed).

Prints requests, errors, rows and rows lost per run (the figures the README quotes) and exits
non-zero when any run had an error, lost a row, or failed the integrity check.

    python scripts/stress.py [--clients 50] [--seconds 60] [--stores sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from sqlalchemy import create_engine, text  # noqa: E402
from tests.reliability.loadgen import Server, count_rows, integrity_problems, run_load, stored_ids  # noqa: E402

from bonemet.service.ehr_simulator import SimulatedEhr  # noqa: E402
from bonemet.store.audit import normalise_url  # noqa: E402

POSTGRES_SCRIPT = REPO / "scripts" / "postgres-test.sh"


def load_run(url: str, workdir: Path, ehr: SimulatedEhr, clients: int, seconds: float) -> dict[str, Any]:
    with Server(url, workdir / "server.log", ehr, log_level="warning") as server:
        result = asyncio.run(run_load(server, clients=clients, seconds=seconds))
    rows = count_rows(url)
    lost = result.acknowledged - stored_ids(url)
    problems = integrity_problems(url)
    return {
        **result.summary(),
        "rows": rows,
        "rows_lost": len(lost),
        "rows_match_200s": rows == result.answered_200,
        "integrity": "ok" if not problems else problems[:5],
        "first_errors": result.errors[:5],
    }


def crash_run(url: str, workdir: Path, ehr: SimulatedEhr, clients: int, seconds: float) -> dict[str, Any]:
    server = Server(url, workdir / "server.log", ehr, log_level="warning")
    server.start()
    try:
        result = asyncio.run(run_load(server, clients=clients, seconds=seconds, kill_after=seconds / 2))
    finally:
        server.kill()
    lost = result.acknowledged - stored_ids(url)
    problems = integrity_problems(url)
    with Server(url, workdir / "server.log", ehr, log_level="warning") as restarted:
        import httpx

        after = httpx.post(f"{restarted.base_url}/api/assess", json={"id": "after-restart"}, timeout=60)
        serves_again = after.status_code == 200 and after.headers.get("X-Bonemet-Record") in stored_ids(url)
    return {
        **result.summary(),
        "killed_with": "SIGKILL" if server.process is not None and server.process.returncode == -9 else "?",
        "acknowledged_before_kill": len(result.acknowledged),
        "rows_after_restart": count_rows(url),
        "rows_lost": len(lost),
        "integrity": "ok" if not problems else problems[:5],
        "serves_after_restart": serves_again,
        "first_errors": result.errors[:5],
    }


def start_postgres() -> tuple[str, str | None]:
    given = os.environ.get("BONEMET_TEST_POSTGRES_URL")
    if given:
        return given, None
    started = subprocess.run([str(POSTGRES_SCRIPT)], capture_output=True, text=True, timeout=900, check=True)
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    return values["BONEMET_TEST_POSTGRES_URL"], values.get("BONEMET_TEST_POSTGRES_DIR")


def fresh_database(server_url: str) -> str:
    name = f"bonemet_stress_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return normalise_url(server_url).set(database=name).render_as_string(hide_password=False)


def failed(run: dict[str, Any]) -> bool:
    return bool(
        run["errors"]
        or run["rows_lost"]
        or run["integrity"] != "ok"
        or run.get("rows_match_200s") is False
        or run.get("serves_after_restart") is False
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    ehr = SimulatedEhr(issuer="https://ehr.example.org", kid="stress-key-1", algorithm="ES384")
    runs: dict[str, dict[str, Any]] = {}
    postgres_dir: str | None = None
    with tempfile.TemporaryDirectory(prefix="bonemet-stress-") as scratch:
        workdir = Path(scratch)
        try:
            for store in args.stores.split(","):
                if store == "sqlite":
                    urls = [f"sqlite:///{workdir / f'{kind}.sqlite3'}" for kind in ("load", "crash")]
                else:
                    server_url, postgres_dir = start_postgres()
                    urls = [fresh_database(server_url), fresh_database(server_url)]
                print(f"[{store}] load: {args.clients} clients for {args.seconds:g} s ...", flush=True)
                runs[f"{store} load"] = load_run(urls[0], workdir, ehr, args.clients, args.seconds)
                print(f"[{store}] crash: SIGKILL at {args.seconds / 2:g} s ...", flush=True)
                runs[f"{store} crash"] = crash_run(urls[1], workdir, ehr, args.clients, args.seconds)
        finally:
            if postgres_dir:
                subprocess.run([str(POSTGRES_SCRIPT), "stop", postgres_dir], check=False, timeout=120)
            log = workdir / "server.log"
            if any(failed(run) for run in runs.values()) and log.exists():
                print("--- server log (tail) ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))
    print(json.dumps(runs, indent=2))
    print()
    columns = ("requests", "errors", "200s", "rows", "lost", "req/s", "p95 ms")
    print(f"{'run':<18} " + " ".join(f"{c:>9}" for c in columns) + "  integrity")
    for name, run in runs.items():
        rows = run.get("rows", run.get("rows_after_restart"))
        keys = ("requests", "errors", "answered_200")
        values = [*(run[k] for k in keys), rows, run["rows_lost"], run["requests_per_second"], run["p95_ms"]]
        print(f"{name:<18} " + " ".join(f"{v:>9}" for v in values) + f"  {run['integrity']}")
    return 1 if any(failed(run) for run in runs.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
