"""Facts about the primary cancers that spread to bone, and the tables the likely-primary model uses.

Per primary: the usual radiographic pattern (lytic, blastic, mixed), how often bone
metastases occur in advanced disease, how often the primary was found among bone
metastases of unknown origin, and whether it is a common source of acral metastases.

What is published and what is estimated
- Published counts: the three series of bone metastases of unknown origin with a full
  breakdown of the primaries found (Simon & Bartucci 1986, Rougraff 1993, Jacobsen 1997),
  pooled below. Two later Japanese series report fewer lung primaries (Katagiri 1999: 23 of
  64; Takagi 2015: 72 of 286, 25.2%) and more prostate (Katagiri: 11 of 64), but do not give
  every category, so they are not pooled; the pooled prior probably overstates lung.
- Published shares: mixed lytic/sclerotic metastases in about 10% of breast, 15% of lung and
  15% of prostate cancers (Radiopaedia). Everything else about patterns is qualitative
  ("typically lytic", "purely lytic", "mainly blastic"), so the pattern likelihoods are the
  project's estimates built on those statements and are labelled as such.
- Acral metastases: shares among acral metastases are published (lung first, kidney
  second), likelihood ratios are not; the weights are the project's estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import (
    ACS_MALE_BREAST,
    COLEMAN_2006,
    DEVITA_PATTERNS,
    DOW_2023,
    JACOBSEN_1997,
    MERCK_METASTATIC_BONE_TUMORS,
    RADIOLOGY_TEACHING_PATTERNS,
    RADIOPAEDIA_MIXED,
    ROUGRAFF_1993,
    SIMON_1986,
    UMANA_2021,
    Fact,
)
from bonemet.model.vocabulary import Pattern, Primary, Sex

# --- Records -----------------------------------------------------------------------------------------


class PatternTendency(StrEnum):
    """The usual radiographic appearance of a primary's bone metastases."""

    purely_lytic = "purely_lytic"  # often expansile: kidney, thyroid, liver, melanoma
    lytic = "lytic"  # mostly lytic, a minority mixed: lung, breast, GI tract
    blastic = "blastic"  # mostly sclerotic: prostate, carcinoid
    mixed = "mixed"  # lytic, sclerotic or both: bladder, lymphoma, cervix, testis


class AcralTendency(StrEnum):
    """How often the primary is the source when a metastasis is acral (distal forearm/leg, hand, foot)."""

    commonest = "commonest"  # lung
    second = "second"  # kidney
    ordinary = "ordinary"


@dataclass(frozen=True)
class PatternLikelihood:
    """P(patient's overall pattern | primary). The three values sum to 1.

    `published` names what part is a published figure; the rest is the project's estimate.
    """

    lytic: float
    mixed: float
    blastic: float
    published: str | None

    def of(self, pattern: Pattern) -> float:
        return {Pattern.lytic: self.lytic, Pattern.mixed: self.mixed, Pattern.blastic: self.blastic}[pattern]


@dataclass(frozen=True)
class Percentage:
    """A published percentage or range, with its source."""

    low: float
    high: float
    citation: Citation
    note: str | None = None

    @property
    def text(self) -> str:
        figure = f"{self.low:g}%" if self.low == self.high else f"{self.low:g}-{self.high:g}%"
        return figure if self.note is None else f"{figure} ({self.note})"


@dataclass(frozen=True)
class PrimaryFacts:
    primary: Primary
    pattern: PatternTendency
    pattern_statement: Fact
    pattern_likelihood: PatternLikelihood
    acral: AcralTendency
    sex: Sex | None = None  # set when the primary occurs in one sex only
    bone_metastasis_in_advanced_disease: Percentage | None = None
    median_survival_after_bone_metastasis: str | None = None


# --- Pattern likelihood profiles ---------------------------------------------------------------------
# Estimates, not published tables: each profile turns a qualitative statement into numbers;
# where Radiopaedia gives the mixed share, that share is used as published. No value is 0,
# because every primary can occasionally produce any pattern (e.g. treated lytic breast
# metastases become sclerotic).

PURELY_LYTIC = PatternLikelihood(lytic=0.90, mixed=0.08, blastic=0.02, published=None)
LYTIC_GI = PatternLikelihood(lytic=0.70, mixed=0.15, blastic=0.15, published=None)
LYTIC_OTHER = PatternLikelihood(lytic=0.70, mixed=0.20, blastic=0.10, published=None)
MIXED = PatternLikelihood(lytic=0.45, mixed=0.30, blastic=0.25, published=None)
BLASTIC_OTHER = PatternLikelihood(lytic=0.10, mixed=0.15, blastic=0.75, published=None)
LUNG_PATTERN = PatternLikelihood(lytic=0.80, mixed=0.15, blastic=0.05, published="15% mixed (Radiopaedia)")
PROSTATE_PATTERN = PatternLikelihood(lytic=0.05, mixed=0.15, blastic=0.80, published="15% mixed (Radiopaedia)")
# Breast: 10% mixed (Radiopaedia); the sclerotic share is kept higher than lung's because
# breast metastases turn sclerotic after treatment.
BREAST_PATTERN = PatternLikelihood(lytic=0.70, mixed=0.10, blastic=0.20, published="10% mixed (Radiopaedia)")


