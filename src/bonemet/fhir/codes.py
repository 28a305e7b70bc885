"""The FHIR adapter's code tables, loaded once from codes.json (data, with its sources).

Lookups answer None for a code they do not know: the reader then reports the code as
unknown instead of guessing what it might mean.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bonemet.knowledge.citations import Citation, register
from bonemet.model.vocabulary import Bone, BoneModifyingAgent, Modality, Primary, Side

# Our own code systems, for concepts no standard terminology names (recommendation codes,
# Case fields without a standard code). Canonical URLs under one base.
BONEMET_BASE = "https://bonemet.dev/fhir"
CASE_FIELD_SYSTEM = f"{BONEMET_BASE}/CodeSystem/case-field"
RECOMMENDATION_SYSTEM = f"{BONEMET_BASE}/CodeSystem/recommendation"
SCORE_SYSTEM = f"{BONEMET_BASE}/CodeSystem/score"
PRIMARY_SYSTEM = f"{BONEMET_BASE}/CodeSystem/primary"
MODALITY_SYSTEM = f"{BONEMET_BASE}/CodeSystem/modality"
CASE_ID_SYSTEM = f"{BONEMET_BASE}/NamingSystem/case-id"
LESION_EXTENSION = f"{BONEMET_BASE}/StructureDefinition/lesion"
PRIOR_RADIOTHERAPY_EXTENSION = f"{BONEMET_BASE}/StructureDefinition/prior-radiotherapy"
SCORE_TOTAL_EXTENSION = f"{BONEMET_BASE}/StructureDefinition/score-total"
DOSE_BASIS_EXTENSION = f"{BONEMET_BASE}/StructureDefinition/dose-basis"


@cache
def table() -> dict[str, Any]:
    text = resources.files("bonemet.fhir").joinpath("codes.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    register(*(Citation(**entry) for entry in data["citations"]))
    return data


def system(name: str) -> str:
    """The canonical URI of a terminology: system('loinc') -> 'http://loinc.org'."""
    return str(table()["systems"][name])


@dataclass(frozen=True)
class ObservationCode:
    loinc: str
    field: str  # Case field path, e.g. 'labs.creatinine_mg_dl'
    analyte: str  # key of the unit-conversion table
    display: str


def observation_code(loinc: str) -> ObservationCode | None:
    entry = table()["observations"].get(loinc)
    if entry is None or loinc.startswith("_"):
        return None
    return ObservationCode(loinc=loinc, field=entry["field"], analyte=entry["analyte"], display=entry["display"])


def observation_codes() -> list[ObservationCode]:
    return [c for loinc in table()["observations"] if (c := observation_code(loinc)) is not None]


def observation_not_used(loinc: str) -> str | None:
    """Why a recognised LOINC code is deliberately not used (None: not one of those)."""
    reason = table()["observations_recognised_not_used"].get(loinc)
    return str(reason) if reason is not None and not loinc.startswith("_") else None


def _prefix_match(code: str, prefixes: dict[str, str] | list[str]) -> str | None:
    """The longest prefix of `code` in the table (ICD-10-CM is hierarchical by prefix)."""
    best: str | None = None
    for prefix in prefixes:
        if code.upper().startswith(prefix.upper()) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def primary_from_icd10(code: str) -> Primary | None:
    prefixes: dict[str, str] = table()["primary_cancer"]["icd10cm_prefixes"]
    match = _prefix_match(code, prefixes)
    return Primary(prefixes[match]) if match else None


def is_unknown_primary_icd10(code: str) -> bool:
    return code.upper() in table()["primary_cancer"]["icd10cm_unknown_primary"]


def primary_from_snomed(code: str) -> Primary | None:
    value = table()["primary_cancer"]["snomed"].get(code)
    return Primary(value) if value else None


def condition_kind(system_uri: str, code: str) -> str | None:
    """'bone_metastasis', 'pathologic_fracture', ... for a coded Condition; None if unknown."""
    conditions: dict[str, Any] = table()["conditions"]
    icd = system_uri in (system("icd10cm"), system("icd10"))
    snomed = system_uri == system("snomed")
    for kind, entry in conditions.items():
        if kind.startswith("_"):
            continue
        if icd and code.upper() in entry.get("icd10cm", []):
            return kind
        if icd and _prefix_match(code, entry.get("icd10cm_prefixes", [])):
            return kind
        if snomed and code in entry.get("snomed", []):
            return kind
    return None


def condition_codes(kind: str) -> dict[str, list[str]]:
    entry = table()["conditions"][kind]
    return {key: list(value) for key, value in entry.items() if not key.startswith("_")}


def agent_from_rxnorm(code: str) -> BoneModifyingAgent | None:
    value = table()["medications"]["rxnorm"].get(code)
    return BoneModifyingAgent(value) if value else None


def agent_from_text(text: str) -> BoneModifyingAgent | None:
    lowered = text.lower()
    for agent, names in table()["medications"]["names"].items():
        if any(name in lowered for name in names):
            return BoneModifyingAgent(agent)
    return None


def is_osteoporosis_product(rxnorm_codes: list[str], text: str) -> bool:
    products = table()["medications"]["osteoporosis_products"]
    lowered = text.lower()
    return any(c in products["rxnorm"] for c in rxnorm_codes) or any(n in lowered for n in products["names"])


def agent_ingredient(agent: BoneModifyingAgent) -> tuple[str, str]:
    """(RxNorm ingredient code, display) written for an agent."""
    entry = table()["medication_rxnorm_ingredients"][agent.value]
    return str(entry["code"]), str(entry["display"])


def procedure_words(kind: str) -> list[str]:
    return list(table()["procedures"][f"{kind}_words"])


def is_antineoplastic(rxnorm_codes: list[str], atc_codes: list[str], text: str) -> bool:
    """Cytotoxic chemotherapy: ATC L01, a listed RxNorm code, or an ingredient name in the text."""
    entry = table()["antineoplastic"]
    if any(code.upper().startswith(entry["atc_prefix"]) for code in atc_codes):
        return True
    if any(code in entry["rxnorm"] for code in rxnorm_codes):
        return True
    return _antineoplastic_pattern().search(text) is not None


@cache
def _antineoplastic_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in table()["antineoplastic"]["ingredient_names"])
    return re.compile(rf"\b({names})\b", re.IGNORECASE)


def is_chemotherapy_snomed(code: str) -> bool:
    return code in table()["antineoplastic"]["snomed_procedures"]


def mcode() -> dict[str, Any]:
    """mCODE STU4 codes and extension URLs the reader uses (codes.json 'mcode')."""
    entry: dict[str, Any] = table()["mcode"]
    return entry


def is_tnm_m_category(system_uri: str, code: str) -> bool:
    names = mcode()["tnm_m_category"]
    return (system_uri == system("snomed") and code in names["snomed"]) or (
        system_uri == system("loinc") and code in names["loinc"]
    )


def ecog_from_answer(code: str) -> int | None:
    """ECOG grade from a LOINC answer (LL529-9), as mCODE codes the interpretation."""
    value = mcode()["ecog_answers"].get(code)
    return None if value is None else int(value)


def is_radiotherapy_snomed(code: str) -> bool:
    return code in table()["procedures"]["radiotherapy_snomed"]


def radiotherapy_snomed() -> str:
    """The code written for radiotherapy: 33195004 teleradiotherapy procedure (mCODE)."""
    return str(table()["procedures"]["radiotherapy_snomed"][0])


def bone_from_snomed(code: str) -> Bone | None:
    value = table()["bones"]["snomed"].get(code)
    return Bone(value) if value else None


def bone_snomed(bone: Bone) -> str | None:
    value = table()["bones"]["writer_snomed"].get(bone.value)
    return str(value) if value else None


def side_from_snomed(code: str) -> Side | None:
    value = table()["bones"]["laterality_snomed"].get(code)
    return Side(value) if value else None


def side_snomed(side: Side) -> str | None:
    for code, value in table()["bones"]["laterality_snomed"].items():
        if value == side.value:
            return str(code)
    return None


def modality_from_dicom(code: str, description: str) -> Modality | None:
    """DICOM modality code to the Case modality; NM and PT are read with the description."""
    upper = code.upper()
    text = description.lower()
    if upper == "NM":
        return Modality.bone_scan if "bone" in text else None
    if upper == "PT":
        return Modality.psma_pet if "psma" in text else Modality.pet_ct
    value = table()["imaging_modalities"]["dicom"].get(upper)
    return Modality(value) if value else None


def modality_dicom(modality: Modality) -> str:
    return str(table()["imaging_modalities"]["writer_dicom"][modality.value])


def route_coding(route: str) -> dict[str, str] | None:
    """SNOMED CT route coding for the Dose.route text, read from its first word ('IV over at least
    15 minutes' is intravenous); None when unknown or when the text offers a choice ('oral or IV')."""
    words = route.strip().upper().split()
    if not words or " OR " in f" {route.upper()} ":
        return None
    entry = table()["routes"].get(words[0])
    if entry is None or words[0].startswith("_"):
        return None
    return {"system": system("snomed"), "code": entry["code"], "display": entry["display"]}


def order_coding(code: str) -> dict[str, str] | None:
    """The standard code (SNOMED CT or LOINC) proposed beside bonemet's own for a recommendation."""
    entry = table()["order_codes"].get(code)
    if entry is None or code.startswith("_") or code == "order_detail":
        return None
    terminology, value, display = entry
    return {"system": system(terminology), "code": value, "display": display}


def order_detail(code: str) -> list[dict[str, str]]:
    """Further standard codes for an order that covers more than one test."""
    return [
        {"system": system(terminology), "code": value, "display": display}
        for terminology, value, display in table()["order_codes"]["order_detail"].get(code, [])
    ]


def primary_icd10_for_writer(primary: Primary) -> tuple[str, str] | None:
    entry = table()["primary_writer_icd10cm"].get(primary.value)
    return (str(entry["code"]), str(entry["display"])) if entry else None


@cache
def _imaging_patterns() -> list[tuple[Modality, re.Pattern[str]]]:
    return [(Modality(name), re.compile(pattern, re.IGNORECASE)) for name, pattern in table()["imaging_words"]["order"]]


def modality_from_text(text: str) -> Modality | None:
    """The modality named in free text ('MRI whole spine' -> mri); PSMA and PET are checked before CT."""
    for modality, pattern in _imaging_patterns():
        if pattern.search(text):
            return modality
    return None
