"""Benchmark: CDS Hooks patient-view latency and throughput over loopback.

Starts the bonemet service with uvicorn (authentication on, SQLite audit store, one worker)
and a trivial FastAPI endpoint in a second uvicorn, then drives each with N concurrent
clients (default 50) sending the same prefetch-complete patient-view request, each with a
fresh signed JWT. Reports p50/p95/p99 latency, throughput and errors for both, and their
ratio, measured in the same run on the same machine.

    python benchmarks/bench_service.py [--requests 2000] [--concurrency 50] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from bonemet.examples import example_paths
from bonemet.fhir import case_resources
from bonemet.model import parse_case
from bonemet.service import PATIENT_VIEW
from bonemet.service.ehr_simulator import SimulatedEhr
from bonemet.service.prefetch import prefetch_templates

TARGET_P99_MS = 25.0
TARGET_CONCURRENCY = 50
_PREFETCH_TYPES = {
    "patient": "Patient",
    "observations": "Observation",
    "conditions": "Condition",
    "medicationRequests": "MedicationRequest",
    "medicationStatements": "MedicationStatement",
    "procedures": "Procedure",
    "imagingStudies": "ImagingStudy",
    "diagnosticReports": "DiagnosticReport",
}
_TRIVIAL_APP = textwrap.dedent(
    """
    from typing import Any
    from fastapi import Body, FastAPI

    app = FastAPI()

    @app.post("/cds-services/trivial")
    async def trivial(body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        return {"cards": []}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}
    """
)


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_p50_ms: float | None = None
    server_p99_ms: float | None = None
    cpu_ms_per_request: float | None = None  # the server process's user + system CPU, warm-up included

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _hook_body(case_file: Path) -> dict[str, Any]:
    resources = case_resources(parse_case(case_file.read_text()), "patient")
    prefetch: dict[str, Any] = {}
    for key, kind in _PREFETCH_TYPES.items():
        chosen = [r for r in resources if r["resourceType"] == kind]
        if key == "patient":
            prefetch[key] = chosen[0]
        else:
            prefetch[key] = (
                {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in chosen]}
                if chosen
                else None
            )
    assert set(prefetch) == set(prefetch_templates())
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": "patient"},
        "prefetch": prefetch,
    }


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=sink)


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not start in {timeout} s")


async def _drive(
    name: str,
    url: str,
    body: bytes,
    headers: Sequence[dict[str, str]],
    concurrency: int,
    warmup: int,
    pid: int | None = None,
) -> Result:
    latencies: list[float] = []
    server_times: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(headers)):
        queue.put_nowait(index)
    # One client (one keep-alive connection) per simulated EHR session: a shared httpx pool
    # serialises on its own lock at this concurrency and would measure httpx, not the server.
    clients = [httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=1)) for _ in range(concurrency)]

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                response = await client.post(
                    url, content=body, headers={"Content-Type": "application/json", **headers[index]}
                )
                ok = response.status_code == 200
                timing = response.headers.get("Server-Timing", "")
            except httpx.HTTPError:
                ok, timing = False, ""
            elapsed = time.perf_counter() - started
            if index >= warmup:
                latencies.append(elapsed)
                errors += 0 if ok else 1
                if "dur=" in timing:
                    server_times.append(float(timing.split("dur=")[1].split(";")[0]))

    began = time.perf_counter()
    cpu_before = _process_cpu_seconds(pid) if pid else 0.0
    try:
        await asyncio.gather(*(worker(client) for client in clients))
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    seconds = time.perf_counter() - began
    cpu_ms = (_process_cpu_seconds(pid) - cpu_before) * 1000 / len(headers) if pid else None
    measured = sorted(latencies)
    quantiles = statistics.quantiles(measured, n=100, method="inclusive")
    # The wall time includes the warm-up requests; scale it to the measured share.
    share = len(measured) / len(headers)
    return Result(
        name=name,
        requests=len(measured),
        errors=errors,
        seconds=seconds * share,
        p50_ms=statistics.median(measured) * 1000,
        p95_ms=quantiles[94] * 1000,
        p99_ms=quantiles[98] * 1000,
        max_ms=measured[-1] * 1000,
        server_p50_ms=statistics.median(server_times) if server_times else None,
        server_p99_ms=statistics.quantiles(server_times, n=100, method="inclusive")[98] if server_times else None,
        cpu_ms_per_request=cpu_ms,
    )


def _report(results: list[Result]) -> str:
    lines = [
        "patient-view over loopback; one uvicorn worker per server; auth on; SQLite audit store",
        f"{'endpoint':<30}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>9}",
    ]
    for r in results:
        lines.append(
            f"{r.name:<30}{r.requests:>9}{r.errors:>8}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}"
            f"{r.max_ms:>9.1f}{r.throughput:>9.0f}"
        )
    for bonemet, trivial in zip(results[::2], results[1::2], strict=True):
        lines.append(
            f"{bonemet.name.split('@')[1]}: bonemet/trivial p50 x{bonemet.p50_ms / trivial.p50_ms:.1f}, "
            f"p99 x{bonemet.p99_ms / trivial.p99_ms:.1f}, throughput x{bonemet.throughput / trivial.throughput:.2f}"
        )
        if bonemet.cpu_ms_per_request and trivial.cpu_ms_per_request:
            ratio = bonemet.cpu_ms_per_request / trivial.cpu_ms_per_request
            lines.append(
                f"    server CPU per request: bonemet {bonemet.cpu_ms_per_request:.2f} ms, trivial "
                f"{trivial.cpu_ms_per_request:.2f} ms, x{ratio:.1f} (target at 1 client: <= x2)"
            )
    at_target = [r for r in results[::2] if r.name.endswith(f"@{TARGET_CONCURRENCY} clients")]
    for r in at_target:
        verdict = "met" if r.p99_ms <= TARGET_P99_MS and r.errors == 0 else "NOT met"
        lines.append(f"target p99 <= {TARGET_P99_MS:g} ms, zero errors at {TARGET_CONCURRENCY} clients: {verdict}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per endpoint and level")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured requests first")
    parser.add_argument(
        "--concurrency",
        default=f"1,{TARGET_CONCURRENCY}",
        help="comma-separated numbers of concurrent clients (1 shows the cost of one request alone)",
    )
    parser.add_argument("--case", default="01_impending", help="example case (name part) used for the request")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)

    case_file = next(p for p in example_paths() if options.case in p.name)
    body = json.dumps(_hook_body(case_file)).encode()
    ehr = SimulatedEhr(issuer="https://bench-ehr.example.org", kid="bench-1")
    total = options.requests + options.warmup
    levels = [int(level) for level in options.concurrency.split(",") if level.strip()]

    with tempfile.TemporaryDirectory(prefix="bonemet-bench-") as scratch:
        bonemet_port, trivial_port = _free_port(), _free_port()
        bonemet_url = f"http://127.0.0.1:{bonemet_port}"
        trivial_url = f"http://127.0.0.1:{trivial_port}"
        env = {
            **os.environ,
            "BONEMET_PUBLIC_URL": bonemet_url,
            "BONEMET_TRUSTED_ISSUERS": json.dumps({ehr.issuer: {"jwks": ehr.jwks()}}),
            "BONEMET_DATABASE_URL": f"sqlite:///{Path(scratch) / 'audit.sqlite3'}",
        }
        env.pop("BONEMET_AUTH_DISABLED", None)
        Path(scratch, "trivial_app.py").write_text(_TRIVIAL_APP)
        uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
        servers = [
            _start(
                [*uvicorn, "--factory", "bonemet.service:app_from_env", "--port", str(bonemet_port)],
                env,
                Path(scratch) / "bonemet.log",
            ),
            _start(
                [*uvicorn, "trivial_app:app", "--port", str(trivial_port), "--app-dir", scratch],
                env,
                Path(scratch) / "trivial.log",
            ),
        ]
        try:
            _wait_ready(bonemet_url, servers[0])
            _wait_ready(trivial_url, servers[1])
            audience = f"{bonemet_url}/cds-services/{PATIENT_VIEW}"
            results: list[Result] = []
            for concurrency in levels:
                tokens = [ehr.authorization(audience, lifetime=3600) for _ in range(total)]
                plain: list[dict[str, str]] = [{} for _ in range(total)]
                label = f"@{concurrency} clients"
                results.append(
                    asyncio.run(
                        _drive(
                            f"bonemet patient-view {label}",
                            audience,
                            body,
                            tokens,
                            concurrency,
                            options.warmup,
                            servers[0].pid,
                        )
                    )
                )
                results.append(
                    asyncio.run(
                        _drive(
                            f"trivial FastAPI {label}",
                            f"{trivial_url}/cds-services/trivial",
                            body,
                            plain,
                            concurrency,
                            options.warmup,
                            servers[1].pid,
                        )
                    )
                )
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    if options.json:
        print(json.dumps([asdict(r) | {"throughput": r.throughput} for r in results], indent=2))
    else:
        print(_report(results))
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
