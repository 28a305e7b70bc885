"""Population screen throughput: DuckDB at 10,000 (and 100,000) patients, Spark local mode beside it.

For each size: the synthetic export is written once; then, each in its own process so the
peak memory is its own, (1) the floor: DuckDB reading the same NDJSON once
(`read_ndjson_objects`, every line parsed), (2) the DuckDB screen end to end, (3) the Spark
local-mode screen end to end (session start reported apart). Reported: patients per second,
the end-to-end time as a ratio to the floor (target <= 1.5x), and peak resident memory.

The 100,000-patient run takes several minutes on two cores; it runs when
BONEMET_BENCH_100K=1 (and Spark at that size when BONEMET_BENCH_SPARK_100K=1).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = (10_000, 100_000)
SEED = 2026


def _peak_mb() -> float:
    # ru_maxrss is in kB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor(export: Path) -> dict[str, Any]:
    import duckdb

    from bonemet.population.screen import ndjson_files

    files = [str(p) for p in ndjson_files([export])]
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    started = time.perf_counter()
    # Every line read and parsed once (grouped by resource type, so the parse cannot be skipped).
    found = con.execute(
        "SELECT json_extract_string(json, '$.resourceType') AS kind, count(*) "
        "FROM read_ndjson_objects(?, ignore_errors = true) GROUP BY kind",
        [files],
    ).fetchall()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "resources": sum(int(n) for _, n in found), "peak_mb": _peak_mb()}


def _screen(export: Path, engine_name: str) -> dict[str, Any]:
    from bonemet.population.engines import DuckDbEngine, SparkEngine
    from bonemet.population.screen import run_screen

    started = time.perf_counter()
    engine = SparkEngine() if engine_name == "spark" else DuckDbEngine(memory_limit="1GB")
    startup = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        result = run_screen([export], Path(out), engine)
        seconds = time.perf_counter() - began
    engine.close()
    return {
        "seconds": seconds,
        "startup_seconds": startup,
        "cohort": result.cohort_patients,
        "gaps": len(result.gaps),
        "malformed": len(result.malformed),
        "phases": result.seconds,
        "peak_mb": _peak_mb(),
    }


def _child(task: str, export: str, engine: str = "") -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", task, export, engine]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1]
    data: dict[str, Any] = json.loads(last)
    return data


def _run_size(patients: int, spark: bool) -> None:
    from bonemet.population.synth import synthesize

    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export"
        started = time.perf_counter()
        synthesize(patients, SEED, export)
        written = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in export.glob("*.ndjson")) / 1e6
        print(f"\n{patients:,} patients: {size_mb:,.0f} MB of NDJSON written in {written:.1f} s", flush=True)
        floor = _child("floor", str(export))
        print(
            f"  floor, DuckDB reading the NDJSON once: {floor['seconds']:.2f} s "
            f"({floor['resources'] / floor['seconds']:,.0f} resources/s), peak {floor['peak_mb']:.0f} MB",
            flush=True,
        )
        duck = _child("screen", str(export), "duckdb")
        print(
            f"  DuckDB screen: {duck['seconds']:.2f} s = {patients / duck['seconds']:,.0f} patients/s, "
            f"{duck['seconds'] / floor['seconds']:.2f}x the floor (target <= 1.5x); cohort {duck['cohort']:,}, "
            f"gaps {duck['gaps']:,}; peak {duck['peak_mb']:.0f} MB; phases {duck['phases']}",
            flush=True,
        )
        if not spark:
            print("  Spark local mode: skipped at this size (set BONEMET_BENCH_SPARK_100K=1)", flush=True)
            return
        sp = _child("screen", str(export), "spark")
        heap = os.environ.get("BONEMET_SPARK_DRIVER_MEMORY", "1g")
        print(
            f"  Spark local[2] screen: {sp['seconds']:.2f} s = {patients / sp['seconds']:,.0f} patients/s "
            f"({sp['seconds'] / floor['seconds']:.2f}x the floor; session start {sp['startup_seconds']:.1f} s apart); "
            f"Python peak {sp['peak_mb']:.0f} MB (JVM driver heap {heap})",
            flush=True,
        )


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        task, export = sys.argv[2], Path(sys.argv[3])
        engine = sys.argv[4] if len(sys.argv) > 4 else ""
        print(json.dumps(_floor(export) if task == "floor" else _screen(export, engine)))
        return 0
    print("population screen (2 cores shared; figures are order-of-magnitude)")
    _run_size(SIZES[0], spark=True)
    if os.environ.get("BONEMET_BENCH_100K") == "1":
        _run_size(SIZES[1], spark=os.environ.get("BONEMET_BENCH_SPARK_100K") == "1")
    else:
        print("\n100,000 patients: set BONEMET_BENCH_100K=1 (several minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
