"""UCUM unit conversion into the Case's conventional units.

A value in a unit not listed here is not converted by guesswork: the reader reports it
and leaves the field unknown.

Molar conversions use c[mg/dL] = c[µmol/L] × M[g/mol] / 10 000, with the molar masses
cited beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation, register

PUBCHEM_CREATININE = Citation(
    key="pubchem_creatinine",
    label="PubChem: creatinine",
    reference="National Library of Medicine. PubChem Compound Summary for CID 588, Creatinine: "
    "molecular weight 113.12 g/mol.",
    url="https://pubchem.ncbi.nlm.nih.gov/compound/588",
)
PUBCHEM_BILIRUBIN = Citation(
    key="pubchem_bilirubin",
    label="PubChem: bilirubin",
    reference="National Library of Medicine. PubChem Compound Summary for CID 5280352, Bilirubin: "
    "molecular weight 584.7 g/mol (584.66).",
    url="https://pubchem.ncbi.nlm.nih.gov/compound/5280352",
)
IUPAC_CALCIUM = Citation(
    key="iupac_calcium",
    label="IUPAC standard atomic weights",
    reference="IUPAC Commission on Isotopic Abundances and Atomic Weights. Standard atomic weight of "
    "calcium: 40.078 g/mol.",
    url="https://www.ciaaw.org/calcium.htm",
)
UCUM_SPEC = Citation(
    key="ucum_units",
    label="UCUM",
    reference="The Unified Code for Units of Measure: units kat (mol/s), U (µmol/min), [lb_av] "
    "(0.45359237 kg), 10*9/L and 10*3/uL.",
    url="https://ucum.org/ucum",
)
IUPAC_MAGNESIUM = Citation(
    key="iupac_magnesium",
    label="IUPAC standard atomic weights (magnesium)",
    reference="IUPAC Commission on Isotopic Abundances and Atomic Weights. Standard atomic weight of "
    "magnesium: 24.305 g/mol.",
    url="https://www.ciaaw.org/magnesium.htm",
)
PUBCHEM_CALCIFEDIOL = Citation(
    key="pubchem_calcifediol",
    label="PubChem: calcifediol",
    reference="National Library of Medicine. PubChem Compound Summary for CID 5283731, Calcifediol "
    "(25-hydroxyvitamin D3): molecular weight 400.6 g/mol.",
    url="https://pubchem.ncbi.nlm.nih.gov/compound/5283731",
)
register(PUBCHEM_CREATININE, PUBCHEM_BILIRUBIN, IUPAC_CALCIUM, UCUM_SPEC, IUPAC_MAGNESIUM, PUBCHEM_CALCIFEDIOL)

CREATININE_G_PER_MOL = 113.12  # pubchem_creatinine
BILIRUBIN_G_PER_MOL = 584.66  # pubchem_bilirubin
CALCIUM_G_PER_MOL = 40.078  # iupac_calcium
CALCIUM_CHARGE = 2  # Ca2+: 1 mmol = 2 mEq
MAGNESIUM_G_PER_MOL = 24.305  # iupac_magnesium
MAGNESIUM_CHARGE = 2  # Mg2+: 1 mmol = 2 mEq
CALCIFEDIOL_G_PER_MOL = 400.6  # pubchem_calcifediol: nmol/L x 0.4006 = ng/mL
POUND_KG = 0.45359237  # ucum_units ([lb_av])
UNITS_PER_MICROKATAL = 60.0  # ucum_units: 1 µkat = 1 µmol/s = 60 µmol/min = 60 U


def _umol_per_l_to_mg_dl(molar_mass: float) -> float:
    return molar_mass / 10_000


@dataclass(frozen=True)
class Conversion:
    target: str  # the Case's unit, as written in the field name
    factors: dict[str, float]  # UCUM code -> multiplier into the target unit


CONVERSIONS: dict[str, Conversion] = {
    "creatinine": Conversion(
        "mg/dL",
        {
            "mg/dL": 1.0,
            "mg/L": 0.1,
            "umol/L": _umol_per_l_to_mg_dl(CREATININE_G_PER_MOL),
            "mmol/L": 1000 * _umol_per_l_to_mg_dl(CREATININE_G_PER_MOL),
        },
    ),
    "calcium": Conversion(
        "mg/dL",
        {
            "mg/dL": 1.0,
            "mg/L": 0.1,
            "mmol/L": 1000 * _umol_per_l_to_mg_dl(CALCIUM_G_PER_MOL),
            "meq/L": 1000 * _umol_per_l_to_mg_dl(CALCIUM_G_PER_MOL) / CALCIUM_CHARGE,
        },
    ),
    "albumin": Conversion("g/dL", {"g/dL": 1.0, "g/L": 0.1}),
    "ionized_calcium": Conversion(
        "mmol/L", {"mmol/L": 1.0, "mg/dL": 1 / (1000 * _umol_per_l_to_mg_dl(CALCIUM_G_PER_MOL))}
    ),
    "magnesium": Conversion(
        "mg/dL",
        {
            "mg/dL": 1.0,
            "mmol/L": 1000 * _umol_per_l_to_mg_dl(MAGNESIUM_G_PER_MOL),
            "meq/L": 1000 * _umol_per_l_to_mg_dl(MAGNESIUM_G_PER_MOL) / MAGNESIUM_CHARGE,
        },
    ),
    "vitamin_d": Conversion("ng/mL", {"ng/mL": 1.0, "ug/L": 1.0, "nmol/L": CALCIFEDIOL_G_PER_MOL / 1000}),
    "psa": Conversion("ng/mL", {"ng/mL": 1.0, "ug/L": 1.0}),
    "enzyme_activity": Conversion("U/L", {"U/L": 1.0, "[IU]/L": 1.0, "ukat/L": UNITS_PER_MICROKATAL}),
    "crp": Conversion("mg/dL", {"mg/dL": 1.0, "mg/L": 0.1}),
    "platelets": Conversion("10*9/L", {"10*9/L": 1.0, "10*3/uL": 1.0, "10*3/mm3": 1.0, "/uL": 0.001}),
    "bilirubin": Conversion(
        "mg/dL",
        {"mg/dL": 1.0, "mg/L": 0.1, "umol/L": _umol_per_l_to_mg_dl(BILIRUBIN_G_PER_MOL)},
    ),
    "weight": Conversion("kg", {"kg": 1.0, "g": 0.001, "[lb_av]": POUND_KG}),
    "age": Conversion("a", {"a": 1.0, "mo": 1 / 12}),
    "score": Conversion("{score}", {"{score}": 1.0, "1": 1.0, "": 1.0}),
}

# Unit strings seen in EHR data that are not UCUM codes, mapped to the UCUM code they mean.
_ALIASES: dict[str, str] = {
    "µmol/l": "umol/L",
    "μmol/l": "umol/L",
    "mcmol/l": "umol/L",
    "umol/l": "umol/L",
    "mmol/l": "mmol/L",
    "mg/dl": "mg/dL",
    "mg/l": "mg/L",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "ng/ml": "ng/mL",
    "µg/l": "ug/L",
    "ug/l": "ug/L",
    "u/l": "U/L",
    "iu/l": "[IU]/L",
    "[iu]/l": "[IU]/L",
    "µkat/l": "ukat/L",
    "ukat/l": "ukat/L",
    "meq/l": "meq/L",
    "10*9/l": "10*9/L",
    "10^9/l": "10*9/L",
    "x10^9/l": "10*9/L",
    "x10e9/l": "10*9/L",
    "10*3/ul": "10*3/uL",
    "10^3/ul": "10*3/uL",
    "x10^3/ul": "10*3/uL",
    "x10e3/ul": "10*3/uL",
    "k/ul": "10*3/uL",
    "thou/ul": "10*3/uL",
    "10*3/mm3": "10*3/mm3",
    "/ul": "/uL",
    "kg": "kg",
    "g": "g",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "[lb_av]": "[lb_av]",
    "a": "a",
    "yr": "a",
    "years": "a",
    "mo": "mo",
    "{score}": "{score}",
}


def canonical_unit(code: str | None, unit: str | None) -> str | None:
    """The UCUM code for a Quantity, preferring `code`, else recognising the display `unit`."""
    for candidate in (code, unit):
        if candidate is None:
            continue
        stripped = candidate.strip()
        if stripped in {u for conv in CONVERSIONS.values() for u in conv.factors}:
            return stripped
        alias = _ALIASES.get(stripped.lower())
        if alias is not None:
            return alias
    return None


def convert(analyte: str, value: float, code: str | None, unit: str | None) -> float | None:
    """The value in the Case's unit for this analyte, or None when the unit is not known."""
    conversion = CONVERSIONS[analyte]
    ucum = canonical_unit(code, unit)
    if ucum is None and analyte == "score":
        ucum = ""
    if ucum is None or ucum not in conversion.factors:
        return None
    return value * conversion.factors[ucum]
