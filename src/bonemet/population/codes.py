"""The code tables the set-based queries join against, as plain rows.

Everything the FHIR adapter already knows is taken from its tables (bonemet/fhir/codes.json:
primaries, bone metastasis and other conditions, LOINC labs, RxNorm agents and their names,
DICOM modalities, bone sites) and from its unit table (bonemet/fhir/units.py), so that the
population screen and the single-patient reader recognise the same codes. What only the
screen needs (bone pain, chemotherapy, surgical review, supplements) is in this package's
codes.json, with its sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bonemet.fhir import codes as fhir_codes
from bonemet.fhir.units import _ALIASES, CONVERSIONS
from bonemet.knowledge.citations import Citation, register


@cache
def population_table() -> dict[str, Any]:
    text = resources.files("bonemet.population").joinpath("codes.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    register(*(Citation(**entry) for entry in data["citations"]))
    return data


@dataclass(frozen=True)
class Table:
    """A small reference table registered in the engine before the queries run."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | float, ...], ...]


def _icd_systems() -> tuple[str, ...]:
    return (fhir_codes.system("icd10cm"), fhir_codes.system("icd10"))


def _public(entries: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entries.items() if not key.startswith("_")}


def _condition_rows() -> list[tuple[str, str, str, str, str]]:
    """(concept, system, code, match, value): match is 'exact' or 'prefix'."""
    table = fhir_codes.table()
    snomed = fhir_codes.system("snomed")
    rows: list[tuple[str, str, str, str, str]] = []
    primary = table["primary_cancer"]
    for system in _icd_systems():
        rows += [("primary", system, prefix, "prefix", site) for prefix, site in primary["icd10cm_prefixes"].items()]
        rows += [("unknown_primary", system, code, "exact", "") for code in primary["icd10cm_unknown_primary"]]
    rows += [("primary", snomed, code, "exact", site) for code, site in primary["snomed"].items()]
    for kind, entry in _public(table["conditions"]).items():
        for system in _icd_systems():
            rows += [(kind, system, code, "exact", "") for code in entry.get("icd10cm", [])]
            rows += [(kind, system, code, "prefix", "") for code in entry.get("icd10cm_prefixes", [])]
        rows += [(kind, snomed, code, "exact", "") for code in entry.get("snomed", [])]
    population = population_table()
    rows += [("bone_pain", snomed, code, "exact", "") for code in population["bone_pain"]["snomed"]]
    for system in _icd_systems():
        rows += [
            ("benign_pain_explanation", system, code, "prefix", "")
            for code in population["benign_pain_explanation"]["icd10cm_prefixes"]
        ]
    rows += [("chemotherapy", snomed, code, "exact", "") for code in population["chemotherapy"]["snomed"]]
    antineoplastic = table["antineoplastic"]
    rows += [("chemotherapy", snomed, code, "exact", "") for code in antineoplastic["snomed_procedures"]]
    rows += [("antineoplastic", fhir_codes.system("rxnorm"), code, "exact", "") for code in antineoplastic["rxnorm"]]
    rows += [("surgical_review", snomed, code, "exact", "") for code in population["surgical_review"]["snomed"]]
    rows += [("radiotherapy", snomed, code, "exact", "") for code in table["procedures"]["radiotherapy_snomed"]]
    rxnorm = fhir_codes.system("rxnorm")
    rows += [("agent", rxnorm, code, "exact", agent) for code, agent in table["medications"]["rxnorm"].items()]
    return rows


def _word_rows() -> list[tuple[str, str, str]]:
    """(concept, lower-case word, value) for matching free text."""
    table = fhir_codes.table()
    population = population_table()
    rows: list[tuple[str, str, str]] = []
    for agent, names in table["medications"]["names"].items():
        rows += [("agent", name.lower(), agent) for name in names]
    rows += [("dental", word.lower(), "") for word in table["procedures"]["dental_words"]]
    rows += [("radiotherapy", word.lower(), "") for word in table["procedures"]["radiotherapy_words"]]
    for concept in ("bone_pain", "benign_pain_explanation", "chemotherapy", "surgical_review"):
        rows += [(concept, word.lower(), "") for word in population[concept]["words"]]
    rows += [("calcium_vitamin_d", word.lower(), "") for word in population["calcium_vitamin_d"]["words"]]
    rows += [("calcitonin", word.lower(), "") for word in population["calcitonin"]["words"]]
    rows += [("antineoplastic", name.lower(), "") for name in table["antineoplastic"]["ingredient_names"]]
    return rows


def _observation_rows() -> list[tuple[str, str, str]]:
    return [(c.loinc, c.field, c.analyte) for c in fhir_codes.observation_codes()]


def _unit_rows() -> tuple[list[tuple[str, str, float]], list[tuple[str, str]]]:
    """Conversion factors per analyte, and every spelling of a unit mapped to its UCUM code.

    Mirrors bonemet.fhir.units.canonical_unit: a UCUM code is matched as written; other
    spellings are matched in lower case through the alias table.
    """
    factors = [
        (analyte, unit, factor)
        for analyte, conversion in CONVERSIONS.items()
        for unit, factor in conversion.factors.items()
    ]
    ucum_codes = sorted({unit for conversion in CONVERSIONS.values() for unit in conversion.factors})
    aliases = [(code, code) for code in ucum_codes] + sorted(_ALIASES.items())
    return factors, aliases


def _bone_rows() -> list[tuple[str, str, str]]:
    table = fhir_codes.table()["bones"]
    rows = [("bone", code, bone) for code, bone in table["snomed"].items()]
    rows += [("side", code, side) for code, side in table["laterality_snomed"].items()]
    return rows


def _modality_rows() -> list[tuple[str, str]]:
    return sorted(fhir_codes.table()["imaging_modalities"]["dicom"].items())


@cache
def reference_tables() -> tuple[Table, ...]:
    """Every reference table the shared queries use, built once from the code files."""
    factors, aliases = _unit_rows()
    return (
        Table("ref_condition_code", ("concept", "system", "code", "match_kind", "value"), tuple(_condition_rows())),
        Table("ref_word", ("concept", "word", "value"), tuple(_word_rows())),
        Table("ref_observation_code", ("code", "field", "analyte"), tuple(_observation_rows())),
        Table("ref_unit_factor", ("analyte", "unit", "factor"), tuple(factors)),
        Table("ref_unit_alias", ("alias", "ucum"), tuple(aliases)),
        Table("ref_site", ("kind", "code", "value"), tuple(_bone_rows())),
        Table("ref_modality", ("dicom", "modality"), tuple(_modality_rows())),
    )
