"""Precision, recall and F1 of the report reader on a labelled corpus.

    python -m bonemet.nlp.evaluate corpus [--split dev|heldout|fresh|all] [--errors]

The corpus folder holds reports/*.txt and labels.jsonl, one JSON object per report (see
corpus/README.md for the labelling guide). Report-level status is scored per class with
the macro average; each attribute is scored as sets per report (micro-averaged), the way
the labels are written: the sites, levels, patterns, pathologic fractures, epidural
disease, vertebral collapse and sizes of the metastatic findings a report affirms or
calls possible. A report whose status is negated or not mentioned has none of these.

Labels with `"scope": "status"` (the real-world phrasing classes, `"class": ...`) are scored on
the report-level status and their expected `flags` only. For them the output adds, per class,
the false alarms (a report labelled negated or not mentioned that the reader calls affirmed or
possible), the misses (the reverse) and the flags found; then the report-level confusion matrix
and the overall false-alarm rate and sensitivity.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bonemet.model.vocabulary import (
    EPIDURAL_KINDS,
    PRESENT_STATUSES,
    CollapseBound,
    FindingKind,
    ReportStatus,
)
from bonemet.nlp.reader import read_reports
from bonemet.nlp.reading import Finding, ReportReading

ATTRIBUTES = ("site", "level", "pattern", "fracture", "epidural", "collapse", "size", "mimic")
_LABEL_FIELD = {
    "site": "sites",
    "level": "levels",
    "pattern": "patterns",
    "fracture": "fractures",
    "epidural": "epidural",
    "collapse": "collapse",
    "size": "sizes",
    "mimic": "mimics",
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: set[str], expected: set[str]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)


POSITIVE = frozenset({ReportStatus.affirmed, ReportStatus.possible})


@dataclass
class ClassScore:
    reports: int = 0
    false_alarms: int = 0
    negatives: int = 0
    misses: int = 0
    positives: int = 0
    flags_expected: int = 0
    flags_found: int = 0


@dataclass
class Evaluation:
    reports: int = 0
    classes: dict[str, ClassScore] = field(default_factory=dict)
    confusion: dict[tuple[ReportStatus, ReportStatus], int] = field(default_factory=dict)
    status: dict[ReportStatus, Score] = field(default_factory=lambda: {s: Score() for s in ReportStatus})
    attributes: dict[str, Score] = field(default_factory=lambda: {a: Score() for a in ATTRIBUTES})
    count_correct: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def status_accuracy(self) -> float:
        correct = sum(score.tp for score in self.status.values())
        return correct / self.reports if self.reports else 1.0

    @property
    def status_macro_f1(self) -> float:
        scored = [s for s in self.status.values() if s.tp + s.fp + s.fn]
        return sum(s.f1 for s in scored) / len(scored) if scored else 1.0


def _count_text(count: object) -> str:
    return str(getattr(count, "value", count))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _collapse_amount(finding: Finding) -> str | None:
    """'40', or '>50' for a stated bound, as the labels write it."""
    if finding.collapse_pct is None:
        return None
    signs = {CollapseBound.more_than: ">", CollapseBound.less_than: "<"}
    bound = signs[finding.collapse_bound] if finding.collapse_bound is not None else ""
    return f"{bound}{_number(finding.collapse_pct)}"


def _place(finding: Finding) -> str:
    if finding.level is not None:
        return finding.level.value
    return finding.bone.value if finding.bone is not None else "unspecified"


def predicted_attributes(reading: ReportReading) -> dict[str, set[str]]:
    """The reading in the labels' terms."""
    present = [f for f in reading.findings if f.status in PRESENT_STATUSES]
    metastatic = (
        [f for f in present if f.kind is not FindingKind.mimic]
        if reading.status in (ReportStatus.affirmed, ReportStatus.possible)
        else []
    )
    collapse: dict[str, str | None] = {}
    for f in metastatic:
        if f.kind is FindingKind.vertebral_collapse:
            place = _place(f)
            collapse[place] = collapse.get(place) or _collapse_amount(f)
    lesions = [f for f in metastatic if f.kind is FindingKind.lesion]
    return {
        "site": {f.bone.value for f in metastatic if f.bone is not None},
        "level": {f.level.value for f in metastatic if f.level is not None},
        "pattern": {f.pattern.value for f in lesions if f.pattern is not None},
        "fracture": {_place(f) for f in metastatic if f.kind is FindingKind.pathologic_fracture},
        "epidural": {f.level.value if f.level is not None else "spine" for f in metastatic if f.kind in EPIDURAL_KINDS},
        "collapse": {place if amount is None else f"{place}:{amount}" for place, amount in collapse.items()},
        "size": {_number(round(f.size_cm, 1)) for f in lesions if f.size_cm is not None},
        "mimic": {f.mimic.value for f in present if f.kind is FindingKind.mimic and f.mimic is not None},
    }


def expected_attributes(label: dict[str, Any]) -> dict[str, set[str]]:
    result = {name: {str(v) for v in label.get(_LABEL_FIELD[name], [])} for name in ATTRIBUTES}
    result["size"] = {_number(round(float(v), 1)) for v in label.get("sizes", [])}
    return result


