"""The likely-primary model: sex, pattern and acral site move the probabilities as the sources say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet.model import Case, parse_case
from bonemet.model.vocabulary import Bone, Pattern, Primary, Segment
from bonemet.pathway import assess
from bonemet.pathway.likely_primaries import (
    MAX_ENTRIES,
    MIN_PROBABILITY,
    is_acral,
    likely_primaries,
    overall_pattern,
    posterior,
)


def _case(sex: str | None, *lesions: dict[str, Any], history: str = "none", **cancer: Any) -> Case:
    data: dict[str, Any] = {"cancer": {"history": history, **cancer}, "lesions": list(lesions)}
    if sex is not None:
        data["patient"] = {"sex": sex}
    return parse_case(data)


def _probabilities(case: Case) -> dict[Primary, float]:
    return {entry.primary: entry.probability for entry in likely_primaries(case)}


def test_woman_with_lytic_lesions_has_no_prostate_and_lung_first() -> None:
    case = _case("female", {"bone": "femur", "pattern": "lytic"}, {"bone": "spine", "pattern": "lytic"})
    entries = likely_primaries(case)
    assert Primary.prostate not in {e.primary for e in entries}
    assert posterior(case).get(Primary.prostate, 0.0) == 0.0
    assert entries[0].primary is Primary.lung


def test_man_with_blastic_lesions_ranks_prostate_first() -> None:
    case = _case("male", {"bone": "pelvis", "pattern": "blastic"}, {"bone": "spine", "pattern": "blastic"})
    entries = likely_primaries(case)
    assert entries[0].primary is Primary.prostate
    assert Primary.ovary not in posterior(case)


def test_acral_lesion_raises_lung() -> None:
    femur = _case("male", {"bone": "femur", "segment": "shaft", "pattern": "lytic"})
    hand = _case("male", {"bone": "hand", "pattern": "lytic"})
    assert posterior(hand)[Primary.lung] > posterior(femur)[Primary.lung]
    assert any("Acral lesion" in line for line in likely_primaries(hand)[0].why)


def test_man_breast_is_much_less_likely_than_in_a_woman() -> None:
    lesion = {"bone": "spine", "pattern": "lytic"}
    assert posterior(_case("male", lesion))[Primary.breast] < posterior(_case("female", lesion))[Primary.breast] / 50


@pytest.mark.parametrize(
    ("bone", "segment", "acral"),
    [
        (Bone.hand, None, True),
        (Bone.foot, None, True),
        (Bone.radius, Segment.distal, True),
        (Bone.tibia, Segment.distal, True),
        (Bone.radius, Segment.proximal, False),
        (Bone.tibia, Segment.shaft, False),
        (Bone.femur, Segment.distal, False),
        (Bone.humerus, Segment.distal, False),
    ],
)
def test_acral_rule(bone: Bone, segment: Segment | None, acral: bool) -> None:
    lesion = _case(None, {"bone": bone.value, **({"segment": segment.value} if segment else {})}).lesions[0]
    assert is_acral(lesion) is acral


def test_lytic_and_blastic_lesions_together_count_as_mixed() -> None:
    case = _case(None, {"bone": "spine", "pattern": "lytic"}, {"bone": "rib", "pattern": "blastic"})
    assert overall_pattern(list(case.lesions)) is Pattern.mixed
    assert overall_pattern([]) is None


def test_probabilities_sum_to_one_and_entries_are_sorted_and_bounded() -> None:
    case = _case("male", {"bone": "spine", "pattern": "mixed"})
    assert sum(posterior(case).values()) == pytest.approx(1.0)
    entries = likely_primaries(case)
    probabilities = [e.probability for e in entries]
    assert probabilities == sorted(probabilities, reverse=True)
    assert len(entries) <= MAX_ENTRIES
    assert all(p >= MIN_PROBABILITY for p in probabilities)
    assert sum(probabilities) <= 1.0 + 1e-9


def test_deterministic() -> None:
    case = _case("female", {"bone": "hand", "pattern": "lytic"}, {"bone": "spine", "pattern": "mixed"})
    assert likely_primaries(case) == likely_primaries(case)


@pytest.mark.parametrize(
    ("history", "primary"),
    [("known_primary", "breast"), ("known_primary", None), ("unknown_primary", "lung")],
)
def test_nothing_when_the_primary_is_known(history: str, primary: str | None) -> None:
    extra = {"primary": primary} if primary else {}
    assert likely_primaries(_case("female", {"bone": "spine"}, history=history, **extra)) == []


def test_why_names_the_evidence_and_sources() -> None:
    entry = likely_primaries(_case("female", {"bone": "spine", "pattern": "lytic"}))[0]
    assert any("Simon & Bartucci 1986" in line for line in entry.why)
    assert any(line.startswith("Pattern lytic") and "estimate" in line for line in entry.why)
    assert any("Lesion count" in line for line in entry.why)


def test_without_any_evidence_the_prior_is_shown() -> None:
    entries = likely_primaries(_case(None))
    assert [e.primary for e in entries[:2]] == [Primary.lung, Primary.kidney]
    assert entries[0].probability == pytest.approx(41 / 75, abs=0.001)


_lesions = st.lists(
    st.fixed_dictionaries(
        {"bone": st.sampled_from([b.value for b in Bone if b not in (Bone.spine, Bone.sacrum)])},
        optional={
            "segment": st.sampled_from([s.value for s in Segment]),
            "pattern": st.sampled_from([p.value for p in Pattern]),
        },
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    sex=st.sampled_from([None, "female", "male"]),
    history=st.sampled_from(["none", "unknown_primary"]),
    lesions=_lesions,
)
def test_probabilities_are_valid_for_any_case(sex: str | None, history: str, lesions: list[dict[str, Any]]) -> None:
    case = _case(sex, *lesions, history=history)
    full = posterior(case)
    assert sum(full.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in full.values())
    for entry in likely_primaries(case):
        assert 0.0 <= entry.probability <= 1.0
        assert entry.why
        if sex == "female":
            assert entry.primary not in (Primary.prostate, Primary.testis)
        if sex == "male":
            assert entry.primary not in (Primary.ovary, Primary.uterus, Primary.cervix)


# --- Acral lesion through the whole assessment ----------------------------------------------------------
# Pooled series (Simon 1986 + Rougraff 1993 + Jacobsen 1997, 75 primaries): lung 41, kidney 11,
# breast 5, prostate 5, ovary 2, liver 2, lymphoma 2, and 1 each thyroid, colon, bladder, pancreas,
# stomach, carcinoid, sarcoma. In a man: ovary 0, breast 5 x 0.01 = 0.05. Acral weights: lung x2,
# kidney x1.5, others x1. Weights: lung 82, kidney 16.5, prostate 5, the rest 11.05; total 114.55.


@pytest.mark.parametrize("bone", ["hand", "foot"])
def test_acral_lesion_in_a_man_ranks_lung_then_kidney(bone: str) -> None:
    a = assess(_case("male", {"bone": bone}, history="unknown_primary"), today=dt.date(2026, 11, 25))
    top = a.likely_primaries[:3]
    assert [e.primary for e in top] == [Primary.lung, Primary.kidney, Primary.prostate]
    # Weights in a man: P(male | primary) 0.5 for cancers of both sexes, 1 for prostate, 0.01 for breast;
    # lung 41 x 0.5 x 2 (acral) = 41, kidney 11 x 0.5 x 1.5 = 8.25, prostate 5, the other 11 x 0.5 = 5.5,
    # breast 5 x 0.01 = 0.05: 59.8 in all.
    assert [e.probability for e in top] == [
        round(41 / 59.8, 3),  # 0.686
        round(8.25 / 59.8, 3),  # 0.138
        round(5 / 59.8, 3),  # 0.084
    ]
    lung, kidney = a.likely_primaries[0], a.likely_primaries[1]
    assert any("lung is the commonest source of acral metastases" in w and "x2" in w for w in lung.why)
    assert any("kidney is the second commonest source of acral metastases" in w and "x1.5" in w for w in kidney.why)


def test_acral_lesion_raises_lung_and_kidney_against_an_ordinary_primary() -> None:
    # Same man, femoral shaft instead of the hand: with P(male | primary) 0.5 against prostate's 1, the
    # lung:prostate odds go 20.5:5 -> 41:5 (x2) and kidney:prostate 5.5:5 -> 8.25:5 (x1.5).
    today = dt.date(2026, 11, 25)
    femur = {
        e.primary: e.probability
        for e in assess(_case("male", {"bone": "femur", "segment": "shaft"}), today=today).likely_primaries
    }
    hand = {e.primary: e.probability for e in assess(_case("male", {"bone": "hand"}), today=today).likely_primaries}
    assert femur[Primary.lung] == round(20.5 / 36.55, 3)  # 0.561
    assert femur[Primary.kidney] == round(5.5 / 36.55, 3)  # 0.150
    assert hand[Primary.lung] / hand[Primary.prostate] == pytest.approx(2.0 * 0.5 * 41 / 5, rel=0.02)
    assert hand[Primary.kidney] / hand[Primary.prostate] == pytest.approx(1.5 * 0.5 * 11 / 5, rel=0.03)


def test_a_woman_with_blastic_lesions_has_breast_near_the_top() -> None:
    # The series pool both sexes: in a woman breast counts 5 x 0.99 against lung 41 x 0.5 before the pattern.
    a = assess(_case("female", {"bone": "pelvis", "pattern": "blastic"}), today=dt.date(2026, 11, 25))
    ranked = [e.primary for e in a.likely_primaries]
    assert ranked.index(Primary.breast) <= 1
    assert a.likely_primaries[ranked.index(Primary.breast)].probability > 0.25


def test_lytic_lesions_without_cancer_list_myeloma_and_lymphoma_as_also_possible() -> None:
    a = assess(_case("male", {"bone": "pelvis", "pattern": "lytic"}, history="none"), today=dt.date(2026, 11, 25))
    assert {p.primary for p in a.also_possible} >= {Primary.myeloma}
    shown = {e.primary for e in a.likely_primaries} | {p.primary for p in a.also_possible}
    assert Primary.lymphoma in shown
