"""New Katagiri score (2014): survival of a patient with skeletal metastases.

Six items: primary lesion (0 / 2 / 3), visceral or cerebral metastases (0 / 1 / 2), laboratory
data (0 / 1 / 2), ECOG performance status 3-4 (1), previous chemotherapy (1), multiple skeletal
metastases (1); total 0-10. HIGHER IS WORSE: 0-3 low, 4-6 intermediate, 7-10 high risk.

Source: Katagiri et al., Cancer Med 2014;3(5):1359-1367 (808 patients registered 2005-2008 at one
Japanese cancer centre, 749 of them treated without surgery). This is not the 2005 Katagiri score
(five factors, 0-8), which had no laboratory item.

The point table was marked CHECK-PRIMARY in our reference notes (recalled from the paper's table,
no second source). It was re-checked here against an independent public reproduction that states
it was transcribed from the paper's open-access text, and the two agree on every point value, on
the laboratory cut-offs and on the 1-year survival by band (91 / 49 / 6%); the abstract confirms
the six factors, the weighting and the survival figures marked confirmed below. The laboratory
cut-offs are:
    abnormal (1): CRP >= 0.4 mg/dL, LDH >= 250 IU/L, or albumin < 3.7 g/dL
    critical (2): platelets < 100 x10^9/L (100,000/uL), calcium >= 10.3 mg/dL, or total
                  bilirubin >= 1.4 mg/dL
The two tiers use different tests. Each tier is any-of, and the item is the WORST tier present,
never a sum (critical plus abnormal is 2, not 3); the visceral item likewise takes the worst
category. That is how the maximum of 10 (3 + 2 + 2 + 1 + 1 + 1) holds.

Choices where the case leaves room, each stated in the item it affects:
- A tumour named in no group ("others") is moderate growth, as the paper's moderate group ends with
  "others" - except testicular cancer, which could be read as "other urological cancer" (rapid) or
  "others" (moderate) and is left for the clinician.
- Kidney is taken as renal cell carcinoma (moderate) unless the histology says urothelial or
  transitional cell, which is an "other urological cancer" (rapid).
- No visceral metastases recorded but brain status not recorded: scored as none, and the item says
  a brain metastasis would add 1 (brain imaging is not routine; the visceral record decides).
- Laboratory data with some tests missing: a critical value already found scores 2 whatever the
  missing ones are; otherwise the item stays unknown until every test that could still raise it is
  known (all three critical tests to score 1; all six to score 0). A partial panel never scores low.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Cancer, Case, Labs
from bonemet.model.vocabulary import CancerHistory, Primary, ScoreName, VisceralMetastases
from bonemet.scores.base import Item, ItemTable, ScoreResult, ScoreTable, flag_table, incomplete_interpretation
from bonemet.scores.burden import burden_basis, has_multiple_skeletal_metastases
from bonemet.scores.performance import effective_ecog

KATAGIRI_2014 = Citation(
    key="katagiri2014",
    label="Katagiri 2014",
    reference=(
        "Katagiri H, Okada R, Takagi T, Takahashi M, Murata H, Harada H, Nishimura T, Asakura H, "
        "Ogawa H. New prognostic factors and scoring system for patients with skeletal metastasis. "
        "Cancer Med 2014;3(5):1359-1367. doi:10.1002/cam4.292"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC4302686",
)
# The authors' Japanese-language account of the same cohort, with the treatment advice by band.
KATAGIRI_JAPANESE_SUMMARY = Citation(
    key="katagiri_japanese_summary",
    label="Katagiri (Japanese summary)",
    reference=(
        "Katagiri H, Okada R, Takagi T, Takahashi M, Murata H, Wasa J, Hosaka S, Wakai K, Nishimura T, "
        "Asakura H, Harada H, Ogawa H. Symposium 'Metastatic bone tumours: advances in treatment' "
        "(in Japanese), Igaku-Shoin journal vol. 48 no. 7, pp. 649-655"
    ),
    url="https://imis.igaku-shoin.co.jp/contents/journal/05570433/48/7/1408102754",
)
register(KATAGIRI_2014, KATAGIRI_JAPANESE_SUMMARY)

MINIMUM_TOTAL = 0
MAXIMUM_TOTAL = 10


class KatagiriGrowth(StrEnum):
    slow = "slow"
    moderate = "moderate"
    rapid = "rapid"


class KatagiriLaboratory(StrEnum):
    normal = "normal"
    abnormal = "abnormal"
    critical = "critical"


class KatagiriBand(StrEnum):
    low = "0-3: low risk"
    intermediate = "4-6: intermediate risk"
    high = "7-10: high risk"


# --- Katagiri 2014, Table (points per item) ----------------------------------------------------
GROWTH_POINTS: dict[KatagiriGrowth, int] = {
    KatagiriGrowth.slow: 0,
    KatagiriGrowth.moderate: 2,
    KatagiriGrowth.rapid: 3,
}
# "Nodular visceral or brain metastasis" 1; "disseminated metastasis" (pleural, peritoneal or
# leptomeningeal dissemination) 2.
VISCERAL_POINTS: dict[VisceralMetastases, int] = {
    VisceralMetastases.none: 0,
    VisceralMetastases.nodular: 1,
    VisceralMetastases.disseminated: 2,
}
LABORATORY_POINTS: dict[KatagiriLaboratory, int] = {
    KatagiriLaboratory.normal: 0,
    KatagiriLaboratory.abnormal: 1,
    KatagiriLaboratory.critical: 2,
}
POOR_ECOG_MINIMUM = 3  # ECOG 3 or 4 scores 1
POOR_PERFORMANCE_POINTS = 1
PREVIOUS_CHEMOTHERAPY_POINTS = 1
MULTIPLE_SKELETAL_POINTS = 1
# Bands: 0-3 / 4-6 / 7-10.
INTERMEDIATE_MINIMUM_TOTAL = 4
HIGH_MINIMUM_TOTAL = 7


def _ecog_value(described: str, note: str | None) -> str:
    # The ECOG note already starts with the grade when it was derived (e.g. from Karnofsky).
    return note if note and note.startswith(described) else described


# The score as data: each item's allowed values and points (Katagiri 2014).
PRIMARY_TABLE: ItemTable[KatagiriGrowth] = ItemTable(
    "primary_lesion", GROWTH_POINTS, lambda growth: f"{growth.value} growth"
)
VISCERAL_TABLE: ItemTable[VisceralMetastases] = ItemTable(
    "visceral_metastases", VISCERAL_POINTS, lambda visceral: visceral.value
)
LABORATORY_TABLE: ItemTable[KatagiriLaboratory] = ItemTable(
    "laboratory_data", LABORATORY_POINTS, lambda laboratory: laboratory.value
)
PERFORMANCE_TABLE: ItemTable[int] = ItemTable(
    "performance_status",
    {ecog: POOR_PERFORMANCE_POINTS if ecog >= POOR_ECOG_MINIMUM else 0 for ecog in range(5)},
    lambda ecog: f"ECOG {ecog}",
    _ecog_value,
)
CHEMOTHERAPY_TABLE = flag_table("previous_chemotherapy", PREVIOUS_CHEMOTHERAPY_POINTS)
SKELETAL_TABLE = flag_table("multiple_skeletal_metastases", MULTIPLE_SKELETAL_POINTS)


def _band_label(total: float) -> str:
    return band_of(total).value


TABLE = ScoreTable(
    name=ScoreName.katagiri_new,
    label="New Katagiri",
    items=(PRIMARY_TABLE, VISCERAL_TABLE, LABORATORY_TABLE, PERFORMANCE_TABLE, CHEMOTHERAPY_TABLE, SKELETAL_TABLE),
    band_of=_band_label,
    citation=KATAGIRI_2014,
    higher_is_worse=True,
)

# Published survival by band, derivation cohort (Katagiri 2014). Confirmed by the abstract:
# low 1 year 91%, 2 years 78%; high 6 months 27%, 1 year 6%. Intermediate 1 year 49% agrees with
# an independent reproduction of the paper's table. The remaining four come from our notes'
# recollection of the paper's table and could not be re-checked here; they are flagged in the
# interpretation (UNVERIFIED_SURVIVAL).
SURVIVAL_BY_BAND: dict[KatagiriBand, dict[str, float]] = {
    KatagiriBand.low: {"6_months": 0.98, "12_months": 0.91, "24_months": 0.78},
    KatagiriBand.intermediate: {"6_months": 0.74, "12_months": 0.49, "24_months": 0.28},
    KatagiriBand.high: {"6_months": 0.27, "12_months": 0.06, "24_months": 0.02},
}
UNVERIFIED_SURVIVAL: frozenset[tuple[KatagiriBand, str]] = frozenset(
    {
        (KatagiriBand.low, "6_months"),
        (KatagiriBand.intermediate, "6_months"),
        (KatagiriBand.intermediate, "24_months"),
        (KatagiriBand.high, "24_months"),
    }
)


@dataclass(frozen=True)
class _LabTest:
    label: str
    unit: str
    read: Callable[[Labs], float | None]
    is_out: Callable[[float], bool]
    limit: str  # the cut-off as written, e.g. ">= 0.4"


# Katagiri 2014: abnormal and critical laboratory data.
ABNORMAL_TESTS: tuple[_LabTest, ...] = (
    _LabTest("CRP", "mg/dL", lambda labs: labs.crp_mg_dl, lambda v: v >= 0.4, ">= 0.4"),
    _LabTest("LDH", "IU/L", lambda labs: labs.ldh_u_l, lambda v: v >= 250, ">= 250"),
    _LabTest("albumin", "g/dL", lambda labs: labs.albumin_g_dl, lambda v: v < 3.7, "< 3.7"),
)
CRITICAL_TESTS: tuple[_LabTest, ...] = (
    _LabTest("platelets", "x10^9/L", lambda labs: labs.platelets_10e9_l, lambda v: v < 100, "< 100"),
    _LabTest("calcium", "mg/dL", lambda labs: labs.calcium_mg_dl, lambda v: v >= 10.3, ">= 10.3"),
    _LabTest("total bilirubin", "mg/dL", lambda labs: labs.bilirubin_mg_dl, lambda v: v >= 1.4, ">= 1.4"),
)

BRAIN_NOT_RECORDED = "no visceral metastases; brain metastases not recorded (a brain metastasis would score 1)"

_SLOW_ALWAYS = frozenset({Primary.thyroid, Primary.myeloma, Primary.lymphoma})
_MODERATE_ALWAYS = frozenset({Primary.uterus, Primary.ovary, Primary.sarcoma})
_RAPID_ALWAYS = frozenset(
    {
        Primary.colon,
        Primary.rectum,
        Primary.stomach,
        Primary.pancreas,
        Primary.head_and_neck,
        Primary.esophagus,
        Primary.bladder,  # "other urological cancers"
        Primary.melanoma,
        Primary.liver,  # hepatocellular carcinoma
        Primary.gallbladder,
        Primary.cervix,
    }
)
_OTHERS = frozenset({Primary.carcinoid, Primary.other})  # "others": moderate growth


@dataclass(frozen=True)
class KatagiriItems:
    """The six new-Katagiri items; None means unknown.

    `visceral` is the worst of the visceral and brain metastases: a brain metastasis is "nodular".
    `notes` holds, per item name, how a value was derived (shown beside it) or why it is unknown.
    """

    primary_growth: KatagiriGrowth | None
    visceral: VisceralMetastases | None
    laboratory: KatagiriLaboratory | None
    ecog: int | None
    previous_chemotherapy: bool | None
    multiple_skeletal_metastases: bool | None
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.ecog is not None and not 0 <= self.ecog <= 4:
            raise ValueError(f"ECOG must be 0-4, not {self.ecog}")


def compute(items: KatagiriItems) -> ScoreResult:
    notes = items.notes
    scored = (
        PRIMARY_TABLE.item(items.primary_growth, notes.get(PRIMARY_TABLE.name)),
        VISCERAL_TABLE.item(items.visceral, notes.get(VISCERAL_TABLE.name)),
        LABORATORY_TABLE.item(items.laboratory, notes.get(LABORATORY_TABLE.name)),
        PERFORMANCE_TABLE.item(items.ecog, notes.get(PERFORMANCE_TABLE.name)),
        CHEMOTHERAPY_TABLE.item(items.previous_chemotherapy, notes.get(CHEMOTHERAPY_TABLE.name)),
        SKELETAL_TABLE.item(items.multiple_skeletal_metastases, notes.get(SKELETAL_TABLE.name)),
    )
    return TABLE.result(scored, _interpretation, lambda scored: _incomplete(scored, notes))


def band_of(total: float) -> KatagiriBand:
    if total >= HIGH_MINIMUM_TOTAL:
        return KatagiriBand.high
    if total >= INTERMEDIATE_MINIMUM_TOTAL:
        return KatagiriBand.intermediate
    return KatagiriBand.low


def survival_by_band(band: KatagiriBand | str) -> dict[str, float]:
    """Published survival for a band (Katagiri 2014), keys "6_months", "12_months", "24_months".

    Accepts the band or its label ("0-3: low risk"). Four of the nine figures are not confirmed
    against the full paper: see UNVERIFIED_SURVIVAL.
    """
    try:
        key = band if isinstance(band, KatagiriBand) else KatagiriBand(band)  # the enum call is slow
    except ValueError:
        allowed = ", ".join(repr(b.value) for b in KatagiriBand)
        raise ValueError(f"unknown Katagiri band {band!r}; expected one of {allowed}") from None
    return dict(SURVIVAL_BY_BAND[key])


def possible_bands(result: ScoreResult) -> tuple[KatagiriBand, ...]:
    """The band of a complete score, or every band its best/worst-case range reaches (low to high)."""
    if result.total is not None:
        return (band_of(result.total),)
    if result.total_range is None:
        return ()
    low, high = result.total_range
    return tuple(band for band in KatagiriBand if _overlaps(band, low, high))


def survival_range(bands: tuple[KatagiriBand, ...]) -> dict[str, tuple[float, float]]:
    """Lowest and highest published survival (Katagiri 2014) by horizon over the given bands."""
    if not bands:
        return {}
    horizons = SURVIVAL_BY_BAND[bands[0]].keys()
    return {
        key: (min(SURVIVAL_BY_BAND[band][key] for band in bands), max(SURVIVAL_BY_BAND[band][key] for band in bands))
        for key in horizons
    }


_BAND_TOTALS: dict[KatagiriBand, tuple[int, int]] = {
    KatagiriBand.low: (MINIMUM_TOTAL, INTERMEDIATE_MINIMUM_TOTAL - 1),
    KatagiriBand.intermediate: (INTERMEDIATE_MINIMUM_TOTAL, HIGH_MINIMUM_TOTAL - 1),
    KatagiriBand.high: (HIGH_MINIMUM_TOTAL, MAXIMUM_TOTAL),
}


def _overlaps(band: KatagiriBand, low: float, high: float) -> bool:
    first, last = _BAND_TOTALS[band]
    return low <= last and high >= first


# --- From a case -------------------------------------------------------------------------------


def items_from_case(case: Case) -> KatagiriItems:
    growth, growth_note = primary_growth_of(case.cancer)
    visceral, visceral_note = visceral_of(case.cancer)
    laboratory, laboratory_note = laboratory_category(case.labs)
    ecog, ecog_note = effective_ecog(case.patient)
    multiple = has_multiple_skeletal_metastases(case)
    chemotherapy = case.cancer.prior_chemotherapy
    notes = {
        "primary_lesion": growth_note,
        "visceral_metastases": visceral_note,
        "laboratory_data": laboratory_note,
        "performance_status": ecog_note,
        "multiple_skeletal_metastases": (f"from {burden_basis(case)}" if multiple is not None else burden_basis(case)),
    }
    if chemotherapy is None:
        notes["previous_chemotherapy"] = "previous chemotherapy not recorded"
    return KatagiriItems(
        primary_growth=growth,
        visceral=visceral,
        laboratory=laboratory,
        ecog=ecog,
        previous_chemotherapy=chemotherapy,
        multiple_skeletal_metastases=multiple,
        notes=notes,
    )


def primary_growth_of(cancer: Cancer) -> tuple[KatagiriGrowth | None, str]:
    """Katagiri growth group, which turns on treatment as well as organ (hormone dependence for
    breast and prostate, molecularly targeted therapy for lung); None with the reason when unknown."""
    primary = cancer.primary
    if primary is None:
        if cancer.history is CancerHistory.unknown_primary:
            return KatagiriGrowth.rapid, "cancer of unknown origin"
        if cancer.history is CancerHistory.none:
            return None, "no known cancer: the score applies to skeletal metastases of a cancer"
        return None, "primary site not recorded"
    if primary in (Primary.breast, Primary.prostate):
        return _hormone_group(primary, cancer.hormone_dependent)
    if primary is Primary.lung:
        return _lung_group(cancer.targeted_therapy)
    if primary is Primary.kidney:
        return _kidney_group(cancer.histology)
    if primary is Primary.testis:
        return None, (
            "testicular cancer is not named: 'other urological cancers' (rapid, 3) or 'others' "
            "(moderate, 2) - the growth group needs a clinician"
        )
    if primary in _SLOW_ALWAYS:
        return KatagiriGrowth.slow, primary.value
    if primary in _MODERATE_ALWAYS:
        return KatagiriGrowth.moderate, primary.value
    if primary in _RAPID_ALWAYS:
        return KatagiriGrowth.rapid, primary.value
    if primary in _OTHERS:
        return KatagiriGrowth.moderate, f"{primary.value}: not named, scored with 'others' (moderate growth)"
    raise AssertionError(f"primary {primary!r} has no Katagiri group")  # pragma: no cover


def visceral_of(cancer: Cancer) -> tuple[VisceralMetastases | None, str]:
    """Worst of visceral and brain metastases: disseminated (2) > nodular or brain (1) > none (0).

    Recorded "no visceral metastases" with brain status not recorded scores none, flagged: the
    item is read from the visceral record (as the derivation cohort's was, from metastases found),
    and the flag tells the reader that an undetected brain metastasis would add a point.
    """
    visceral, brain = cancer.visceral_metastases, cancer.brain_metastases
    if visceral is VisceralMetastases.disseminated:
        return visceral, "pleural, peritoneal or leptomeningeal dissemination"
    if visceral is VisceralMetastases.nodular:
        return visceral, "nodular visceral metastases"
    if visceral is None:
        if brain:
            return (
                None,
                "brain metastasis present, visceral metastases not recorded (1, or 2 if disseminated)",
            )
        return None, "visceral metastases not recorded"
    if brain:
        return VisceralMetastases.nodular, "brain metastasis"
    if brain is None:
        return VisceralMetastases.none, BRAIN_NOT_RECORDED
    return VisceralMetastases.none, "no visceral or brain metastases"


def laboratory_category(labs: Labs) -> tuple[KatagiriLaboratory | None, str]:
    """Worst laboratory tier present; unknown unless the missing tests could not change it."""
    critical, missing_critical = _screen(CRITICAL_TESTS, labs)
    abnormal, missing_abnormal = _screen(ABNORMAL_TESTS, labs)
    if critical and abnormal:
        return KatagiriLaboratory.critical, (
            f"critical: {critical}; also abnormal: {abnormal} (the worst tier counts, not the sum)"
        )
    if critical:
        return KatagiriLaboratory.critical, f"critical: {critical}"
    if len(missing_critical) + len(missing_abnormal) == len(CRITICAL_TESTS) + len(ABNORMAL_TESTS):
        return None, "no laboratory values recorded (CRP, LDH, albumin, platelets, calcium, bilirubin)"
    if missing_critical:
        found = f"abnormal: {abnormal}; " if abnormal else ""
        return None, f"{found}{', '.join(missing_critical)} not recorded (a critical value would score 2)"
    if abnormal:
        return KatagiriLaboratory.abnormal, f"abnormal: {abnormal}; platelets, calcium, bilirubin normal"
    if missing_abnormal:
        return None, (
            f"platelets, calcium, bilirubin normal; {', '.join(missing_abnormal)} not recorded "
            "(an abnormal value would score 1)"
        )
    return KatagiriLaboratory.normal, "CRP, LDH, albumin, platelets, calcium and bilirubin all within limits"


# --- Items and text --------------------------------------------------------------------------


def _survival_text(band: KatagiriBand) -> str:
    horizons = (("6_months", "6 months"), ("12_months", "1 year"), ("24_months", "2 years"))
    parts = []
    for key, label in horizons:
        figure = f"{label} {SURVIVAL_BY_BAND[band][key]:.0%}"
        parts.append(
            f"{figure} (not confirmed against the full paper)" if (band, key) in UNVERIFIED_SURVIVAL else figure
        )
    return ", ".join(parts)


_ADVICE: dict[KatagiriBand, str] = {
    KatagiriBand.low: "first choice a treatment whose effect lasts, aiming at walking outdoors",
    KatagiriBand.intermediate: "decide case by case, considering age and the other lesions",
    KatagiriBand.high: "first choice a less invasive treatment of short duration",
}


@cache  # one text per total (0-10), written once
def _interpretation(total: float) -> str:
    band = band_of(total)
    return (
        f"New Katagiri {total:g}/10 (higher is worse), {band.value}. Published survival for this band "
        f"(Katagiri 2014): {_survival_text(band)}. Suggested approach: {_ADVICE[band]} "
        "(Katagiri, Japanese summary). The figures come from 808 patients registered in 2005-2008 at "
        "one Japanese centre, most treated without surgery; validation cohorts report different rates. "
        "Older prognostic scores have underestimated survival in modern cohorts (Carrwik 2020, for "
        "Tokuhashi, Tomita and modified Bauer; Katagiri was not tested there), so read these as "
        "population estimates, one input beside the oncologist's judgement."
    )


def _incomplete(items: tuple[Item, ...], notes: Mapping[str, str]) -> str:
    why = [f"{item.name}: {notes[item.name]}" for item in items if item.points is None and notes.get(item.name)]
    text = incomplete_interpretation(items)
    return f"{text} Why: {'; '.join(why)}." if why else text


def _hormone_group(primary: Primary, hormone_dependent: bool | None) -> tuple[KatagiriGrowth | None, str]:
    if hormone_dependent is None:
        return None, (
            f"{primary.value}: hormone dependence not recorded (dependent: slow, 0; independent: moderate, 2)"
        )
    if hormone_dependent:
        return KatagiriGrowth.slow, f"hormone-dependent {primary.value} cancer"
    return KatagiriGrowth.moderate, f"hormone-independent {primary.value} cancer"


def _lung_group(targeted_therapy: bool | None) -> tuple[KatagiriGrowth | None, str]:
    if targeted_therapy is None:
        return None, "lung: molecularly targeted therapy not recorded (with: moderate, 2; without: rapid, 3)"
    if targeted_therapy:
        return KatagiriGrowth.moderate, "lung cancer with molecularly targeted therapy"
    return KatagiriGrowth.rapid, "lung cancer without molecularly targeted therapy"


def _kidney_group(histology: str | None) -> tuple[KatagiriGrowth, str]:
    text = (histology or "").lower()
    if "urothelial" in text or "transitional" in text:
        return KatagiriGrowth.rapid, f"kidney, {histology}: other urological cancer"
    if histology is None:
        return KatagiriGrowth.moderate, "kidney, taken as renal cell carcinoma (histology not recorded)"
    return KatagiriGrowth.moderate, f"kidney ({histology}), renal cell carcinoma group"


def _screen(tests: tuple[_LabTest, ...], labs: Labs) -> tuple[str, list[str]]:
    """The out-of-range results, described, and the labels of the tests not recorded."""
    found = []
    missing = []
    for test in tests:
        value = test.read(labs)
        if value is None:
            missing.append(test.label)
        elif test.is_out(value):
            found.append(f"{test.label} {value:g} {test.unit} ({test.limit})")
    return ", ".join(found), missing