def load_labels(corpus: Path, split: str = "all") -> list[dict[str, Any]]:
    lines = (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    labels = [json.loads(line) for line in lines if line.strip()]
    return [label for label in labels if split == "all" or label.get("split") == split]


def evaluate(corpus: Path, split: str = "all") -> Evaluation:
    labels = load_labels(corpus, split)
    texts = [(corpus / "reports" / label["file"]).read_text(encoding="utf-8") for label in labels]
    result = Evaluation()
    for label, reading in zip(labels, read_reports(texts), strict=True):
        _score_report(result, label, reading)
    return result


def _score_class(result: Evaluation, label: dict[str, Any], reading: ReportReading) -> None:
    expected = ReportStatus(label["status"])
    score = result.classes.setdefault(label.get("class", "original corpus"), ClassScore())
    score.reports += 1
    if expected in POSITIVE:
        score.positives += 1
        score.misses += reading.status not in POSITIVE
    else:
        score.negatives += 1
        score.false_alarms += reading.status in POSITIVE
    found = {flag.value for flag in reading.flags}
    for flag in label.get("flags", []):
        score.flags_expected += 1
        score.flags_found += flag in found
        if flag not in found:
            result.errors.append(f"{label['file']}: flag {flag} missing (got {sorted(found)})")


def _score_report(result: Evaluation, label: dict[str, Any], reading: ReportReading) -> None:
    result.reports += 1
    expected_status = ReportStatus(label["status"])
    key = (expected_status, reading.status)
    result.confusion[key] = result.confusion.get(key, 0) + 1
    _score_class(result, label, reading)
    if label.get("scope") == "status":
        if reading.status is expected_status:
            result.status[expected_status].tp += 1
        else:
            result.status[reading.status].fp += 1
            result.status[expected_status].fn += 1
            result.errors.append(f"{label['file']}: status {reading.status.value}, expected {expected_status.value}")
        return
    if reading.status is expected_status:
        result.status[expected_status].tp += 1
    else:
        result.status[reading.status].fp += 1
        result.status[expected_status].fn += 1
        result.errors.append(f"{label['file']}: status {reading.status.value}, expected {expected_status.value}")
    if _count_text(reading.lesion_count) == _count_text(label.get("lesion_count")):
        result.count_correct += 1
    else:
        result.errors.append(
            f"{label['file']}: lesion_count {_count_text(reading.lesion_count)}, "
            f"expected {_count_text(label.get('lesion_count'))}"
        )
    predicted, expected = predicted_attributes(reading), expected_attributes(label)
    for name in ATTRIBUTES:
        result.attributes[name].add(predicted[name], expected[name])
        if predicted[name] != expected[name]:
            extra, missing = sorted(predicted[name] - expected[name]), sorted(expected[name] - predicted[name])
            result.errors.append(f"{label['file']}: {name} extra {extra} missing {missing}")


def _score_line(name: str, score: Score) -> str:
    return f"{name:24}{score.precision:10.3f}{score.recall:10.3f}{score.f1:10.3f}{score.tp + score.fn:10d}"


def format_report(result: Evaluation, title: str) -> Iterable[str]:
    yield f"{title}: {result.reports} reports"
    yield f"{'':24}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}"
    for status, score in result.status.items():
        yield _score_line(f"status {status.value}", score)
    yield f"{'status (macro F1)':24}{'':20}{result.status_macro_f1:10.3f}"
    yield f"{'status (accuracy)':24}{'':20}{result.status_accuracy:10.3f}"
    for name, score in result.attributes.items():
        yield _score_line(name, score)
    scored_counts = result.reports - _status_only(result)
    yield f"{'lesion count (accuracy)':24}{'':20}{result.count_correct / max(scored_counts, 1):10.3f}"
    yield ""
    yield f"{'class':28}{'reports':>8}{'false alarms':>14}{'misses':>8}{'flags found':>13}"
    for name, kind in sorted(result.classes.items()):
        alarm_text = f"{kind.false_alarms}/{kind.negatives}" if kind.negatives else "-"
        miss_text = f"{kind.misses}/{kind.positives}" if kind.positives else "-"
        flag_text = f"{kind.flags_found}/{kind.flags_expected}" if kind.flags_expected else "-"
        yield f"{name:28}{kind.reports:8d}{alarm_text:>14}{miss_text:>8}{flag_text:>13}"
    negatives = sum(s.negatives for s in result.classes.values())
    positives = sum(s.positives for s in result.classes.values())
    alarms = sum(s.false_alarms for s in result.classes.values())
    missed = sum(s.misses for s in result.classes.values())
    detected = positives - missed
    yield (
        f"false alarms {alarms}/{negatives} ({alarms / max(negatives, 1):.1%}); "
        f"sensitivity {detected}/{positives} ({detected / max(positives, 1):.3f})"
    )
    yield ""
    yield "confusion (rows: label, columns: reader)"
    order = list(ReportStatus)
    yield f"{'':16}" + "".join(f"{s.value:>15}" for s in order)
    for expected in order:
        yield f"{expected.value:16}" + "".join(f"{result.confusion.get((expected, got), 0):15d}" for got in order)


def _status_only(result: Evaluation) -> int:
    return sum(score.reports for name, score in result.classes.items() if name != "original corpus")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bonemet.nlp.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="folder with reports/ and labels.jsonl")
    parser.add_argument("--split", choices=("all", "dev", "heldout", "fresh"), default="all")
    parser.add_argument("--errors", action="store_true", help="list every disagreement with the labels")
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.jsonl").is_file():
        print(f"{args.corpus}: no labels.jsonl here", file=sys.stderr)
        return 2
    result = evaluate(args.corpus, args.split)
    for line in format_report(result, f"{args.corpus} ({args.split})"):
        print(line)
    if args.errors:
        print()
        print("\n".join(result.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