def _pattern(statement: str, citation: Citation = RADIOLOGY_TEACHING_PATTERNS) -> Fact:
    return Fact(statement, citation)


# --- Bone metastasis in advanced disease (Coleman 2006) ----------------------------------------------
# Coleman's table as reproduced in secondary sources (percent of patients with advanced
# disease who have bone metastases; median survival after bone metastasis).

_COLEMAN_NOTE = "Coleman 2006 table, as reproduced"


def _coleman(low: float, high: float) -> Percentage:
    return Percentage(low, high, COLEMAN_2006, _COLEMAN_NOTE)


PRIMARY_FACTS: dict[Primary, PrimaryFacts] = {
    Primary.lung: PrimaryFacts(
        Primary.lung,
        PatternTendency.lytic,
        _pattern("Lung (non-small cell) metastases are typically lytic, about 15% mixed.", RADIOPAEDIA_MIXED),
        LUNG_PATTERN,
        AcralTendency.commonest,
        bone_metastasis_in_advanced_disease=_coleman(30, 40),
        median_survival_after_bone_metastasis="< 6 months",
    ),
    Primary.breast: PrimaryFacts(
        Primary.breast,
        PatternTendency.lytic,
        _pattern(
            "Breast metastases are typically lytic, about 10% mixed; they can be sclerotic, especially "
            "after treatment.",
            RADIOPAEDIA_MIXED,
        ),
        BREAST_PATTERN,
        AcralTendency.ordinary,
        bone_metastasis_in_advanced_disease=_coleman(65, 75),
        median_survival_after_bone_metastasis="24 months",
    ),
    Primary.prostate: PrimaryFacts(
        Primary.prostate,
        PatternTendency.blastic,
        _pattern("Prostate metastases are typically sclerotic (blastic), about 15% mixed.", RADIOPAEDIA_MIXED),
        PROSTATE_PATTERN,
        AcralTendency.ordinary,
        sex=Sex.male,
        bone_metastasis_in_advanced_disease=_coleman(65, 75),
        median_survival_after_bone_metastasis="40 months",
    ),
    Primary.kidney: PrimaryFacts(
        Primary.kidney,
        PatternTendency.purely_lytic,
        _pattern("Renal cell carcinoma metastases are purely lytic, often expansile.", DEVITA_PATTERNS),
        PURELY_LYTIC,
        AcralTendency.second,
        bone_metastasis_in_advanced_disease=_coleman(20, 25),
        median_survival_after_bone_metastasis="6 months",
    ),
    Primary.thyroid: PrimaryFacts(
        Primary.thyroid,
        PatternTendency.purely_lytic,
        _pattern("Thyroid carcinoma metastases are lytic and expansile."),
        PURELY_LYTIC,
        AcralTendency.ordinary,
        bone_metastasis_in_advanced_disease=_coleman(60, 60),
        median_survival_after_bone_metastasis="48 months",
    ),
    Primary.liver: PrimaryFacts(
        Primary.liver,
        PatternTendency.purely_lytic,
        _pattern("Hepatocellular carcinoma metastases are lytic and expansile."),
        PURELY_LYTIC,
        AcralTendency.ordinary,
    ),
    Primary.melanoma: PrimaryFacts(
        Primary.melanoma,
        PatternTendency.purely_lytic,
        _pattern("Melanoma metastases are lytic, often expansile."),
        PURELY_LYTIC,
        AcralTendency.ordinary,
        bone_metastasis_in_advanced_disease=_coleman(14, 45),
        median_survival_after_bone_metastasis="< 6 months",
    ),
    Primary.myeloma: PrimaryFacts(
        Primary.myeloma,
        PatternTendency.purely_lytic,
        _pattern("Myeloma lesions are purely lytic; the bone scan is insensitive.", DEVITA_PATTERNS),
        PURELY_LYTIC,
        AcralTendency.ordinary,
        bone_metastasis_in_advanced_disease=_coleman(95, 100),
        median_survival_after_bone_metastasis="20 months",
    ),
    Primary.colon: PrimaryFacts(
        Primary.colon,
        PatternTendency.lytic,
        _pattern("Colorectal metastases are usually lytic; mucinous adenocarcinoma can be sclerotic."),
        LYTIC_GI,
        AcralTendency.ordinary,
    ),
    Primary.rectum: PrimaryFacts(
        Primary.rectum,
        PatternTendency.lytic,
        _pattern("Colorectal metastases are usually lytic; mucinous adenocarcinoma can be sclerotic."),
        LYTIC_GI,
        AcralTendency.ordinary,
    ),
    Primary.stomach: PrimaryFacts(
        Primary.stomach,
        PatternTendency.lytic,
        _pattern("Non-mucinous GI adenocarcinoma metastases are lytic; mucinous ones can be sclerotic."),
        LYTIC_GI,
        AcralTendency.ordinary,
    ),
    Primary.esophagus: PrimaryFacts(
        Primary.esophagus,
        PatternTendency.lytic,
        _pattern("Non-mucinous GI adenocarcinoma metastases are lytic; mucinous ones can be sclerotic."),
        LYTIC_GI,
        AcralTendency.ordinary,
    ),
    Primary.pancreas: PrimaryFacts(
        Primary.pancreas,
        PatternTendency.lytic,
        _pattern("Non-mucinous GI adenocarcinoma metastases are lytic; mucinous ones can be sclerotic."),
        LYTIC_GI,
        AcralTendency.ordinary,
    ),
    Primary.gallbladder: PrimaryFacts(
        Primary.gallbladder,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
    ),
    Primary.bladder: PrimaryFacts(
        Primary.bladder,
        PatternTendency.mixed,
        _pattern("Urothelial (transitional cell) metastases can be lytic, sclerotic or mixed."),
        MIXED,
        AcralTendency.ordinary,
    ),
    Primary.lymphoma: PrimaryFacts(
        Primary.lymphoma,
        PatternTendency.mixed,
        _pattern("Lymphoma in bone can be lytic, mixed or (Hodgkin, rarely) sclerotic."),
        MIXED,
        AcralTendency.ordinary,
    ),
    Primary.cervix: PrimaryFacts(
        Primary.cervix,
        PatternTendency.mixed,
        _pattern("Cervical carcinoma metastases are listed among the mixed lytic/sclerotic types."),
        MIXED,
        AcralTendency.ordinary,
        sex=Sex.female,
    ),
    Primary.testis: PrimaryFacts(
        Primary.testis,
        PatternTendency.mixed,
        _pattern("Testicular tumour metastases are listed among the mixed lytic/sclerotic types."),
        MIXED,
        AcralTendency.ordinary,
        sex=Sex.male,
    ),
    Primary.carcinoid: PrimaryFacts(
        Primary.carcinoid,
        PatternTendency.blastic,
        _pattern("Carcinoid metastases are typically sclerotic."),
        BLASTIC_OTHER,
        AcralTendency.ordinary,
    ),
    Primary.ovary: PrimaryFacts(
        Primary.ovary,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
        sex=Sex.female,
    ),
    Primary.uterus: PrimaryFacts(
        Primary.uterus,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
        sex=Sex.female,
    ),
    Primary.head_and_neck: PrimaryFacts(
        Primary.head_and_neck,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
    ),
    Primary.sarcoma: PrimaryFacts(
        Primary.sarcoma,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
    ),
    Primary.other: PrimaryFacts(
        Primary.other,
        PatternTendency.lytic,
        _pattern("Most primaries other than prostate give lytic metastases."),
        LYTIC_OTHER,
        AcralTendency.ordinary,
    ),
}

