"""Radiosensitivity of a tumour to conventionally fractionated external beam radiation.

This is the O (oncologic) input of NOMS: radiosensitive tumours are treated with
conventional EBRT even when the cord is compressed; radioresistant ones need stereotactic
radiation (and separation surgery first when compression is high grade).

Sources agree only on a core (AO Foundation Surgery Reference; SC.24 stratification;
Patchell 2005 exclusions):
- radiosensitive: lymphoma, myeloma, seminoma (and germ-cell tumours, leukaemia: Patchell 2005);
- radioresistant: renal cell, melanoma, colorectal (AO and SC.24), sarcoma (SC.24);
  thyroid too for AO, although SC.24 counted it among the radiosensitive.
Everything else varies between reproductions of the MSKCC NOMS work: breast, prostate,
ovarian, neuroendocrine and small-cell lung are usually called radiosensitive (or
"moderately sensitive"), NSCLC and hepatocellular radioresistant (or "intermediate"). Those
classes are returned with `settled=False` and a note saying a local policy may differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from bonemet.knowledge.citations import Citation, register
from bonemet.knowledge.guideline_sources import PATCHELL_2005
from bonemet.knowledge.guideline_sources import SC24_2021 as SAHGAL_2021_SC24
from bonemet.model.vocabulary import Primary

AO_RADIOSENSITIVITY = Citation(
    key="ao_surgery_reference_radiosensitivity",
    label="AO Surgery Reference",
    reference=(
        "AO Foundation Surgery Reference, Spine, Metastatic tumors: Classification of tumor "
        "radiosensitivity (response to conventionally fractionated radiotherapy)"
    ),
    url="https://surgeryreference.aofoundation.org",
)
LAUFER_2013 = Citation(
    key="laufer2013_noms",
    label="Laufer 2013 (NOMS)",
    reference=(
        "Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment of spinal "
        "metastatic tumors. Oncologist 2013;18(6):744-751"
    ),
    url="https://doi.org/10.1634/theoncologist.2012-0293",
)
# SC.24 and Patchell 2005 are registered once, in guideline_sources.
register(AO_RADIOSENSITIVITY, LAUFER_2013)


class Radiosensitivity(StrEnum):
    """Response to conventionally fractionated external beam radiation (NOMS 'O')."""

    sensitive = "sensitive"
    resistant = "resistant"


@dataclass(frozen=True)
class RadiosensitivityCall:
    """A radiosensitivity class with how firm it is and why."""

    radiosensitivity: Radiosensitivity
    settled: bool  # False: sources disagree; a local policy may classify it otherwise
    basis: str
    citations: tuple[Citation, ...]


_CORE = (AO_RADIOSENSITIVITY, LAUFER_2013)
_POLICY_NOTE = "sources disagree on this histology, so a local policy may classify it otherwise"


def _settled(radiosensitivity: Radiosensitivity, basis: str, *extra: Citation) -> RadiosensitivityCall:
    return RadiosensitivityCall(radiosensitivity, True, basis, _CORE + extra)


def _unsettled(radiosensitivity: Radiosensitivity, basis: str, *extra: Citation) -> RadiosensitivityCall:
    return RadiosensitivityCall(radiosensitivity, False, f"{basis}; {_POLICY_NOTE}", _CORE + extra)


_S = Radiosensitivity.sensitive
_R = Radiosensitivity.resistant

SEMINOMA = _settled(_S, "Seminoma: radiosensitive (AO Surgery Reference)")
LYMPHOMA = _settled(_S, "Lymphoma: radiosensitive (AO Surgery Reference)")
MYELOMA = _settled(_S, "Myeloma/plasmacytoma: radiosensitive (AO Surgery Reference)")
LEUKAEMIA = _settled(_S, "Leukaemia: radiosensitive (excluded as such from Patchell 2005)", PATCHELL_2005)
MELANOMA = _settled(_R, "Melanoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24)
SARCOMA = _settled(_R, "Sarcoma: radioresistant (SC.24 stratification)", SAHGAL_2021_SC24)
RENAL_CELL = _settled(_R, "Renal cell carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24)
# AO and the NOMS reproductions call thyroid radioresistant; the SC.24 stratification put every
# histology outside GI, sarcoma, melanoma and renal cell (so thyroid too) among the radiosensitive.
# The AO/NOMS class is kept because NOMS is the framework this feeds; the disagreement is shown.
THYROID = _unsettled(_R, "Thyroid carcinoma: radioresistant (AO Surgery Reference), but radiosensitive by SC.24")
COLORECTAL = _settled(_R, "Colorectal carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24)
# SC.24 classed every gastrointestinal primary as radioresistant; NOMS reproductions agree
# for colon and hepatocellular but say nothing firm on the upper GI tract.
UPPER_GI = _unsettled(_R, "Gastrointestinal primary: radioresistant (SC.24 stratification)", SAHGAL_2021_SC24)
HEPATOCELLULAR = _unsettled(_R, "Hepatocellular carcinoma: radioresistant in NOMS reproductions")
NON_SMALL_CELL_LUNG = _unsettled(
    _R, "Non-small-cell lung cancer: radioresistant in NOMS reproductions, 'intermediate' in others"
)
SMALL_CELL = _unsettled(_S, "Small-cell carcinoma: radiosensitive ('moderately sensitive') in NOMS reproductions")
NEUROENDOCRINE = _unsettled(_S, "Neuroendocrine carcinoma: radiosensitive in MSKCC NOMS reproductions")
BREAST = _unsettled(_S, "Breast: radiosensitive in MSKCC NOMS reproductions, 'intermediate' in others")
PROSTATE = _unsettled(_S, "Prostate: radiosensitive in MSKCC NOMS reproductions, 'intermediate' in others")
OVARY = _unsettled(_S, "Ovarian carcinoma: radiosensitive in MSKCC NOMS reproductions")
# Patchell 2005 excluded germ-cell tumours as radiosensitive; AO names seminoma only.
GERM_CELL = _unsettled(
    _S, "Testicular germ-cell tumour: radiosensitive (Patchell 2005; AO names seminoma only)", PATCHELL_2005
)


def _sc24_other(site: str) -> RadiosensitivityCall:
    # SC.24 stratified every histology outside GI, sarcoma, melanoma and renal cell as
    # radiosensitive; no NOMS reproduction names these sites.
    return _unsettled(_S, f"{site}: radiosensitive by the SC.24 stratification only", SAHGAL_2021_SC24)


# Histology words that decide the class whatever the primary site, checked in order:
# "non-seminoma" before "seminoma", "non-small cell" before "small cell".
_HISTOLOGY_RULES: tuple[tuple[re.Pattern[str], RadiosensitivityCall], ...] = tuple(
    (re.compile(pattern), call)
    for pattern, call in (
        (r"non.?seminom", GERM_CELL),
        (r"seminoma", SEMINOMA),
        (r"lymphoma", LYMPHOMA),
        (r"myeloma|plasmacytoma", MYELOMA),
        (r"leuka?emi", LEUKAEMIA),
        (r"melanoma", MELANOMA),
        (r"sarcoma", SARCOMA),
        (r"renal.cell", RENAL_CELL),
        (r"non.?small.?cell|nsclc", NON_SMALL_CELL_LUNG),
        (r"small.?cell|sclc", SMALL_CELL),
        (r"hepatocellular", HEPATOCELLULAR),
        (r"neuroendocrine|carcinoid", NEUROENDOCRINE),
    )
)
# Lung carcinomas that are not small-cell are non-small-cell by definition.
_LUNG_NON_SMALL_CELL_WORDS = re.compile(r"adeno|squamous|large.?cell")

_PRIMARY_RULES: dict[Primary, RadiosensitivityCall] = {
    Primary.lymphoma: LYMPHOMA,
    Primary.myeloma: MYELOMA,
    Primary.melanoma: MELANOMA,
    Primary.sarcoma: SARCOMA,
    Primary.kidney: RENAL_CELL,
    Primary.thyroid: THYROID,
    Primary.colon: COLORECTAL,
    Primary.rectum: COLORECTAL,
    Primary.stomach: UPPER_GI,
    Primary.esophagus: UPPER_GI,
    Primary.pancreas: UPPER_GI,
    Primary.gallbladder: UPPER_GI,
    Primary.liver: HEPATOCELLULAR,
    Primary.breast: BREAST,
    Primary.prostate: PROSTATE,
    Primary.ovary: OVARY,
    Primary.carcinoid: NEUROENDOCRINE,
    Primary.testis: GERM_CELL,
    Primary.bladder: _sc24_other("Bladder"),
    Primary.uterus: _sc24_other("Uterus"),
    Primary.cervix: _sc24_other("Cervix"),
    Primary.head_and_neck: _sc24_other("Head and neck"),
}
# Primary.lung depends on histology (small-cell or not) and Primary.other says nothing:
# both give None unless the histology decides.


def _histology_words(histology: str) -> str:
    return histology.strip().lower().replace("_", " ")


@lru_cache(maxsize=512)
def classify(primary: Primary | None, histology: str | None) -> RadiosensitivityCall | None:
    """The radiosensitivity class with its basis; None when it cannot be told.

    Cached: NOMS, the cord-compression rule and SBRT each ask it for the same case, and
    the answer depends on the two arguments only.
    """
    if histology:
        words = _histology_words(histology)
        for pattern, call in _HISTOLOGY_RULES:
            if pattern.search(words):
                return call
        if primary is Primary.lung and _LUNG_NON_SMALL_CELL_WORDS.search(words):
            return NON_SMALL_CELL_LUNG
    if primary is None:
        return None
    return _PRIMARY_RULES.get(primary)


def radiosensitivity(primary: Primary | None, histology: str | None) -> Radiosensitivity | None:
    """Sensitive or resistant to conventional EBRT; None when primary and histology do not tell."""
    call = classify(primary, histology)
    return call.radiosensitivity if call is not None else None
