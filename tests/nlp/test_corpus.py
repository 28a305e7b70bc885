"""The evaluation corpus: at least 150 labelled reports, and the reader's scores on it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bonemet.nlp.evaluate import Evaluation, evaluate, load_labels, main
from tests.nlp.conftest import CORPUS

REQUIRED_ATTRIBUTES = ("site", "level", "pattern", "fracture", "epidural", "collapse", "size")


@pytest.fixture(scope="module")
def scores() -> Evaluation:
    return evaluate(CORPUS)


def _attribute_labels() -> list[dict[str, object]]:
    """Labels with every attribute written (the real-world phrasing classes are labelled for status only)."""
    return [label for label in load_labels(CORPUS) if label.get("scope") != "status"]


def test_corpus_covers_every_modality_and_answer() -> None:
    assert all((CORPUS / "reports" / label["file"]).is_file() for label in load_labels(CORPUS))
    labels = _attribute_labels()
    assert len(labels) >= 150
    assert all((CORPUS / "reports" / label["file"]).is_file() for label in labels)
    modalities = Counter(label["modality"] for label in labels)
    assert {"xray", "ct", "mri", "bone_scan", "pet_ct"} <= set(modalities)
    assert all(count >= 25 for name, count in modalities.items() if name != "psma_pet")
    assert {label["status"] for label in labels} == {"affirmed", "possible", "negated", "not_mentioned"}
    assert sum(bool(label["mimics"]) for label in labels) >= 30
    assert sum(bool(label["epidural"]) for label in labels) >= 10
    assert sum(bool(label["fractures"]) for label in labels) >= 10
    assert sum(any(label["levels"]) and len(label["levels"]) >= 3 for label in labels) >= 10


def test_report_level_status_f1(scores: Evaluation) -> None:
    assert scores.reports >= 150
    assert scores.status_macro_f1 >= 0.95


@pytest.mark.parametrize("attribute", REQUIRED_ATTRIBUTES)
def test_attribute_f1(scores: Evaluation, attribute: str) -> None:
    score = scores.attributes[attribute]
    assert score.tp + score.fn > 0, f"no {attribute} labels to score"
    assert score.f1 >= 0.90


def test_held_out_reports_score_as_well() -> None:
    held_out = evaluate(CORPUS, split="heldout")
    assert held_out.reports >= 50
    assert held_out.status_macro_f1 >= 0.95
    assert all(held_out.attributes[name].f1 >= 0.90 for name in REQUIRED_ATTRIBUTES)


def test_labels_are_well_formed() -> None:
    statuses = {"affirmed", "possible", "negated", "not_mentioned"}
    flags = {"indeterminate_bone_lesion", "haematological_bone_disease", "primary_bone_tumour", "benign_explanation"}
    for label in load_labels(CORPUS):
        assert label["status"] in statuses
        if label.get("scope") == "status":
            assert label["class"] and set(label["flags"]) <= flags and label["split"] in ("dev", "heldout")
            continue
        if label["status"] in ("negated", "not_mentioned"):
            assert not any(
                label[key] for key in ("sites", "levels", "patterns", "fractures", "epidural", "collapse", "sizes")
            )
        assert json.loads(json.dumps(label)) == label


def test_evaluate_command_prints_every_score(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CORPUS), "--split", "dev"]) == 0
    out = capsys.readouterr().out
    for name in ("status affirmed", "status (macro F1)", *REQUIRED_ATTRIBUTES):
        assert name in out


def test_evaluate_command_rejects_a_folder_without_labels(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "labels.jsonl" in capsys.readouterr().err


def test_every_real_world_class_has_five_held_out_reports() -> None:
    held_out = Counter(label["class"] for label in load_labels(CORPUS, "heldout") if label.get("scope") == "status")
    assert len(held_out) >= 9
    assert all(count >= 5 for count in held_out.values()), held_out


def test_held_out_false_alarms_at_most_2_percent_and_sensitivity_at_least_95_percent() -> None:
    held_out = evaluate(CORPUS, split="heldout")
    negatives = sum(c.negatives for c in held_out.classes.values())
    positives = sum(c.positives for c in held_out.classes.values())
    alarms = sum(c.false_alarms for c in held_out.classes.values())
    missed = sum(c.misses for c in held_out.classes.values())
    assert negatives >= 50 and positives >= 40
    assert alarms / negatives <= 0.02
    assert (positives - missed) / positives >= 0.95


def test_evaluate_prints_the_classes_and_the_confusion_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CORPUS), "--split", "heldout"]) == 0
    out = capsys.readouterr().out
    assert "indeterminate_lesion" in out and "false alarms" in out and "confusion" in out