LYTIC_TUMOURS_CAUSE_HYPERCALCAEMIA = Fact(
    "Lytic metastases are more often associated with hypercalcaemia; blastic metastases rarely are.",
    DEVITA_PATTERNS,
)


def primary_facts(primary: Primary) -> PrimaryFacts:
    return PRIMARY_FACTS[primary]


def pattern_likelihood(primary: Primary, pattern: Pattern) -> float:
    """P(the patient's overall pattern | primary): an estimate, see the module docstring."""
    return PRIMARY_FACTS[primary].pattern_likelihood.of(pattern)


# --- Primaries found among bone metastases of unknown origin ------------------------------------------


@dataclass(frozen=True)
class UnknownPrimarySeries:
    """Counts of the primaries identified in one series of bone metastases of unknown origin."""

    citation: Citation
    patients: int
    counts: tuple[tuple[Primary, int], ...]
    note: str

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.counts)


SIMON_1986_SERIES = UnknownPrimarySeries(
    SIMON_1986,
    46,
    (
        (Primary.lung, 7),
        (Primary.kidney, 6),  # 4 by the simple work-up, 2 more by abdominal CT
        (Primary.breast, 2),
        (Primary.prostate, 2),  # 1 by work-up, 1 by biopsy
        (Primary.thyroid, 1),  # by biopsy
        (Primary.ovary, 1),  # at laparotomy
        (Primary.liver, 1),  # hepatoma, at laparotomy
    ),
    "20 of 46 primaries identified",
)
ROUGRAFF_1993_SERIES = UnknownPrimarySeries(
    ROUGRAFF_1993,
    40,
    (
        (Primary.lung, 23),  # found on imaging (chest x-ray 17, chest CT 6)
        (Primary.kidney, 4),
        (Primary.liver, 1),
        (Primary.colon, 1),
        (Primary.breast, 1),
        (Primary.bladder, 1),
    ),
    "34 of 40 identified; 31 are attributed here (lung counted as the 23 found on imaging, not the "
    "commonly quoted 25, which could not be checked)",
)
JACOBSEN_1997_SERIES = UnknownPrimarySeries(
    JACOBSEN_1997,
    29,
    (
        (Primary.lung, 11),
        (Primary.prostate, 3),
        (Primary.breast, 2),
        (Primary.lymphoma, 2),
        (Primary.kidney, 1),
        (Primary.pancreas, 1),
        (Primary.ovary, 1),
        (Primary.stomach, 1),
        (Primary.carcinoid, 1),  # small intestine
        (Primary.sarcoma, 1),  # retroperitoneal rhabdomyosarcoma
    ),
    "24 of 29 identified (22 antemortem, 2 at autopsy); 5 never found",
)
UNKNOWN_PRIMARY_SERIES: tuple[UnknownPrimarySeries, ...] = (
    SIMON_1986_SERIES,
    ROUGRAFF_1993_SERIES,
    JACOBSEN_1997_SERIES,
)


