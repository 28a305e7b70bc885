"""The pipeline: medspaCy components, offline, built once; spans always index the report."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet.nlp import read_report, read_reports
from bonemet.nlp.pipeline import build_pipeline, pipeline
from tests.nlp.conftest import CORPUS


def test_pipeline_is_medspacy_on_blank_english() -> None:
    nlp = pipeline()
    assert nlp.lang == "en" and nlp.meta.get("name") == "pipeline"  # spacy.blank: no trained model
    assert nlp.pipe_names == [
        "bonemet_sentences",
        "medspacy_sectionizer",
        "medspacy_target_matcher",
        "bonemet_context",  # medspaCy's ConText class, applied per sentence (nlp.windowed_context)
        "bonemet_findings",
    ]
    from medspacy.context import ConText

    assert isinstance(nlp.get_pipe("bonemet_context"), ConText)


def test_pipeline_is_built_once() -> None:
    assert pipeline() is pipeline()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.mark.usefixtures("no_network")
def test_building_and_reading_needs_no_network() -> None:
    nlp = build_pipeline()
    assert nlp("Lytic metastasis in L2.")._.bonemet_findings


def test_pyrush_debug_logging_is_off(capfd: pytest.CaptureFixture[str]) -> None:
    import medspacy  # noqa: F401  (medspaCy imports PyRuSH, which logs through loguru)

    read_report("Sclerotic metastases in L3 and L4. No fracture.")
    assert "PyRuSH" not in capfd.readouterr().err


def test_batch_and_single_reads_agree() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "reports").glob("*.txt"))[:30]]
    assert list(read_reports(texts)) == [read_report(text) for text in texts]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_reads_and_every_span_indexes_it(text: str) -> None:
    reading = read_report(text)
    for finding in reading.findings:
        start, end = finding.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == finding.text


_WORDS = (
    "Lytic", "sclerotic", "metastasis", "lesion", "in", "the", "T10", "L2", "femur", "left", "no", "possible",
    "cannot", "be", "excluded", "IMPRESSION:", "FINDINGS:", "\n", ".", ";", "2.3 cm", "40%", "fracture",
    "epidural", "bone island", "versus", "–", "through", "C7", "ESCC 2", "rib",
)  # fmt: skip
REPORT_WORDS = st.sampled_from(_WORDS)


@settings(max_examples=80, deadline=None)
@given(st.lists(REPORT_WORDS, max_size=40))
def test_report_like_text_keeps_its_invariants(words: list[str]) -> None:
    text = " ".join(words)
    reading = read_report(text)
    assert (reading.lesion_count is None) or reading.status.value in ("affirmed", "possible")
    for finding in reading.findings:
        assert text[finding.span[0] : finding.span[1]] == finding.text
        if finding.level is not None:
            assert finding.bone is not None and finding.bone.value in ("spine", "sacrum")
