"""Report reader throughput against a bare medspaCy pipeline, measured in the same run.

    python benchmarks/bench_nlp.py [--repeat 7] [--corpus corpus/reports]

Times `bonemet.nlp.read_reports` over every report of the evaluation corpus and, on the
same texts, two bare medspaCy pipelines (tokenizer, sentence splitting, ConText with its
default rules, no targets):
- "bare, rule sentencizer": the medspaCy tokenizer, spaCy's rule-based sentencizer and
  ConText. This is the cheapest bare pipeline and the one the 1.5x target is judged on.
- "bare, PyRuSH": medspaCy's default sentence splitter (PyRuSH) instead, for reference.
Each pipeline is timed `repeat` times in alternation after one warm-up pass; the median
wall time and the median process CPU time are reported. Reports per second per core are
computed from the CPU time of this single-threaded process, so other load on the machine
does not count against it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loguru import logger

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "reports"
TARGET_RATE = 500.0  # reports per second per core (issue 3)
TARGET_RATIO = 1.5  # at most this many times the bare pipeline's time (issue 3)


def _bare_pipeline(sentences: str) -> Any:
    import medspacy

    logger.disable("PyRuSH")
    if sentences == "pyrush":
        return medspacy.load(medspacy_enable=["medspacy_tokenizer", "medspacy_pyrush", "medspacy_context"])
    nlp = medspacy.load(medspacy_enable=["medspacy_tokenizer"])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("medspacy_context")
    return nlp


def _runner_bare(nlp: Any, texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    return run


def _runner_reader(texts: list[str]) -> Callable[[], None]:
    from bonemet.nlp import read_reports

    def run() -> None:
        for _ in read_reports(texts):
            pass

    return run


def _time(run: Callable[[], None]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(texts: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) seconds per pipeline over the texts."""
    from bonemet.nlp.pipeline import pipeline

    pipeline()  # build outside the timing, as a long-running process would
    runners = {
        "bonemet reader": _runner_reader(texts),
        "bare, rule sentencizer": _runner_bare(_bare_pipeline("rule"), texts),
        "bare, PyRuSH": _runner_bare(_bare_pipeline("pyrush"), texts),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
    for run in runners.values():
        run()  # warm-up
    for _ in range(repeat):
        for name, run in runners.items():
            samples[name].append(_time(run))
    return {
        name: (statistics.median(s[0] for s in runs), statistics.median(s[1] for s in runs))
        for name, runs in samples.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bonemet report reader benchmark")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} reports, mean {chars / len(texts):.0f} characters, {args.repeat} repetitions (median)")
    results = measure(texts, args.repeat)
    reader_wall, reader_cpu = results["bonemet reader"]
    baseline_wall, baseline_cpu = results["bare, rule sentencizer"]
    print(f"{'pipeline':28}{'wall s':>9}{'cpu s':>9}{'reports/s/core':>16}{'ratio (cpu)':>13}")
    for name, (wall, cpu) in results.items():
        print(f"{name:28}{wall:9.3f}{cpu:9.3f}{len(texts) / cpu:16.0f}{cpu / baseline_cpu:13.2f}")
    rate, ratio = len(texts) / reader_cpu, reader_cpu / baseline_cpu
    print(
        f"reader: {rate:.0f} reports/s/core (target >= {TARGET_RATE:.0f}), "
        f"{ratio:.2f}x the bare rule-sentencizer pipeline (target <= {TARGET_RATIO}), "
        f"{reader_cpu / results['bare, PyRuSH'][1]:.2f}x the bare PyRuSH pipeline; "
        f"wall-clock ratio {reader_wall / baseline_wall:.2f}x"
    )
    long_text = _long_report(texts, LONG_REPORT_CHARS)
    long_reader = min(_time(_runner_reader([long_text]))[1] for _ in range(3))
    long_bare = min(_time(_runner_bare(_bare_pipeline("rule"), [long_text]))[1] for _ in range(3))
    print(
        f"one {len(long_text):,}-character report: reader {long_reader:.2f} s cpu, "
        f"{long_reader / long_bare:.2f}x the bare rule-sentencizer pipeline on the same text ({long_bare:.2f} s)"
    )
    return 0 if rate >= TARGET_RATE and ratio <= TARGET_RATIO else 1


LONG_REPORT_CHARS = 100_000


def _long_report(texts: list[str], chars: int) -> str:
    """Corpus reports joined until the text reaches `chars` (the service's largest accepted report)."""
    parts: list[str] = []
    size = 0
    while size < chars:
        for text in texts:
            parts.append(text)
            size += len(text) + 2
            if size >= chars:
                break
    return "\n\n".join(parts)[:chars]


if __name__ == "__main__":
    raise SystemExit(main())
