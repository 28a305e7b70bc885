"""assess() per example case: median time, and its ratio to parsing the same case (same run).

The baseline is `parse_case` on the case's JSON: the cheapest thing any caller must do, so
the ratio says how much the clinical reasoning costs on top of reading the input.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from bonemet.examples import example_paths
from bonemet.model import parse_case
from bonemet.pathway import assess

TODAY = dt.date(2026, 11, 25)
TARGET_US = 100.0


def _median_us(work: Callable[[], object], repeats: int, rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            work()
        samples.append((time.perf_counter() - start) / repeats * 1e6)
    return statistics.median(samples)


def main() -> None:
    print("assess() per example case (median of 7 rounds; baseline: parse_case on the same JSON)")
    print(f"{'case':<48} {'parse µs':>9} {'assess µs':>10} {'ratio':>7}")
    ratios, assess_times = [], []
    for path in example_paths():
        raw = path.read_bytes()
        case = parse_case(raw)
        if any(study.report_text for study in case.imaging):
            continue  # report reading is benchmarked in bench_nlp
        assess(case, today=TODAY)  # warm caches
        parse_us = _median_us(lambda raw=raw: parse_case(raw), 300)
        assess_us = _median_us(lambda case=case: assess(case, today=TODAY), 300)
        ratios.append(assess_us / parse_us)
        assess_times.append(assess_us)
        print(f"{path.stem:<48} {parse_us:9.1f} {assess_us:10.1f} {assess_us / parse_us:7.1f}")
    median_assess = statistics.median(assess_times)
    print(
        f"median assess {median_assess:.1f} µs per case (target <= {TARGET_US:.0f} µs: "
        f"{'met' if median_assess <= TARGET_US else 'NOT met'}); median ratio to parsing "
        f"{statistics.median(ratios):.1f}x"
    )


if __name__ == "__main__":
    main()