def pooled_unknown_primary_counts() -> dict[Primary, int]:
    """Identified primaries summed over the three series (75 in all)."""
    pooled: dict[Primary, int] = {}
    for series in UNKNOWN_PRIMARY_SERIES:
        for primary, count in series.counts:
            pooled[primary] = pooled.get(primary, 0) + count
    return pooled


def unknown_primary_share(primary: Primary) -> float:
    """Share of the primary among the pooled identified primaries (0 when never found)."""
    pooled = pooled_unknown_primary_counts()
    return pooled.get(primary, 0) / sum(pooled.values())


UNKNOWN_PRIMARY_SOURCES: tuple[Citation, ...] = tuple(s.citation for s in UNKNOWN_PRIMARY_SERIES)

# About 1 in 100 breast cancers occurs in a man (American Cancer Society): the factor that
# turns a mixed-sex breast share into a male one.
MALE_BREAST_CANCER_FRACTION = 0.01
MALE_BREAST_FACT = Fact("About 1 in 100 breast cancers is diagnosed in a man.", ACS_MALE_BREAST)


def possible_in_sex(primary: Primary, sex: Sex | None) -> bool:
    """False for a sex-specific primary in the other sex (prostate, testis; ovary, uterus, cervix)."""
    required = PRIMARY_FACTS[primary].sex
    return sex is None or required is None or required is sex


# --- Acral metastases ----------------------------------------------------------------------------------

ACRAL_DEFINITION = Fact(
    "Acral metastases are those distal to the elbow and knee: about 0.1% of bone metastases, most often "
    "from lung, then gastrointestinal and genitourinary primaries.",
    UMANA_2021,
)
ACRAL_HAND_SHARES = Fact(
    "Metastases to the hand (676 patients): lung 39.2%, kidney 10.8%; mean survival 6.3 months.", DOW_2023
)
ACRAL_MERCK = Fact(
    "Below the mid forearm or mid calf, bone metastases come most often from lung, sometimes from kidney.",
    MERCK_METASTATIC_BONE_TUMORS,
)
# Likelihood ratios for an acral lesion: the project's estimates. Sources give the order
# (lung first, kidney second) and shares among acral metastases, not ratios.
ACRAL_LIKELIHOOD_RATIO: dict[AcralTendency, float] = {
    AcralTendency.commonest: 2.0,
    AcralTendency.second: 1.5,
    AcralTendency.ordinary: 1.0,
}


def acral_likelihood_ratio(primary: Primary) -> float:
    return ACRAL_LIKELIHOOD_RATIO[PRIMARY_FACTS[primary].acral]


# --- Bone metastasis frequency, all primaries ----------------------------------------------------------


def bone_metastasis_frequency(primary: Primary) -> Percentage | None:
    """How often advanced disease of this primary involves bone (Coleman 2006), when published."""
    return PRIMARY_FACTS[primary].bone_metastasis_in_advanced_disease
