"""Repeat the December 2026 red team's attacks (issue 13) against a real `bonemet serve` on
loopback and print how many held and how many broke (`make stress` runs it).

Two servers are started: one with 2 workers and the audit store off (JWT replay across workers
and restarts), one with 1 worker, the JSON API authenticated and rate-limited, and short FHIR
and header deadlines (everything else). Loopback helpers play the EHR's FHIR server (which
records what it is asked), a FHIR server that trickles one byte every 0.3 s, and a JWK Set URL.
Each attack prints `held` or `BROKE` with what came back; the exit code is non-zero when any broke.

    python scripts/redteam.py
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

import asyncio  # noqa: E402

import httpx  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse, StreamingResponse  # noqa: E402
from joserfc import jwt  # noqa: E402
from tests.service.helpers import (  # noqa: E402
    example_case,
    free_port,
    hook_request,
    jwks_app,
    prefetch_for,
    running,
)

from bonemet.fhir import case_resources  # noqa: E402
from bonemet.service import PATIENT_VIEW  # noqa: E402
from bonemet.service.ehr_simulator import SimulatedEhr  # noqa: E402

BONEMET = str(Path(sys.executable).parent / "bonemet")
API_KEY, RATE_KEY = "redteam-api-key", "redteam-rate-key"
SENTENCE = "Lytic lesion in the T11 vertebral body measuring 2.4 cm, cannot exclude metastasis. "
results: list[tuple[str, str, bool, str]] = []  # (break, attack, held, what came back)


def attack(name: str, label: str) -> Callable[[Callable[[], tuple[bool, str]]], None]:
    def run(body: Callable[[], tuple[bool, str]]) -> None:
        try:
            held, seen = body()
        except Exception as error:  # an attack that crashes the harness counts as broken
            held, seen = False, f"{type(error).__name__}: {error}"[:200]
        results.append((name, label, held, seen))
        print(f"  {'held ' if held else 'BROKE'} {name:<10} {label}: {seen}", flush=True)

    return run


def capture_app(seen: list[str]) -> FastAPI:
    app = FastAPI()

    @app.get("/{path:path}")
    async def anything(request: Request, path: str) -> JSONResponse:
        query = request.scope["query_string"].decode()
        seen.append(request.scope["raw_path"].decode() + (f"?{query}" if query else ""))
        return JSONResponse({"resourceType": "Bundle", "type": "searchset", "entry": []})

    return app


def trickle_app() -> FastAPI:
    app = FastAPI()

    @app.get("/{path:path}")
    async def slow(path: str) -> StreamingResponse:
        async def drip() -> AsyncIterator[bytes]:
            for _ in range(400):
                yield b" "
                await asyncio.sleep(0.3)

        return StreamingResponse(drip(), media_type="application/fhir+json")

    return app


@contextmanager
def serve(env: dict[str, str], log: Path, workers: int) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BONEMET_")}
    environment |= {"BONEMET_PUBLIC_URL": base, **env}
    command = [BONEMET, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "debug"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not start; see {log}")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def replay_attacks(ehr: SimulatedEhr, scratch: Path) -> None:
    print("[server 1: 2 workers, BONEMET_AUDIT=0]", flush=True)
    env = {
        "BONEMET_AUDIT": "0",
        "BONEMET_DATABASE_URL": f"sqlite:///{scratch / 'replay.sqlite3'}",
        "BONEMET_TRUSTED_ISSUERS": json.dumps({ehr.issuer: {"jwks": ehr.jwks()}}),
    }
    body = hook_request(prefetch=prefetch_for(example_case("08_zoledronic")))
    log = scratch / "server1.log"
    with serve(env, log, workers=2) as base:
        url = f"{base}/cds-services/{PATIENT_VIEW}"

        def post(token: str) -> int:
            with httpx.Client() as client:  # a new connection each time: any worker may answer
                return client.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code

        token = ehr.token(url)

        @attack("B5", "one token 10 times in sequence, new connections, 2 workers")
        def _() -> tuple[bool, str]:
            codes = [post(token) for _ in range(10)]
            return codes.count(200) == 1, str(codes)

        concurrent = ehr.token(url)

        @attack("B5", "one token 20 times concurrently, 2 workers")
        def _() -> tuple[bool, str]:
            with ThreadPoolExecutor(20) as pool:
                codes = list(pool.map(lambda _: post(concurrent), range(20)))
            return codes.count(200) == 1, f"{codes.count(200)} x 200"

    with serve(env, log, workers=2) as base:
        url = f"{base}/cds-services/{PATIENT_VIEW}"

        @attack("B5", "a used token after a restart")
        def _() -> tuple[bool, str]:
            response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
            return response.status_code == 401, str(response.status_code)


def main_attacks(ehr: SimulatedEhr, other: SimulatedEhr, scratch: Path) -> None:
    seen: list[str] = []
    good_port, slow_port, jwks_port, foreign_port = free_port(), free_port(), free_port(), free_port()
    good, slow = f"http://127.0.0.1:{good_port}/fhir", f"http://127.0.0.1:{slow_port}/fhir"
    foreign_seen: list[str] = []
    trust = {
        ehr.issuer: {"jwks": ehr.jwks(), "fhir_servers": [good, slow]},
        other.issuer: {"jwks_url": f"http://127.0.0.1:{jwks_port}/jwks.json"},
    }
    env = {
        "BONEMET_DATABASE_URL": f"sqlite:///{scratch / 'audit.sqlite3'}",
        "BONEMET_TRUSTED_ISSUERS": json.dumps(trust),
        "BONEMET_API_AUTH": "on",
        "BONEMET_API_KEYS": f"{API_KEY},{RATE_KEY}",
        "BONEMET_API_RATE_PER_MINUTE": "60",
        "BONEMET_FHIR_DEADLINE_SECONDS": "1",
        "BONEMET_FHIR_TIMEOUT_SECONDS": "1",
        "BONEMET_HEADER_TIMEOUT_SECONDS": "2",
    }
    log = scratch / "server2.log"
    print("[server 2: 1 worker, API authenticated and rate-limited]", flush=True)
    with (
        running(capture_app(seen), port=good_port),
        running(trickle_app(), port=slow_port),
        running(jwks_app(other.jwks()), port=jwks_port),
        running(capture_app(foreign_seen), port=foreign_port),
        serve(env, log, workers=1) as base,
    ):
        hook_url = f"{base}/cds-services/{PATIENT_VIEW}"
        prefetched = hook_request(prefetch=prefetch_for(example_case("03_hypercalcaemia")))
        key = {"X-API-Key": API_KEY}

        def hook(body: dict[str, Any], issuer: SimulatedEhr = ehr, **claims: Any) -> httpx.Response:
            headers = issuer.authorization(hook_url, **claims)
            return httpx.post(hook_url, json=body, headers=headers, timeout=60)

        @attack("B10", "iat 30 days ago, exp in 3,500 s")
        def _() -> tuple[bool, str]:
            now = int(time.time())
            token = ehr.token(hook_url, now=now - 30 * 86400, claims={"exp": now + 3500})
            response = httpx.post(hook_url, json=prefetched, headers={"Authorization": f"Bearer {token}"}, timeout=30)
            return response.status_code == 401, str(response.status_code)

        @attack("JWT", "alg none; expired; jku off the allow list")
        def _() -> tuple[bool, str]:
            now = int(time.time())
            claims = {"iss": ehr.issuer, "aud": hook_url, "iat": now, "exp": now + 300, "jti": f"j{now}"}
            import base64

            def b64(data: dict[str, Any]) -> str:
                return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

            none = f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': ehr.kid})}.{b64(claims)}."
            expired = ehr.token(hook_url, now=now - 1000)
            jku = jwt.encode(
                {"alg": "ES384", "typ": "JWT", "kid": ehr.kid, "jku": "http://127.0.0.1:9/jwks.json"},
                {**claims, "jti": f"k{now}"},
                ehr.key,
                algorithms=["ES384"],
            )
            codes = [
                httpx.post(hook_url, json=prefetched, headers={"Authorization": f"Bearer {t}"}, timeout=30).status_code
                for t in (none, expired, jku)
            ]
            return codes == [401, 401, 401], str(codes)

        @attack("B6", "a JWT in the query string, then the access log")
        def _() -> tuple[bool, str]:
            token = ehr.token(hook_url)
            refused = httpx.post(f"{hook_url}?access_token={token}", json=prefetched, timeout=30)
            time.sleep(0.5)
            logged = token in log.read_text(errors="replace")
            return refused.status_code == 401 and not logged, f"{refused.status_code}, in the log: {logged}"

        @attack("B4", "fhirServer off the allow list, with fhirAuthorization")
        def _() -> tuple[bool, str]:
            response = hook(hook_request(fhir_server=f"http://127.0.0.1:{foreign_port}/fhir"))
            return not foreign_seen, f"{response.status_code}, {len(foreign_seen)} GETs reached it"

        @attack("B9", "patientId '../../jwks.json?x=' and 'p1&_count=1000&_include=*'")
        def _() -> tuple[bool, str]:
            seen.clear()
            for patient in ("../../jwks.json?x=", "p1&_count=1000&_include=*"):
                hook(hook_request(fhir_server=good, context={"patientId": patient}))
            bad = [
                s
                for s in seen
                if not s.startswith("/fhir/") or {"_count", "_include"} & set(parse_qs(s.partition("?")[2]))
            ]
            return bool(seen) and not bad, f"{len(seen)} GETs, {len(bad)} outside the base or with added parameters"

        @attack("B1", "13 hook calls against a trickling FHIR server")
        def _() -> tuple[bool, str]:
            def one(_: int) -> tuple[int, float]:
                started = time.monotonic()
                status = hook(hook_request(fhir_server=slow)).status_code
                return status, time.monotonic() - started

            with ThreadPoolExecutor(13) as pool:
                calls = list(pool.map(one, range(13)))
            longest = max(seconds for _, seconds in calls)
            return longest < 10, f"statuses {sorted({s for s, _ in calls})}, longest {longest:.1f} s"

        @attack("B1", "right after: a good tenant's fetch, and a new issuer's JWK Set")
        def _() -> tuple[bool, str]:
            partial = dict(prefetched["prefetch"])
            del partial["conditions"]
            fetched = hook({**hook_request(prefetch=partial, fhir_server=good)})
            keys = hook(prefetched, issuer=other)
            return fetched.status_code == 200 and keys.status_code == 200, f"{fetched.status_code}, {keys.status_code}"

        @attack("B10r", "prefetch keys left out, FHIR server unreachable: critical card kept")
        def _() -> tuple[bool, str]:
            partial = dict(prefetched["prefetch"])
            del partial["diagnosticReports"], partial["imagingStudies"]
            response = hook(hook_request(prefetch=partial, fhir_server=slow))
            cards = response.json().get("cards", []) if response.status_code == 200 else []
            critical = bool(cards) and cards[0]["indicator"] == "critical"
            return critical, f"{response.status_code}, first card critical: {critical}"

        report_case = example_case("19_report_text").model_dump(mode="json", exclude_none=True)
        report_case["imaging"][0]["report_text"] = (SENTENCE * 2000)[:100_000]

        @attack("B2", "/healthz while a 100,000-character report is read")
        def _() -> tuple[bool, str]:
            done: dict[str, float] = {}

            def assess() -> None:
                httpx.post(f"{base}/api/assess", json=report_case, headers=key, timeout=120)
                done["assess"] = time.monotonic()

            worker = threading.Thread(target=assess)
            worker.start()
            time.sleep(0.5)
            started = time.monotonic()
            httpx.get(f"{base}/healthz", timeout=120)
            waited = time.monotonic() - started
            worker.join()
            return waited < 1.0, f"/healthz waited {waited:.2f} s"

        form = {"patient.age_years": "64", "cancer.primary": "breast"}
        for i in range(4):
            form |= {f"imaging[{i}].modality": "mri", f"imaging[{i}].report_text": (SENTENCE * 400)[:30_000]}

        @attack("B3", "case form with 4 x 30,000 characters of reports")
        def _() -> tuple[bool, str]:
            response = httpx.post(f"{base}/assessment", data=form, timeout=120)
            return response.status_code == 422, str(response.status_code)

        def upload(content: bytes) -> httpx.Response:
            files = {"bundle": ("bundle.json", content, "application/json")}
            return httpx.post(f"{base}/assessment/fhir", files=files, timeout=120)

        @attack("B8", "web FHIR upload nested 100,000 deep; 40,000 entries")
        def _() -> tuple[bool, str]:
            deep = upload(b"[" * 100_000 + b"]" * 100_000)
            patient = {"resource": {"resourceType": "Patient", "id": "p"}}
            many = upload(
                json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [patient] * 40_000}).encode()
            )
            return (deep.status_code, many.status_code) == (422, 422), f"{deep.status_code}, {many.status_code}"

        @attack("B3", "web FHIR upload with 2 x 60,000 characters of reports")
        def _() -> tuple[bool, str]:
            case = example_case("19_report_text")
            text = (SENTENCE * 800)[:60_000]
            case = case.model_copy(update={"imaging": [case.imaging[0].model_copy(update={"report_text": text})] * 2})
            entries = [{"resource": r} for r in case_resources(case, "p1")]
            response = upload(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode())
            return response.status_code == 422, str(response.status_code)

        @attack("B7", "JSON API without credentials; with a wrong key")
        def _() -> tuple[bool, str]:
            case = example_case("08_zoledronic").model_dump(mode="json", exclude_none=True)
            codes = [
                httpx.post(f"{base}/api/assess", json=case, timeout=30).status_code,
                httpx.post(f"{base}/api/assess", json=case, headers={"X-API-Key": "nope"}, timeout=30).status_code,
                httpx.post(f"{base}/api/assess", json=case, headers=key, timeout=30).status_code,
            ]
            return codes == [401, 401, 200], str(codes)

        @attack("B7", "JSON API flood from one client (60 a minute allowed)")
        def _() -> tuple[bool, str]:
            case = example_case("08_zoledronic").model_dump(mode="json", exclude_none=True)
            with httpx.Client(headers={"X-API-Key": RATE_KEY}, timeout=30) as client:
                codes = [client.post(f"{base}/api/assess", json=case).status_code for _ in range(30)]
                retry = client.post(f"{base}/api/assess", json=case).headers.get("Retry-After")
            return 429 in codes and retry is not None, f"{codes.count(200)} x 200, {codes.count(429)} x 429"

        @attack("B7", "audit rows hold no case id and no report passage")
        def _() -> tuple[bool, str]:
            from sqlalchemy import create_engine, text

            planted = dict(report_case, id="MRN-REDTEAM-1")
            planted["imaging"] = [dict(report_case["imaging"][0], report_text="Lytic lesion in T5 REDTEAMMARK.")]
            httpx.post(f"{base}/api/assess", json=planted, headers=key, timeout=60)
            engine = create_engine(env["BONEMET_DATABASE_URL"])
            with engine.connect() as connection:
                rows = [r for (r,) in connection.execute(text("SELECT output_json FROM assessment_record"))]
            engine.dispose()
            leaked = [r for r in rows if "MRN-REDTEAM-1" in r or "REDTEAMMARK" in r or "Lytic lesion in T5" in r]
            return bool(rows) and not leaked, f"{len(rows)} rows, {len(leaked)} with the planted id or text"

        @attack("limits", "6 MiB body; JSON nested 100,000 deep on /api/assess")
        def _() -> tuple[bool, str]:
            big = httpx.post(f"{base}/api/assess", content=b"{" + b" " * (6 << 20) + b"}", headers=key, timeout=60)
            deep = httpx.post(f"{base}/api/assess", content=b"[" * 100_000 + b"]" * 100_000, headers=key, timeout=60)
            return (big.status_code, deep.status_code) == (413, 422), f"{big.status_code}, {deep.status_code}"

        @attack("slowloris", "50 connections that never finish their headers")
        def _() -> tuple[bool, str]:
            host, port = base.removeprefix("http://").split(":")
            sockets = [socket.create_connection((host, int(port)), timeout=10) for _ in range(50)]
            for s in sockets:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            time.sleep(3.5)  # the header timeout is 2 s
            closed = 0
            for s in sockets:
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                    s.settimeout(2)
                    closed += s.recv(1) == b""
                except OSError:
                    closed += 1
                finally:
                    s.close()
            healthy = httpx.get(f"{base}/healthz", timeout=10).status_code == 200
            return closed == 50 and healthy, f"{closed}/50 closed by the server, /healthz ok: {healthy}"


def main() -> int:
    ehr = SimulatedEhr(issuer="https://ehr.example.org", kid="redteam-1", algorithm="ES384")
    other = SimulatedEhr(issuer="https://other-ehr.example.org", kid="redteam-2", algorithm="ES384")
    with tempfile.TemporaryDirectory(prefix="bonemet-redteam-") as scratch:
        replay_attacks(ehr, Path(scratch))
        main_attacks(ehr, other, Path(scratch))
    held = sum(1 for *_, ok, _ in results if ok)
    broke = len(results) - held
    print(f"\nred-team replay: {len(results)} attacks, {held} held, {broke} broke")
    return 1 if broke else 0


if __name__ == "__main__":
    raise SystemExit(main())
