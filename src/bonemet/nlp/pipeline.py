"""The medspaCy pipeline, built once per process, offline.

blank English with medspaCy's clinical tokenizer -> bonemet_sentences (nlp.sentences) ->
medspacy_sectionizer (rules/sections.json) -> medspacy_target_matcher (rules/targets.json)
-> medspacy_context (rules/context.json) -> bonemet_findings (nlp.findings).
No model is downloaded: spacy.blank('en') needs none, and every rule ships in the package.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from loguru import logger

from bonemet.nlp.findings import register_extensions
from bonemet.nlp.mentions import TARGET_GROUP
from bonemet.nlp.resources import context_specs, section_headers, target_specs

# PyRuSH (imported by medspaCy) logs a DEBUG line per sentence through loguru; the reader
# does not use PyRuSH, and the flood would break CLI output.
logger.disable("PyRuSH")

_lock = threading.Lock()


# Every target and ConText rule is a phrase (see rules/targets.json), which leaves the token
# Matcher inside medspaCy's matchers empty, and spaCy warns (W036) on every call to an empty
# Matcher. One token pattern that cannot match (a single ORTH test per token) keeps it quiet.
_NEVER = [{"ORTH": "\u0000bonemet-never-matches"}]
_UNUSED = "BONEMET_UNUSED"


def _target_rules() -> list[Any]:
    from medspacy.ner import TargetRule

    return [TargetRule("never matches", _UNUSED, pattern=_NEVER)] + [
        TargetRule(
            spec.literal,
            spec.category,
            attributes={"bonemet_mimic": spec.mimic} if spec.mimic is not None else None,
        )
        for spec in target_specs()
    ]


def _context_rules() -> list[Any]:
    from medspacy.context import ConTextRule

    return [ConTextRule("never matches", _UNUSED, pattern=_NEVER, direction="PSEUDO")] + [
        ConTextRule(
            spec.literal,
            spec.category,
            pattern=spec.pattern,
            direction=spec.direction,
            max_scope=spec.max_scope,
            allowed_types=set(spec.allowed_types) if spec.allowed_types else None,
            terminated_by=set(spec.terminated_by) if spec.terminated_by else None,
        )
        for spec in context_specs()
    ]


def _section_rules() -> list[Any]:
    from medspacy.section_detection import SectionRule

    return [SectionRule("never matches", _UNUSED, pattern=_NEVER)] + [
        SectionRule(header, section.value) for header, section in section_headers().items()
    ]


def build_pipeline() -> Any:
    """A new pipeline; use `pipeline()` for the shared one."""
    import medspacy

    import bonemet.nlp.sentences
    import bonemet.nlp.windowed_context  # noqa: F401  (registers the bonemet_context component)

    register_extensions()
    nlp = medspacy.load(medspacy_enable=["medspacy_tokenizer"])
    nlp.add_pipe("bonemet_sentences")
    sectionizer = nlp.add_pipe("medspacy_sectionizer", config={"rules": None, "span_attrs": None})
    sectionizer.add(_section_rules())
    # Targets go to a span group, not doc.ents: medspaCy's TargetMatcher sets doc.ents once per
    # target, and every doc.ents read and write walks the whole doc.
    matcher = nlp.add_pipe("medspacy_target_matcher", config={"result_type": "group", "span_group_name": TARGET_GROUP})
    matcher.add(_target_rules())
    context = nlp.add_pipe(
        "bonemet_context",  # medspaCy's ConText, one sentence at a time (nlp.windowed_context)
        config={"rules": None, "input_span_type": "group", "span_group_name": TARGET_GROUP},
    )
    context.add(_context_rules())
    nlp.add_pipe("bonemet_findings")
    return nlp


@cache
def _shared() -> Any:
    return build_pipeline()


def pipeline() -> Any:
    """The process-wide pipeline (built on first use, about a second)."""
    with _lock:
        return _shared()
