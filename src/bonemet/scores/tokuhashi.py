"""Revised Tokuhashi score (2005): predicted survival of a patient with spinal metastases.

Six items (general condition, extraspinal bone metastases, vertebral-body metastases, metastases
to the major internal organs, primary site, palsy); total 0-15. HIGHER IS BETTER: 12-15 predicts
survival of a year or more, 0-8 under six months. (Tomita and Katagiri run the other way.)

Points and bands: Tokuhashi 2005 (Spine 30:2186), as reproduced with the author's corrections in
NICE CG75 (2008), Appendix 3, and in independent calculator reproductions.

Resolved or flagged where the sources leave room:
- Vertebral-body item: 3 or more = 0, 2 = 1, 1 = 2. Some reviews print "3 or more / 1-2 / 0",
  copying the extraspinal row; that cannot be right (every patient scored has at least one
  vertebral metastasis, so a "0" category could never apply). Two independent reproductions
  agree with 3+/2/1; the primary table itself could not be read here.
- Colon is not named in the table: only rectum scores 4. Colon is scored "others" (2), the
  reading of the table; some users score all colorectal cancer 4 (UNCERTAIN, said in the item).
- Cervix is scored with "uterus" (3): the table does not separate cervix from corpus (UNCERTAIN,
  said in the item).
- Osteosarcoma scores 0 but other sarcomas are "others" (2): a sarcoma without histology is left
  unknown rather than guessed.
- "No visceral metastases" with brain status not recorded is scored as no organ metastases, and
  the item says so: brain imaging is not routine, and the visceral record decides.
- General condition is graded on Karnofsky; ECOG is converted with the convention in
  `bonemet.scores.performance` and flagged as converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Cancer, Case
from bonemet.model.vocabulary import (
    CancerHistory,
    NeurologicDeficit,
    Primary,
    ScoreName,
    VisceralMetastases,
)
from bonemet.scores.base import Item, ItemTable, ScoreResult, ScoreTable, incomplete_interpretation, with_note
from bonemet.scores.burden import (
    burden_basis,
    extraspinal_metastasis_count,
    extraspinal_metastasis_minimum,
    vertebral_metastasis_count,
    vertebral_metastasis_minimum,
)
from bonemet.scores.performance import KpsRange, effective_kps

TOKUHASHI_2005 = Citation(
    key="tokuhashi2005",
    label="Tokuhashi 2005",
    reference=(
        "Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative "
        "evaluation of metastatic spine tumor prognosis. Spine (Phila Pa 1976) 2005;30(19):2186-2191. "
        "doi:10.1097/01.brs.0000180401.06919.a5"
    ),
)
NICE_CG75_TOKUHASHI = Citation(
    key="nice_cg75_tokuhashi",
    label="NICE CG75 2008, Appendix 3",
    reference=(
        "National Collaborating Centre for Cancer. Metastatic spinal cord compression: diagnosis and "
        "management of patients at risk of or with metastatic spinal cord compression. NICE clinical "
        "guideline 75 (2008), Appendix 3, revised Tokuhashi scoring system (reproduced with the "
        "author's permission and corrections)"
    ),
)
# Shared by the survival scores (Tokuhashi, Tomita, Katagiri): older cohorts, modern patients.
CARRWIK_2020 = Citation(
    key="carrwik2020",
    label="Carrwik 2020",
    reference=(
        "Carrwik C, Olerud C, Robinson Y. Predictive scores underestimate survival of patients with "
        "metastatic spine disease: a retrospective study of 315 patients in Sweden. Spine (Phila Pa "
        "1976) 2020;45(6):414-419 (epub 2019; PMID 31651680)"
    ),
)
register(TOKUHASHI_2005, NICE_CG75_TOKUHASHI, CARRWIK_2020)

OLDER_COHORT_CAVEAT = (
    "These scores were derived in older cohorts: in a Swedish surgical cohort of 2006-2012 the "
    "Tokuhashi (original and revised), Tomita and modified Bauer scores all underestimated rather "
    "than overestimated survival, and Tokuhashi's long-survival predictions were wrong in 42% of "
    "cases (Carrwik 2020). Read the figure as a population estimate, one input beside the "
    "oncologist's judgement."
)

MINIMUM_TOTAL = 0
MAXIMUM_TOTAL = 15


class OrganMetastases(StrEnum):
    """Metastases to the major internal organs (lungs, liver, kidneys, brain)."""

    none = "none"
    removable = "removable"
    unremovable = "unremovable"


class TokuhashiPrimaryGroup(StrEnum):
    """The primary-site rows of Tokuhashi 2005, named by the sites each row lists."""

    lung_osteosarcoma_stomach_bladder_esophagus_pancreas = "lung_osteosarcoma_stomach_bladder_esophagus_pancreas"
    liver_gallbladder_unidentified = "liver_gallbladder_unidentified"
    others = "others"
    kidney_uterus = "kidney_uterus"
    rectum = "rectum"
    thyroid_breast_prostate_carcinoid = "thyroid_breast_prostate_carcinoid"


class TokuhashiBand(StrEnum):
    under_6_months = "0-8: predicted survival under 6 months"
    six_months_or_more = "9-11: predicted survival 6 months or more"
    one_year_or_more = "12-15: predicted survival 1 year or more"


# --- Tokuhashi 2005, Table (points per item) ------------------------------------------------
# General condition (Karnofsky): 10-40 poor 0, 50-70 moderate 1, 80-100 good 2.
KPS_POOR_MAXIMUM = 40
KPS_GOOD_MINIMUM = 80
# Extraspinal bone metastases: 3 or more 0, 1-2 1, none 2.
# Vertebral-body metastases: 3 or more 0, 2 1, 1 2.
MANY_METASTASES = 3
ORGAN_POINTS: dict[OrganMetastases, int] = {
    OrganMetastases.unremovable: 0,
    OrganMetastases.removable: 1,
    OrganMetastases.none: 2,
}
PRIMARY_POINTS: dict[TokuhashiPrimaryGroup, int] = {
    TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas: 0,
    TokuhashiPrimaryGroup.liver_gallbladder_unidentified: 1,
    TokuhashiPrimaryGroup.others: 2,
    TokuhashiPrimaryGroup.kidney_uterus: 3,
    TokuhashiPrimaryGroup.rectum: 4,
    TokuhashiPrimaryGroup.thyroid_breast_prostate_carcinoid: 5,
}
# Palsy (Frankel): complete (A-B) 0, incomplete (C-D) 1, none (E) 2.
PALSY_POINTS: dict[NeurologicDeficit, int] = {
    NeurologicDeficit.complete: 0,
    NeurologicDeficit.incomplete: 1,
    NeurologicDeficit.none: 2,
}
# Bands: 0-8 / 9-11 / 12-15 (Tokuhashi 2005, "criteria of predicted prognosis").
SIX_MONTHS_MINIMUM_TOTAL = 9
ONE_YEAR_MINIMUM_TOTAL = 12

_FRANKEL: dict[NeurologicDeficit, str] = {
    NeurologicDeficit.none: "no palsy (Frankel E)",
    NeurologicDeficit.incomplete: "incomplete palsy (Frankel C-D)",
    NeurologicDeficit.complete: "complete palsy (Frankel A-B)",
}

# The score as data: each item's allowed values and points (Tokuhashi 2005). Counts and Karnofsky
# ranges are read into these categories by the functions below.
GENERAL_CONDITION_TABLE: ItemTable[str] = ItemTable(
    "general_condition", {"KPS 10-40": 0, "KPS 50-70": 1, "KPS 80-100": 2}
)
EXTRASPINAL_TABLE: ItemTable[str] = ItemTable("extraspinal_bone_metastases", {"3 or more": 0, "1-2": 1, "none": 2})
VERTEBRAL_TABLE: ItemTable[str] = ItemTable("vertebral_body_metastases", {"3 or more": 0, "2": 1, "1": 2})
ORGAN_TABLE: ItemTable[OrganMetastases] = ItemTable(
    "major_organ_metastases", ORGAN_POINTS, lambda organs: f"metastases to major internal organs: {organs.value}"
)
PRIMARY_TABLE: ItemTable[TokuhashiPrimaryGroup] = ItemTable("primary_site", PRIMARY_POINTS)
PALSY_TABLE: ItemTable[NeurologicDeficit] = ItemTable("palsy", PALSY_POINTS, lambda palsy: _FRANKEL[palsy])


def _band_label(total: float) -> str:
    return band_of(total).value


TABLE = ScoreTable(
    name=ScoreName.tokuhashi_revised,
    label="Revised Tokuhashi",
    items=(GENERAL_CONDITION_TABLE, EXTRASPINAL_TABLE, VERTEBRAL_TABLE, ORGAN_TABLE, PRIMARY_TABLE, PALSY_TABLE),
    band_of=_band_label,
    citation=TOKUHASHI_2005,
    higher_is_worse=False,
)


_PRIMARY_GROUP_OF: dict[Primary, TokuhashiPrimaryGroup] = {
    Primary.lung: TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas,
    Primary.stomach: TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas,
    Primary.bladder: TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas,
    Primary.esophagus: TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas,
    Primary.pancreas: TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas,
    Primary.liver: TokuhashiPrimaryGroup.liver_gallbladder_unidentified,
    Primary.gallbladder: TokuhashiPrimaryGroup.liver_gallbladder_unidentified,
    Primary.kidney: TokuhashiPrimaryGroup.kidney_uterus,
    Primary.uterus: TokuhashiPrimaryGroup.kidney_uterus,
    Primary.cervix: TokuhashiPrimaryGroup.kidney_uterus,
    Primary.rectum: TokuhashiPrimaryGroup.rectum,
    Primary.thyroid: TokuhashiPrimaryGroup.thyroid_breast_prostate_carcinoid,
    Primary.breast: TokuhashiPrimaryGroup.thyroid_breast_prostate_carcinoid,
    Primary.prostate: TokuhashiPrimaryGroup.thyroid_breast_prostate_carcinoid,
    Primary.carcinoid: TokuhashiPrimaryGroup.thyroid_breast_prostate_carcinoid,
    # Not listed in the table, so "others" (2):
    Primary.colon: TokuhashiPrimaryGroup.others,
    Primary.ovary: TokuhashiPrimaryGroup.others,
    Primary.head_and_neck: TokuhashiPrimaryGroup.others,
    Primary.melanoma: TokuhashiPrimaryGroup.others,
    Primary.testis: TokuhashiPrimaryGroup.others,
    Primary.myeloma: TokuhashiPrimaryGroup.others,
    Primary.lymphoma: TokuhashiPrimaryGroup.others,
    Primary.other: TokuhashiPrimaryGroup.others,
}
_PRIMARY_NOTES: dict[Primary, str] = {
    Primary.colon: (
        "colon: not listed, scored 'others' (2) - only rectum scores 4, though some users score "
        "all colorectal cancer 4 (UNCERTAIN)"
    ),
    Primary.cervix: ("cervix: scored with 'uterus' (3), as the table does not separate cervix from corpus (UNCERTAIN)"),
    Primary.myeloma: "myeloma: not listed, scored 'others' (2)",
    Primary.lymphoma: "lymphoma: not listed, scored 'others' (2)",
}


@dataclass(frozen=True)
class TokuhashiItems:
    """The six revised-Tokuhashi items; None means unknown.

    Counts of 3 or more all score the same, so a count may be a known minimum ("at least 3").
    `notes` holds, per item name, how a value was derived (shown beside it) or why it is unknown.
    """

    kps: KpsRange | None
    extraspinal_bone_metastases: int | None
    vertebral_body_metastases: int | None
    organ_metastases: OrganMetastases | None
    primary_site: TokuhashiPrimaryGroup | None
    palsy: NeurologicDeficit | None
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.extraspinal_bone_metastases is not None and self.extraspinal_bone_metastases < 0:
            raise ValueError("extraspinal_bone_metastases cannot be negative")
        if self.vertebral_body_metastases is not None and self.vertebral_body_metastases < 1:
            raise ValueError(
                "vertebral_body_metastases must be at least 1: the revised Tokuhashi score is for "
                "patients with spinal metastases"
            )


def compute(items: TokuhashiItems) -> ScoreResult:
    scored = (
        _general_condition_item(items),
        _extraspinal_item(items),
        _vertebral_item(items),
        ORGAN_TABLE.item(items.organ_metastases, items.notes.get(ORGAN_TABLE.name)),
        _primary_item(items),
        PALSY_TABLE.item(items.palsy, items.notes.get(PALSY_TABLE.name)),
    )
    return TABLE.result(scored, _interpretation, lambda scored: _incomplete(scored, _reasons_unknown(items)))


def band_of(total: float) -> TokuhashiBand:
    if total >= ONE_YEAR_MINIMUM_TOTAL:
        return TokuhashiBand.one_year_or_more
    if total >= SIX_MONTHS_MINIMUM_TOTAL:
        return TokuhashiBand.six_months_or_more
    return TokuhashiBand.under_6_months


def general_condition_points(kps: KpsRange) -> int | None:
    """0/1/2 for KPS 10-40 / 50-70 / 80-100; None when a converted range straddles two categories."""
    if kps.high <= KPS_POOR_MAXIMUM:
        return GENERAL_CONDITION_TABLE.points["KPS 10-40"]
    if kps.low >= KPS_GOOD_MINIMUM:
        return GENERAL_CONDITION_TABLE.points["KPS 80-100"]
    if kps.low > KPS_POOR_MAXIMUM and kps.high < KPS_GOOD_MINIMUM:
        return GENERAL_CONDITION_TABLE.points["KPS 50-70"]
    return None


def extraspinal_points(count: int) -> int:
    if count >= MANY_METASTASES:
        return EXTRASPINAL_TABLE.points["3 or more"]
    return EXTRASPINAL_TABLE.points["1-2" if count >= 1 else "none"]


def vertebral_points(count: int) -> int:
    if count >= MANY_METASTASES:
        return VERTEBRAL_TABLE.points["3 or more"]
    return VERTEBRAL_TABLE.points["2" if count == 2 else "1"]


# --- From a case -------------------------------------------------------------------------------


def items_from_case(case: Case) -> TokuhashiItems:
    notes: dict[str, str] = {}
    kps, kps_note = effective_kps(case.patient)
    notes["general_condition"] = kps_note
    basis = burden_basis(case)
    extraspinal = _count_for_tokuhashi(
        extraspinal_metastasis_count(case),
        extraspinal_metastasis_minimum(case),
        basis,
        notes,
        "extraspinal_bone_metastases",
    )
    vertebral = _count_for_tokuhashi(
        vertebral_metastasis_count(case),
        vertebral_metastasis_minimum(case),
        basis,
        notes,
        "vertebral_body_metastases",
    )
    if vertebral == 0:
        notes["vertebral_body_metastases"] = (
            "no vertebral metastasis recorded: the revised Tokuhashi score applies to spinal metastases"
        )
        vertebral = None
    organs, organ_note = organ_metastases_of(case.cancer)
    notes["major_organ_metastases"] = organ_note
    primary, primary_note = primary_site_group(case.cancer)
    notes["primary_site"] = primary_note
    palsy = case.presentation.neurologic_deficit
    if palsy is None:
        notes["palsy"] = "neurologic deficit not recorded"
    return TokuhashiItems(
        kps=kps,
        extraspinal_bone_metastases=extraspinal,
        vertebral_body_metastases=vertebral,
        organ_metastases=organs,
        primary_site=primary,
        palsy=palsy,
        notes=notes,
    )


def primary_site_group(cancer: Cancer) -> tuple[TokuhashiPrimaryGroup | None, str]:
    """The Tokuhashi primary-site row for a cancer, with a note; None when it cannot be placed."""
    if cancer.primary is None:
        if cancer.history is CancerHistory.unknown_primary:
            return TokuhashiPrimaryGroup.liver_gallbladder_unidentified, "primary unidentified"
        if cancer.history is CancerHistory.none:
            return None, "no known cancer: the score applies to spinal metastases of a cancer"
        return None, "primary site not recorded"
    if cancer.primary is Primary.sarcoma:
        return _sarcoma_group(cancer.histology)
    group = _PRIMARY_GROUP_OF[cancer.primary]
    note = _PRIMARY_NOTES.get(cancer.primary, cancer.primary.value)
    return group, note


def organ_metastases_of(cancer: Cancer) -> tuple[OrganMetastases | None, str]:
    """Metastases to lungs, liver, kidneys or brain: none, removable or unremovable.

    Nodular visceral metastases (and brain metastases) are removable or not as recorded in
    `visceral_metastases_resectable`; disseminated (pleural, peritoneal, leptomeningeal) disease is
    not removable. "No visceral metastases" with brain status not recorded scores "none", and the
    item says that a brain metastasis would change it.
    """
    visceral, brain = cancer.visceral_metastases, cancer.brain_metastases
    if visceral is VisceralMetastases.disseminated:
        return OrganMetastases.unremovable, "disseminated metastases (pleural, peritoneal or leptomeningeal)"
    if visceral is None:
        return None, "visceral metastases not recorded"
    if visceral is VisceralMetastases.none and brain is False:
        return OrganMetastases.none, "no visceral or brain metastases"
    if visceral is VisceralMetastases.none and brain is None:
        return OrganMetastases.none, (
            "no visceral metastases; brain metastases not recorded (a brain metastasis would lower this item)"
        )
    what = "brain metastases" if visceral is VisceralMetastases.none else "nodular visceral metastases"
    resectable = cancer.visceral_metastases_resectable
    if resectable is None:
        return None, f"{what}: whether they are removable is not recorded"
    if resectable:
        return OrganMetastases.removable, f"removable {what}"
    return OrganMetastases.unremovable, f"unremovable {what}"


# --- Items ---------------------------------------------------------------------------------------


def _general_condition_item(items: TokuhashiItems) -> Item:
    name = "general_condition"
    if items.kps is None:
        return Item(name, None, None)
    points = general_condition_points(items.kps)
    if points is None:
        return Item(name, None, None)
    return Item(name, with_note(str(items.kps), items.notes.get(name)), points)


def _extraspinal_item(items: TokuhashiItems) -> Item:
    name = "extraspinal_bone_metastases"
    count = items.extraspinal_bone_metastases
    if count is None:
        return Item(name, None, None)
    described = f"extraspinal bone metastases: {_count_text(count)}"
    return Item(name, with_note(described, items.notes.get(name)), extraspinal_points(count))


def _vertebral_item(items: TokuhashiItems) -> Item:
    name = "vertebral_body_metastases"
    count = items.vertebral_body_metastases
    if count is None:
        return Item(name, None, None)
    described = f"vertebral bodies involved: {_count_text(count)}"
    return Item(name, with_note(described, items.notes.get(name)), vertebral_points(count))


def _primary_item(items: TokuhashiItems) -> Item:
    name = "primary_site"
    group = items.primary_site
    if group is None:
        return Item(name, None, None)
    row = f"Tokuhashi row: {group.value.replace('_', '/')}"
    note = items.notes.get(name)
    return Item(name, f"{note}; {row}" if note else row, PRIMARY_POINTS[group])


# --- Text ------------------------------------------------------------------------------------------

_BAND_TEXT: dict[TokuhashiBand, str] = {
    TokuhashiBand.under_6_months: (
        "predicted survival under 6 months; conservative treatment, palliative surgery only in selected cases"
    ),
    TokuhashiBand.six_months_or_more: (
        "predicted survival 6 months or more; palliative surgery, excisional surgery only as an "
        "exception (a single spinal lesion without metastases to the major internal organs)"
    ),
    TokuhashiBand.one_year_or_more: "predicted survival 1 year or more; excisional surgery",
}


@cache  # one text per total (0-15), written once
def _interpretation(total: float) -> str:
    band = band_of(total)
    return (
        f"Revised Tokuhashi {total:g}/15 (higher is better), band {band.value.split(':')[0]}: "
        f"{_BAND_TEXT[band]} (Tokuhashi 2005). {OLDER_COHORT_CAVEAT}"
    )


def _reasons_unknown(items: TokuhashiItems) -> dict[str, str]:
    reasons = dict(items.notes)
    if items.kps is not None and general_condition_points(items.kps) is None:
        reasons["general_condition"] = f"{items.kps} spans two Tokuhashi categories (10-40 / 50-70 / 80-100)"
    return reasons


def _incomplete(items: tuple[Item, ...], reasons: Mapping[str, str]) -> str:
    why = [f"{item.name}: {reasons[item.name]}" for item in items if item.points is None and item.name in reasons]
    text = incomplete_interpretation(items)
    return f"{text} Why: {'; '.join(why)}." if why else text


def _count_text(count: int) -> str:
    return f"{count} (3 or more)" if count >= MANY_METASTASES else str(count)


def _count_for_tokuhashi(exact: int | None, minimum: int, basis: str, notes: dict[str, str], name: str) -> int | None:
    """The exact count, or a known minimum of 3 or more (which already fixes the worst category);
    `basis` says where the burden figures come from."""
    if exact is not None:
        notes[name] = f"from {basis}"
        return exact
    if minimum >= MANY_METASTASES:
        notes[name] = f"at least {minimum}, from {basis}"
        return minimum
    notes[name] = f"unknown ({basis})"
    return None


def _sarcoma_group(histology: str | None) -> tuple[TokuhashiPrimaryGroup | None, str]:
    # Osteosarcoma is in the 0-point row; any other sarcoma is "others" (2).
    if histology is None:
        return None, "sarcoma without histology: osteosarcoma scores 0, other sarcomas 'others' (2)"
    if "osteosarcoma" in histology.lower():
        return TokuhashiPrimaryGroup.lung_osteosarcoma_stomach_bladder_esophagus_pancreas, "osteosarcoma"
    return TokuhashiPrimaryGroup.others, f"sarcoma ({histology}), not osteosarcoma: 'others'"
