"""Creatinine clearance by Cockcroft-Gault, banded as the zoledronic acid label bands it.

CrCl (mL/min) = (140 - age) x weight (kg) / (72 x serum creatinine (mg/dL)), x 0.85 for women
(Cockcroft & Gault 1976, Nephron 16:31). Patient level (lesion_index None); higher is better.

Weight: actual body weight. The Zometa label asks for Cockcroft-Gault but does not say which
weight; actual weight is what Cockcroft and Gault used, and the interpretation says so, so a
team that uses another weight can see it and pass that weight in `CrclItems`.

Bands: the zoledronic acid renal table (Zometa US label Table 1, same as the EU SmPC):
> 60, 50-60, 40-49, 30-39, < 30 mL/min. The label's integer bands leave gaps (49-50, 39-40,
29-30); a value in a gap goes to the lower band, the one with the smaller dose, and the band
is taken from the total as shown (one decimal) so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation, register
from bonemet.knowledge.guideline_sources import ZOMETA_US_PI
from bonemet.model import Case
from bonemet.model.vocabulary import ScoreName, Sex
from bonemet.scores.base import Item, ScoreResult, incomplete_interpretation

COCKCROFT_GAULT_1976 = Citation(
    key="cockcroft_gault1976",
    label="Cockcroft & Gault 1976",
    reference=(
        "Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16(1):31-41"
    ),
)
register(COCKCROFT_GAULT_1976)
# The formula's source and the source of the band edges (the Zometa label, registered once
# in guideline_sources with the other drug labels).
SOURCES: tuple[Citation, ...] = (COCKCROFT_GAULT_1976, ZOMETA_US_PI)

# Cockcroft & Gault 1976.
AGE_CONSTANT = 140.0
CREATININE_FACTOR = 72.0
FEMALE_FACTOR = 0.85
SEX_FACTOR: dict[Sex, float] = {Sex.male: 1.0, Sex.female: FEMALE_FACTOR}
# The formula was derived in adults; it is not used for children.
ADULT_AGE_YEARS = 18.0

# Band edges, mL/min: ZOMETA_US_PI, Table 1 (renal dose adjustment).
BAND_ABOVE_60 = "above 60 mL/min"
BAND_50_TO_60 = "50-60 mL/min"
BAND_40_TO_49 = "40-49 mL/min"
BAND_30_TO_39 = "30-39 mL/min"
BAND_BELOW_30 = "below 30 mL/min"

_BAND_MEANING: dict[str, str] = {
    BAND_ABOVE_60: "no renal dose reduction of zoledronic acid",
    BAND_50_TO_60: "reduced zoledronic acid dose (label Table 1)",
    BAND_40_TO_49: "reduced zoledronic acid dose (label Table 1)",
    BAND_30_TO_39: "reduced zoledronic acid dose (label Table 1)",
    BAND_BELOW_30: "zoledronic acid not recommended (severe renal impairment)",
}


@dataclass(frozen=True)
class CrclItems:
    age_years: float | None
    weight_kg: float | None  # actual body weight unless the caller chooses otherwise
    sex: Sex | None
    creatinine_mg_dl: float | None


def creatinine_clearance_ml_min(age_years: float, weight_kg: float, sex: Sex, creatinine_mg_dl: float) -> float:
    """Cockcroft-Gault creatinine clearance in mL/min, unrounded."""
    if not ADULT_AGE_YEARS <= age_years < AGE_CONSTANT:
        raise ValueError(f"Cockcroft-Gault is an adult formula: age must be 18 to 139 years, not {age_years}")
    if weight_kg <= 0:
        raise ValueError(f"weight must be positive, not {weight_kg} kg")
    if creatinine_mg_dl <= 0:
        raise ValueError(f"serum creatinine must be positive, not {creatinine_mg_dl} mg/dL")
    return (AGE_CONSTANT - age_years) * weight_kg / (CREATININE_FACTOR * creatinine_mg_dl) * SEX_FACTOR[sex]


def shown(crcl_ml_min: float) -> str:
    """The clearance as printed next to its band: one decimal, two where rounding would cross a band edge
    (39.46 prints 39.5 in the 30-39 band, never '40')."""
    text = f"{crcl_ml_min:.1f}"
    return text if band_of(float(text)) == band_of(crcl_ml_min) else f"{crcl_ml_min:.2f}"


def band_of(crcl_ml_min: float) -> str:
    if crcl_ml_min > 60:
        return BAND_ABOVE_60
    if crcl_ml_min >= 50:
        return BAND_50_TO_60
    if crcl_ml_min >= 40:
        return BAND_40_TO_49
    if crcl_ml_min >= 30:
        return BAND_30_TO_39
    return BAND_BELOW_30


def items_from_case(case: Case) -> CrclItems:
    return CrclItems(
        age_years=case.patient.age_years,
        weight_kg=case.patient.weight_kg,
        sex=case.patient.sex,
        creatinine_mg_dl=case.labs.creatinine_mg_dl,
    )


def compute(items: CrclItems, lesion_index: int | None = None) -> ScoreResult:
    """For CrCl an item's 'points' are the number that enters the formula (the sex item: its
    factor); the total is the formula, not their sum."""
    scored = (
        _number_item("age", items.age_years, "years"),
        _number_item("weight", items.weight_kg, "kg"),
        Item("sex", items.sex.value, SEX_FACTOR[items.sex]) if items.sex is not None else Item("sex", None, None),
        _number_item("creatinine", items.creatinine_mg_dl, "mg/dL"),
    )
    age, weight, sex, creatinine = items.age_years, items.weight_kg, items.sex, items.creatinine_mg_dl
    if age is None or weight is None or sex is None or creatinine is None:
        return _result(scored, None, incomplete_interpretation(scored), lesion_index)
    if age < ADULT_AGE_YEARS:
        return _result(
            scored,
            None,
            "Not computed: Cockcroft-Gault was derived in adults and is not used under 18 years.",
            lesion_index,
        )
    crcl = round(creatinine_clearance_ml_min(age, weight, sex, creatinine), 1)
    return _result(scored, crcl, _interpretation(crcl, weight), lesion_index)


def _number_item(name: str, value: float | None, unit: str) -> Item:
    if value is None:
        return Item(name, None, None)
    return Item(name, f"{value:g} {unit}", value)


def _result(items: tuple[Item, ...], total: float | None, interpretation: str, lesion_index: int | None) -> ScoreResult:
    return ScoreResult(
        name=ScoreName.crcl_cockcroft_gault,
        items=items,
        total=total,
        band=band_of(total) if total is not None else None,
        interpretation=interpretation,
        citation=COCKCROFT_GAULT_1976,
        higher_is_worse=False,
        lesion_index=lesion_index,
    )


def _interpretation(crcl: float, weight_kg: float) -> str:
    band = band_of(crcl)
    return (
        f"Creatinine clearance {crcl:g} mL/min (Cockcroft-Gault, actual body weight {weight_kg:g} kg; "
        "the Zometa label names Cockcroft-Gault but not which weight). "
        f"Zoledronic acid renal band {band} (Zometa label Table 1): {_BAND_MEANING[band]}. "
        "Valid only while serum creatinine is stable."
    )
