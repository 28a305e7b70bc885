"""The report reader's time per report is bounded: hostile text built to make regular
expressions backtrack, or spaCy's tokenizer re-scan a long token, is read in a child process
that must finish before a generous deadline (this is a liveness test, not a timing test; the
benchmarks measure speed). `make test` uses 20,000-character texts, `make stress` the full
100,000 that the service accepts by default (BONEMET_MAX_REPORT_CHARS).

Before the fix, "2" followed by 4,000 spaces took 214 s (cubic backtracking in the size
pattern) and 6,000 '(' took 3 s (quadratic suffix search in spaCy's tokenizer)."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from bonemet.nlp import read_report

LENGTH = int(os.environ.get("BONEMET_HOSTILE_REPORT_CHARS", "20000"))
DEADLINE_SECONDS = 60.0
SENTENCE = "Lytic lesion in the T11 vertebral body measuring 2.4 cm, cannot exclude metastasis. "

HOSTILE = {
    "one long word": "a" * LENGTH,
    "spaces after a finding": "lytic" + " " * LENGTH + "x",
    "a number then spaces": "2" + " " * LENGTH + "x",
    "spaces before a percent": "loss of " + " " * LENGTH + "%",
    "spaces after a bound": "more than " + " " * LENGTH,
    "opening brackets": "(" * LENGTH,
    "closing brackets": ")" * LENGTH,
    "hyphens": "left " + "-" * LENGTH + " femur",
    "a level and hyphens": "T" + "-" * LENGTH,
    "a chain of levels": "-".join(f"T{i % 12 + 1}" for i in range(LENGTH // 3)),
    "dots": "1." * (LENGTH // 2),
    "dimensions without a unit": "3.1 x " * (LENGTH // 6) + "cm",
    "colons": "a:" * (LENGTH // 2),
    "blank lines": "FINDINGS:" + "\n" * LENGTH,
    "sides without a bone": "left the " * (LENGTH // 9) + "femur",
    "segments without a bone": "left " + "proximal distal " * (LENGTH // 16),
    "findings in every sentence": SENTENCE * (LENGTH // len(SENTENCE)),
    "unicode": "\u00e9\u0130\u2013\u00d7" * (LENGTH // 4),
}


def _read(text: str) -> None:
    read_report(text[: LENGTH + 16])


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_report_text_is_read_before_the_deadline(name: str) -> None:
    child = multiprocessing.get_context("fork").Process(target=_read, args=(HOSTILE[name],))
    child.start()
    child.join(DEADLINE_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"reading {name!r} ({LENGTH} characters) took longer than {DEADLINE_SECONDS:.0f} s")
    assert child.exitcode == 0, f"reading {name!r} failed in the child (exit code {child.exitcode})"


def test_overlong_runs_are_cut_without_moving_any_evidence() -> None:
    """A run of 300 '#' before a finding: the finding's evidence still indexes the original text."""
    text = "#" * 300 + " Lytic lesion of the left femur. IMPRESSION: lytic metastasis of the left femur."
    reading = read_report(text)
    femur = [f for f in reading.findings if f.bone is not None and f.bone.value == "femur"]
    assert femur, reading
    for finding in reading.findings:
        assert finding.span[0] >= 300
        assert text[finding.span[0] : finding.span[1]] == finding.text
