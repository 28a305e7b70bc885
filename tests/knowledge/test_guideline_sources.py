"""Every source the knowledge base uses is registered once, with a label and a full reference."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import ModuleType

import pytest

from bonemet.knowledge import drugs, emergencies, guideline_sources, imaging, primaries, radiotherapy, surgery
from bonemet.knowledge.citations import Citation, all_citations, cite
from bonemet.knowledge.guideline_sources import GUIDELINE_SOURCES, Fact
from bonemet.knowledge.version import KNOWLEDGE_VERSION

FACT_MODULES = (drugs, emergencies, imaging, primaries, radiotherapy, surgery, guideline_sources)


@pytest.mark.parametrize("citation", GUIDELINE_SOURCES, ids=lambda c: c.key)
def test_each_source_has_a_label_and_a_reference_and_is_registered(
    citation: Citation,
) -> None:
    assert citation.label.strip()
    assert len(citation.reference) > len(citation.label)
    assert cite(citation.key) is citation
    if citation.url is not None:
        assert citation.url.startswith(("http://", "https://"))


def test_keys_are_unique() -> None:
    keys = [c.key for c in GUIDELINE_SOURCES]
    assert len(keys) == len(set(keys))


def test_every_registered_citation_has_a_label_and_reference() -> None:
    for key, citation in all_citations().items():
        assert citation.key == key
        assert citation.label.strip() and citation.reference.strip()


def _facts_in(value: object) -> Iterator[Fact]:
    if isinstance(value, type):
        return
    if isinstance(value, Fact):
        yield value
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _facts_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _facts_in(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _facts_in(getattr(value, name))


def _module_facts(module: ModuleType) -> list[Fact]:
    return [fact for value in vars(module).values() for fact in _facts_in(value)]


@pytest.mark.parametrize("module", FACT_MODULES, ids=lambda m: m.__name__)
def test_every_fact_cites_a_registered_source(module: ModuleType) -> None:
    facts = _module_facts(module)
    assert facts or module is guideline_sources
    for fact in facts:
        assert fact.statement.strip()
        assert cite(fact.citation_key) is fact.citation


@pytest.mark.parametrize("module", FACT_MODULES, ids=lambda m: m.__name__)
def test_unverified_facts_say_what_is_uncertain(module: ModuleType) -> None:
    for fact in _module_facts(module):
        if not fact.verified:
            assert fact.caveat, fact.statement
            assert "Unverified:" in fact.text


def test_fact_text_shows_the_caveat() -> None:
    fact = Fact("Statement.", guideline_sources.ASTRO_2024, verified=False, caveat="not checked")
    assert fact.text == "Statement. (Unverified: not checked)"
    assert Fact("Plain.", guideline_sources.ASTRO_2024).text == "Plain."


def test_knowledge_version_is_year_dot_month_with_an_optional_revision() -> None:
    # A second review within a month adds a revision: 2026.12.2.
    assert re.fullmatch(r"20\d\d\.(0[1-9]|1[0-2])(\.[2-9]|\.[1-9]\d)?", KNOWLEDGE_VERSION)
