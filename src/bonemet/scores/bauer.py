"""Modified Bauer score (Leithner 2008): survival of a patient with spinal metastases.

Four favourable factors, 1 point each: no visceral metastases; primary not lung cancer; primary
breast, kidney, lymphoma or multiple myeloma; one solitary skeletal metastasis. Total 0-4. HIGHER
IS BETTER. Suggested treatment: 0-1 supportive care, no surgery; 2 short-term palliation,
posterior (dorsal) surgery; 3-4 middle-term local control, anterior-posterior (ventral-dorsal)
surgery.

Source: Leithner A, et al., Eur Spine J 2008 (the original Bauer 1995 score without its
pathologic-fracture item; the abstract confirms the modification). The items and the treatment
suggestions by band were checked against a published reproduction that cites the paper
(dss.dign.eu, "Modified Bauer score"). The median survival by band in our reference notes could
not be confirmed against the paper, so no survival figure is given here.

Reading the case, each choice stated in its item:
- Visceral metastases are read from the visceral record; brain metastases are not counted (the
  score names visceral metastases only).
- An unknown primary leaves both primary items unknown (it could be lung cancer).
- Kidney is any kidney primary, as the score names the organ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Case
from bonemet.model.vocabulary import Primary, ScoreName, VisceralMetastases
from bonemet.scores.base import ScoreResult, ScoreTable, flag_table, incomplete_interpretation
from bonemet.scores.burden import burden_basis, has_multiple_skeletal_metastases

LEITHNER_2008 = Citation(
    key="leithner2008_bauer_modified",
    label="Leithner 2008 (modified Bauer)",
    reference=(
        "Leithner A, Radl R, Gruber G, Hochegger M, Leithner K, Welkerling H, Rehak P, Windhager R. "
        "Predictive value of seven preoperative prognostic scoring systems for spinal metastases. "
        "Eur Spine J 2008;17(11):1488-1495. doi:10.1007/s00586-008-0763-1"
    ),
    url="http://dss.dign.eu/details.php?id=46",
)
register(LEITHNER_2008)

MINIMUM_TOTAL = 0
MAXIMUM_TOTAL = 4
FAVOURABLE_PRIMARIES = frozenset({Primary.breast, Primary.kidney, Primary.lymphoma, Primary.myeloma})
# Bands: 0-1 / 2 / 3-4 (Leithner 2008).
PALLIATION_TOTAL = 2
LOCAL_CONTROL_MINIMUM_TOTAL = 3

BAND_SUPPORTIVE = "0-1: supportive care, no surgery"
BAND_PALLIATION = "2: short-term palliation, posterior surgery"
BAND_LOCAL_CONTROL = "3-4: middle-term local control, anterior-posterior surgery"

NO_VISCERAL_TABLE = flag_table("no_visceral_metastases", 1)
NOT_LUNG_TABLE = flag_table("primary_not_lung", 1)
FAVOURABLE_PRIMARY_TABLE = flag_table("primary_breast_kidney_lymphoma_myeloma", 1)
SOLITARY_TABLE = flag_table("solitary_skeletal_metastasis", 1)


def band_of(total: float) -> str:
    if total >= LOCAL_CONTROL_MINIMUM_TOTAL:
        return BAND_LOCAL_CONTROL
    if total >= PALLIATION_TOTAL:
        return BAND_PALLIATION
    return BAND_SUPPORTIVE


TABLE = ScoreTable(
    name=ScoreName.bauer_modified,
    label="Modified Bauer",
    items=(NO_VISCERAL_TABLE, NOT_LUNG_TABLE, FAVOURABLE_PRIMARY_TABLE, SOLITARY_TABLE),
    band_of=band_of,
    citation=LEITHNER_2008,
    higher_is_worse=False,
)


@dataclass(frozen=True)
class BauerItems:
    """The four favourable factors; True scores 1, False 0, None unknown."""

    no_visceral_metastases: bool | None
    primary_not_lung: bool | None
    favourable_primary: bool | None
    solitary_skeletal_metastasis: bool | None
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)


def compute(items: BauerItems) -> ScoreResult:
    notes = items.notes
    scored = (
        NO_VISCERAL_TABLE.item(items.no_visceral_metastases, notes.get(NO_VISCERAL_TABLE.name)),
        NOT_LUNG_TABLE.item(items.primary_not_lung, notes.get(NOT_LUNG_TABLE.name)),
        FAVOURABLE_PRIMARY_TABLE.item(items.favourable_primary, notes.get(FAVOURABLE_PRIMARY_TABLE.name)),
        SOLITARY_TABLE.item(items.solitary_skeletal_metastasis, notes.get(SOLITARY_TABLE.name)),
    )
    return TABLE.result(scored, _interpretation, incomplete_interpretation)


def items_from_case(case: Case) -> BauerItems:
    cancer = case.cancer
    visceral = cancer.visceral_metastases
    primary = cancer.primary
    multiple = has_multiple_skeletal_metastases(case)
    notes = {
        NO_VISCERAL_TABLE.name: (
            "visceral metastases not recorded" if visceral is None else f"visceral metastases: {visceral.value}"
        ),
        NOT_LUNG_TABLE.name: primary.value if primary is not None else "primary not known",
        FAVOURABLE_PRIMARY_TABLE.name: primary.value if primary is not None else "primary not known",
        SOLITARY_TABLE.name: f"from {burden_basis(case)}" if multiple is not None else burden_basis(case),
    }
    return BauerItems(
        no_visceral_metastases=None if visceral is None else visceral is VisceralMetastases.none,
        primary_not_lung=None if primary is None else primary is not Primary.lung,
        favourable_primary=None if primary is None else primary in FAVOURABLE_PRIMARIES,
        solitary_skeletal_metastasis=None if multiple is None else not multiple,
        notes=notes,
    )


def _interpretation(total: float) -> str:
    return (
        f"Modified Bauer {total:g}/4 (higher is better), band {band_of(total)} (Leithner 2008). "
        "Derived in 69 operated patients treated 1998-2006; no survival figure is given here because "
        "the published medians could not be confirmed. A decision for or against surgery should also "
        "weigh pain, neurological deficit and instability, not the score alone."
    )
