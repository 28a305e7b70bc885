"""ConText one sentence at a time gives exactly the stock medspaCy ConText's readings (issue 11.4)."""

from __future__ import annotations

from typing import Any

from bonemet.nlp.mentions import TARGET_GROUP
from bonemet.nlp.pipeline import _context_rules, build_pipeline
from bonemet.nlp.reader import _make_doc
from bonemet.nlp.report import reading_from_doc
from tests.nlp.conftest import CORPUS


def _stock() -> Any:
    nlp = build_pipeline()
    nlp.remove_pipe("bonemet_context")
    context = nlp.add_pipe(
        "medspacy_context",
        before="bonemet_findings",
        config={"rules": None, "input_span_type": "group", "span_group_name": TARGET_GROUP},
    )
    context.add(_context_rules())
    return nlp


def test_windowed_context_reads_every_corpus_report_exactly_as_the_stock_component() -> None:
    windowed, stock = build_pipeline(), _stock()
    assert "bonemet_context" in windowed.pipe_names and "medspacy_context" in stock.pipe_names
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "reports").glob("*.txt"))]
    assert len(texts) >= 250
    for text in texts:
        ours = reading_from_doc(windowed(_make_doc(windowed, text)), text)
        theirs = reading_from_doc(stock(_make_doc(stock, text)), text)
        assert ours == theirs
