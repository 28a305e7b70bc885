"""The reader's vocabulary, loaded once from the JSON rule files in bonemet/nlp/rules/.

Rules are data (medspaCy style): targets.json, context.json and sections.json become
medspaCy rule objects; lexicon.json becomes compiled regular expressions used by the
attribute components. Nothing here is downloaded: the files ship inside the package.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bonemet.model.vocabulary import Bone, Mimic, Pattern, Section, Segment


def _rule_file(name: str) -> dict[str, Any]:
    text = resources.files("bonemet.nlp").joinpath("rules").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _without_lookarounds(term: str) -> str:
    """The part of a term that consumes text: '(?!...)' and '(?<!...)' match nothing."""
    kept, depth, skipping = [], 0, False
    i = 0
    while i < len(term):
        if not skipping and term.startswith(("(?!", "(?=", "(?<!", "(?<="), i):
            skipping, depth = True, 0
        if skipping:
            if term[i] == "(" and (i == 0 or term[i - 1] != "\\"):
                depth += 1
            elif term[i] == ")" and term[i - 1] != "\\":
                depth -= 1
                skipping = depth > 0
        else:
            kept.append(term[i])
        i += 1
    return "".join(kept)


def _alternation(terms: list[str]) -> str:
    """One regex alternative per term, longest first so 'femoral neck' beats 'femoral'."""
    return "|".join(sorted(terms, key=lambda t: len(_without_lookarounds(t)), reverse=True))


def _word_regex(terms: list[str]) -> re.Pattern[str]:
    """Whole-word match of any term, on lower-cased text (case-insensitive matching is ~3x slower)."""
    return re.compile(rf"(?<![\w-])(?:{_alternation(terms)})(?![\w])")


@dataclass(frozen=True)
class TargetSpec:
    literal: str
    category: str
    mimic: Mimic | None = None


@dataclass(frozen=True)
class ContextSpec:
    literal: str
    category: str
    direction: str
    pattern: list[dict[str, Any]] | None
    max_scope: int | None
    allowed_types: frozenset[str] | None
    terminated_by: frozenset[str] | None


def expand_phrases(template: list[list[str]]) -> list[str]:
    """Every phrase a template spells: one alternative per slot, '' leaving the slot out."""
    phrases = [""]
    for slot in template:
        phrases = [f"{head} {alternative}".strip() for head in phrases for alternative in slot]
    return [" ".join(phrase.split()) for phrase in phrases]


@cache
def target_specs() -> tuple[TargetSpec, ...]:
    specs: list[TargetSpec] = []
    for category, group in _rule_file("targets.json")["categories"].items():
        if category == "MIMIC":
            for mimic_name, literals in group["by_type"].items():
                specs.extend(TargetSpec(lit, category, mimic=Mimic(mimic_name)) for lit in literals)
            continue
        literals = list(group.get("literals", []))
        for template in group.get("phrases", []):
            literals.extend(expand_phrases(template))
        specs.extend(TargetSpec(lit, category) for lit in dict.fromkeys(literals))
    return tuple(specs)


@cache
def mimic_clause_requirements() -> dict[Mimic, re.Pattern[str]]:
    """Mimic words that count only beside a word that places them in bone ('reactive' marrow)."""
    required = _rule_file("targets.json")["categories"]["MIMIC"].get("requires_clause_word", {})
    return {Mimic(name): _word_regex(words) for name, words in required.items()}


@cache
def context_specs() -> tuple[ContextSpec, ...]:
    specs: list[ContextSpec] = []
    for group in _rule_file("context.json")["groups"]:
        allowed = group.get("allowed_types")
        terminated = group.get("terminated_by")
        common = {
            "category": group["category"],
            "direction": group["direction"],
            "max_scope": group.get("max_scope"),
            "allowed_types": frozenset(allowed) if allowed else None,
            "terminated_by": frozenset(terminated) if terminated else None,
        }
        for literal in dict.fromkeys(group.get("literals", [])):
            specs.append(ContextSpec(literal=literal, pattern=None, **common))
        for i, pattern in enumerate(group.get("patterns", [])):
            specs.append(ContextSpec(literal=f"{group['category']}_{i}", pattern=pattern, **common))
    return tuple(specs)


@cache
def section_headers() -> dict[str, Section]:
    """Header text (lower case, with its colon) -> section."""
    sections = _rule_file("sections.json")["sections"]
    return {header: Section(name) for name, headers in sections.items() for header in headers}


@dataclass(frozen=True)
class Lexicon:
    """Compiled vocabulary for the attribute components; every regex expects lower-cased text."""

    bones: re.Pattern[str]  # one named group per Bone value
    bone_context: re.Pattern[str]
    organ: re.Pattern[str]
    bone_subheader: re.Pattern[str]
    skeletal_exam: re.Pattern[str]
    exam_title: re.Pattern[str]
    sides: tuple[tuple[str, re.Pattern[str]], ...]
    segments: tuple[tuple[Segment, re.Pattern[str]], ...]
    patterns: tuple[tuple[Pattern, re.Pattern[str]], ...]
    solitary: re.Pattern[str]
    multiple: re.Pattern[str]
    weak_multiple: re.Pattern[str]
    singular_lesion: re.Pattern[str]
    numbers: dict[str, int]
    number_word: re.Pattern[str]
    plural_lesion: re.Pattern[str]
    collapse_in_fracture: re.Pattern[str]
    sequence_after_level: re.Pattern[str]
    sequence_before_level: re.Pattern[str]
    benign_collapse: tuple[tuple[Mimic, re.Pattern[str]], ...]
    uncountable: re.Pattern[str]
    collapse_over_half: re.Pattern[str]
    collapse_under_half: re.Pattern[str]


@cache
def lexicon() -> Lexicon:
    data = _rule_file("lexicon.json")
    bones = "|".join(f"(?P<{Bone(name).value}>{_alternation(terms)})" for name, terms in data["bones"].items())
    counts = data["counts"]
    return Lexicon(
        bones=re.compile(rf"(?<![\w-])(?:{bones})(?![\w])"),
        bone_context=_word_regex(data["bone_context_words"]),
        organ=re.compile(
            rf"(?<![\w-])(?:{_alternation(data['organ_words'])})(?![\w])"
            rf"(?!\s+(?:{_alternation(data['organ_words_not_before'])})\b)",
        ),
        bone_subheader=re.compile(rf"^\s*(?:{_alternation(data['bone_subheaders'])})\s*$"),
        skeletal_exam=_word_regex(data["skeletal_exam_words"]),
        exam_title=_word_regex(data["exam_title_words"]),
        sides=tuple((side, _word_regex(terms)) for side, terms in data["sides"].items()),
        segments=tuple((Segment(name), _word_regex(terms)) for name, terms in data["segments"].items()),
        patterns=tuple((Pattern(name), _word_regex(terms)) for name, terms in data["patterns"].items()),
        solitary=_word_regex(counts["solitary"]),
        multiple=_word_regex(counts["multiple"]),
        weak_multiple=_word_regex(counts["weak_multiple"]),
        singular_lesion=re.compile(rf"(?:{_alternation(counts['singular_lesion_words'])})$"),
        numbers={word.lower(): value for word, value in counts["numbers"].items()},
        number_word=_word_regex([re.escape(word) for word in counts["numbers"]]),
        plural_lesion=_word_regex(data["plural_lesion_words"]),
        collapse_in_fracture=_word_regex(data["collapse_words_in_fracture"]),
        sequence_after_level=re.compile(data["mri_sequence_after_level"]),
        sequence_before_level=re.compile(data["mri_sequence_before_level"]),
        uncountable=_word_regex(counts["uncountable"]),
        collapse_over_half=_word_regex(data["collapse_degree"]["over_50pct"]),
        collapse_under_half=_word_regex(data["collapse_degree"]["under_50pct_genant"]),
        benign_collapse=tuple(
            (Mimic(name), _word_regex(words)) for name, words in data["benign_collapse_qualifiers"].items()
        ),
    )


@dataclass(frozen=True)
class ReportContextRules:
    """Whole-report patterns (rules/report_context.json) for the report-level answer."""

    cancer: re.Pattern[str]
    cancer_negation: re.Pattern[str]
    haematological: re.Pattern[str]
    primary_bone_tumour: re.Pattern[str]
    benign_explanation: re.Pattern[str]
    hedged_metastasis: re.Pattern[str]
    bone_in_metastasis_list: re.Pattern[str]


@cache
def report_context_rules() -> ReportContextRules:
    data = _rule_file("report_context.json")

    def any_of(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in data[key]))

    return ReportContextRules(
        cancer=any_of("cancer"),
        cancer_negation=any_of("cancer_negations"),
        haematological=any_of("haematological"),
        primary_bone_tumour=any_of("primary_bone_tumour"),
        benign_explanation=any_of("benign_explanation"),
        hedged_metastasis=any_of("hedged_metastasis"),
        bone_in_metastasis_list=any_of("bone_in_metastasis_list"),
    )
