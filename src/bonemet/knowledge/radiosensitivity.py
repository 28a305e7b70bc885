"""Radiosensitivity of a tumour to conventionally fractionated external beam radiation.

This is the O (oncologic) input of NOMS: radiosensitive tumours are treated with
conventional EBRT even when the cord is compressed; radioresistant ones need stereotactic
radiation (and separation surgery first when compression is high grade).

Sources agree only on a core (AO Foundation Surgery Reference; SC.24 stratification;
Patchell 2005 exclusions):
- radiosensitive: lymphoma, myeloma, seminoma (and germ-cell tumours, leukaemia: Patchell 2005);
- radioresistant: renal cell, melanoma, thyroid, colorectal (AO); gastrointestinal and
  sarcoma too (SC.24).
Everything else varies between reproductions of the MSKCC NOMS work: breast, prostate,
ovarian, neuroendocrine and small-cell lung are usually called radiosensitive (or
"moderately sensitive"), NSCLC and hepatocellular radioresistant (or "intermediate"). Those
classes are returned with `settled=False` and a note saying a local policy may differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.citations import Citation, register
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
SAHGAL_2021_SC24 = Citation(
    key="sahgal2021_sc24",
    label="SC.24 (Sahgal 2021)",
    reference=(
        "Sahgal A, Myrehaug SD, Siva S, et al. Stereotactic body radiotherapy versus conventional "
        "external beam radiotherapy in patients with painful spinal metastases: an open-label, "
        "multicentre, randomised, controlled, phase 2/3 trial (CCTG SC.24/TROG 17.06). "
        "Lancet Oncol 2021;22(7):1023-1033"
    ),
    url="https://doi.org/10.1016/S1470-2045(21)00196-0",
)
PATCHELL_2005 = Citation(
    key="patchell2005",
    label="Patchell 2005",
    reference=(
        "Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection in the "
        "treatment of spinal cord compression caused by metastatic cancer: a randomised trial. "
        "Lancet 2005;366(9486):643-648"
    ),
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
register(AO_RADIOSENSITIVITY, SAHGAL_2021_SC24, PATCHELL_2005, LAUFER_2013)


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

# Histology words that decide the class whatever the primary site (checked in this order:
# "non-small cell" before "small cell", so NSCLC is never read as small cell).
_HISTOLOGY_RULES: tuple[tuple[str, RadiosensitivityCall], ...] = (
    (r"seminoma", _settled(_S, "Seminoma: radiosensitive (AO Surgery Reference)")),
    (r"lymphoma", _settled(_S, "Lymphoma: radiosensitive (AO Surgery Reference)")),
    (r"myeloma|plasmacytoma", _settled(_S, "Myeloma/plasmacytoma: radiosensitive (AO Surgery Reference)")),
    (
        r"leuka?emi",
        _settled(_S, "Leukaemia: radiosensitive (excluded as such from Patchell 2005)", PATCHELL_2005),
    ),
    (r"melanoma", _settled(_R, "Melanoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24)),
    (r"sarcoma", _settled(_R, "Sarcoma: radioresistant (SC.24 stratification)", SAHGAL_2021_SC24)),
    (
        r"renal.cell",
        _settled(_R, "Renal cell carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24),
    ),
    (
        r"non.?small.?cell|nsclc",
        _unsettled(_R, "Non-small-cell lung cancer: radioresistant in NOMS reproductions, 'intermediate' in others"),
    ),
    (
        r"small.?cell|sclc",
        _unsettled(_S, "Small-cell carcinoma: radiosensitive ('moderately sensitive') in NOMS reproductions"),
    ),
    (r"hepatocellular", _unsettled(_R, "Hepatocellular carcinoma: radioresistant in NOMS reproductions")),
    (
        r"neuroendocrine|carcinoid",
        _unsettled(_S, "Neuroendocrine carcinoma: radiosensitive in MSKCC NOMS reproductions"),
    ),
)

_PRIMARY_RULES: dict[Primary, RadiosensitivityCall] = {
    Primary.lymphoma: _HISTOLOGY_RULES[1][1],
    Primary.myeloma: _HISTOLOGY_RULES[2][1],
    Primary.melanoma: _HISTOLOGY_RULES[4][1],
    Primary.sarcoma: _HISTOLOGY_RULES[5][1],
    Primary.kidney: _settled(_R, "Renal cell carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24),
    Primary.thyroid: _settled(_R, "Thyroid carcinoma: radioresistant (AO Surgery Reference)"),
    Primary.colon: _settled(_R, "Colorectal carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24),
    Primary.rectum: _settled(_R, "Colorectal carcinoma: radioresistant (AO Surgery Reference; SC.24)", SAHGAL_2021_SC24),
    # SC.24 classed all gastrointestinal primaries as radioresistant; NOMS reproductions agree
    # for colon and hepatocellular but say nothing firm on the upper GI tract.
    Primary.stomach: _unsettled(_R, "Gastrointestinal primary: radioresistant (SC.24)", SAHGAL_2021_SC24),
    Primary.esophagus: _unsettled(_R, "Gastrointestinal primary: radioresistant (SC.24)", SAHGAL_2021_SC24),
    Primary.pancreas: _unsettled(_R, "Gastrointestinal primary: radioresistant (SC.24)", SAHGAL_2021_SC24),
    Primary.gallbladder: _unsettled(_R, "Gastrointestinal primary: radioresistant (SC.24)", SAHGAL_2021_SC24),
    Primary.liver: _HISTOLOGY_RULES[9][1],
    Primary.breast: _unsettled(_S, "Breast: radiosensitive in MSKCC NOMS reproductions, 'intermediate' in others"),
    Primary.prostate: _unsettled(_S, "Prostate: radiosensitive in MSKCC NOMS reproductions, 'intermediate' in others"),
    Primary.ovary: _unsettled(_S, "Ovarian carcinoma: radiosensitive in MSKCC NOMS reproductions"),
    Primary.carcinoid: _HISTOLOGY_RULES[10][1],
    # Patchell 2005 excluded germ-cell tumours as radiosensitive; AO names seminoma only.
    Primary.testis: _unsettled(
        _S, "Testicular germ-cell tumour: radiosensitive (Patchell 2005; AO names seminoma)", PATCHELL_2005
    ),
    # SC.24 stratified every histology outside GI, sarcoma, melanoma and renal cell as
    # radiosensitive; no NOMS reproduction names these sites.
    Primary.bladder: _unsettled(_S, "Bladder: radiosensitive by the SC.24 stratification only", SAHGAL_2021_SC24),
    Primary.uterus: _unsettled(_S, "Uterus: radiosensitive by the SC.24 stratification only", SAHGAL_2021_SC24),
    Primary.cervix: _unsettled(_S, "Cervix: radiosensitive by the SC.24 stratification only", SAHGAL_2021_SC24),
    Primary.head_and_neck: _unsettled(
        _S, "Head and neck: radiosensitive by the SC.24 stratification only", SAHGAL_2021_SC24
    ),
}
# Lung depends on histology (small-cell vs non-small-cell) and "other" says nothing: both
# return None without a histology that decides.


def _histology_words(histology: str) -> str:
    return histology.strip().lower().replace("_", " ")


def classify(primary: Primary | None, histology: str | None) -> RadiosensitivityCall | None:
    """The radiosensitivity class with its basis; None when it cannot be told."""
    if histology:
        words = _histology_words(histology)
        for pattern, call in _HISTOLOGY_RULES:
            if re.search(pattern, words):
                return call
    if primary is None:
        return None
    return _PRIMARY_RULES.get(primary)


def radiosensitivity(primary: Primary | None, histology: str | None) -> Radiosensitivity | None:
    """Sensitive or resistant to conventional EBRT; None when primary and histology do not tell."""
    call = classify(primary, histology)
    return call.radiosensitivity if call is not None else None
