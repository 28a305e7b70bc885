"""Reference pages come from the knowledge modules: same doses, same renal table, every line sourced."""

from __future__ import annotations

import pytest

from bonemet.knowledge import drugs, emergencies
from bonemet.web.reference import OVERVIEW, TOPIC_BY_SLUG, TOPICS, highlight, query_terms, search

DRUG_PAGES = ["zoledronic-acid", "pamidronate", "denosumab", "calcium-and-vitamin-d", "dexamethasone-cord-compression"]


@pytest.mark.parametrize("slug", DRUG_PAGES)
def test_every_drug_the_system_uses_has_a_page(slug: str) -> None:
    assert slug in TOPIC_BY_SLUG


@pytest.mark.parametrize("topic", [OVERVIEW, *TOPICS], ids=lambda t: t.slug)
def test_every_line_has_a_source(topic) -> None:  # type: ignore[no-untyped-def]
    entries = [e for s in topic.sections for e in s.entries]
    unsourced = [e.text for e in entries if e.source is None and not e.text.startswith("Options, in guideline order")]
    assert unsourced == []
    assert topic.sources


@pytest.mark.parametrize(
    ("slug", "record"),
    [("zoledronic-acid", drugs.ZOLEDRONIC_ACID), ("pamidronate", drugs.PAMIDRONATE), ("denosumab", drugs.DENOSUMAB)],
)
def test_drug_pages_show_the_knowledge_record(slug: str, record: drugs.Drug) -> None:
    text = " ".join(TOPIC_BY_SLUG[slug].texts())
    assert record.dose_text in text
    assert record.oncology_product in text
    assert all(fact.text in text for fact in record.cautions)


def test_the_zoledronic_acid_renal_table_is_the_label_table() -> None:
    (table,) = [s.table for s in TOPIC_BY_SLUG["zoledronic-acid"].sections if s.table is not None]
    assert [(r[0], r[1]) for r in table.rows[:-1]] == [
        (row.crcl_band, f"{row.dose_mg:g} mg") for row in drugs.ZOLEDRONIC_ACID_RENAL_TABLE
    ]
    assert table.rows[-1][:2] == ("< 30", "not recommended")


def test_the_dexamethasone_page_carries_the_cord_compression_dose() -> None:
    text = " ".join(TOPIC_BY_SLUG["dexamethasone-cord-compression"].texts())
    assert emergencies.MSCC_DEXAMETHASONE.text in text
    assert f"{emergencies.MSCC_DEXAMETHASONE_MG_PER_DAY:g} mg" in text


@pytest.mark.parametrize(
    ("query", "slug"), [("Xgeva", "denosumab"), ("Zometa renal", "zoledronic-acid"), ("calcitonin", "hypercalcaemia")]
)
def test_search_finds_topics_by_brand_and_content(query: str, slug: str) -> None:
    assert slug in [hit.topic.slug for hit in search(query)]


def test_search_needs_every_word_and_marks_the_matches() -> None:
    assert search("denosumab pamidronate zzzz") == ()
    hits = search("xgeva")
    assert any(seg.match and seg.text.lower() == "xgeva" for hit in hits for snip in hit.snippets for seg in snip)


def test_queries_are_bounded_and_highlighting_keeps_the_text() -> None:
    assert len(query_terms("a " * 1000)) <= 8
    segments = highlight("Zometa 4 mg", ("zometa",))
    assert "".join(s.text for s in segments) == "Zometa 4 mg" and segments[0].match
