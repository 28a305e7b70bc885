"""Property tests: `assess` never raises on any valid case, and its output keeps its promises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet.model import Case
from bonemet.model.vocabulary import (
    Alignment,
    Bone,
    BoneBiopsy,
    BoneModifyingAgent,
    CancerHistory,
    EsccGrade,
    LimbPain,
    Modality,
    NeurologicDeficit,
    Pattern,
    PosterolateralInvolvement,
    Primary,
    Segment,
    Sex,
    SpinalLevel,
    SpinalPain,
    VertebralCollapse,
    VisceralMetastases,
)
from bonemet.pathway import assess


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def enum(kind: Any) -> st.SearchStrategy[Any]:
    return maybe(st.sampled_from(list(kind)))


limb_lesions = st.builds(
    dict,
    bone=st.sampled_from([b for b in Bone if b not in (Bone.spine, Bone.sacrum)]),
    segment=enum(Segment),
    pattern=enum(Pattern),
    size_cm=maybe(st.floats(0.1, 50)),
    cortical_involvement=maybe(st.floats(0, 1)),
    pain=enum(LimbPain),
    pathologic_fracture=maybe(st.booleans()),
)
spine_lesions = st.builds(
    dict,
    bone=st.just(Bone.spine),
    level=enum(SpinalLevel),
    pattern=enum(Pattern),
    spinal_pain=enum(SpinalPain),
    alignment=enum(Alignment),
    vertebral_collapse=enum(VertebralCollapse),
    posterolateral_involvement=enum(PosterolateralInvolvement),
    escc_grade=enum(EsccGrade),
)
cases = st.builds(
    dict,
    patient=st.builds(
        dict,
        age_years=maybe(st.floats(18, 120)),
        sex=enum(Sex),
        weight_kg=maybe(st.floats(20, 350)),
        ecog=maybe(st.integers(0, 4)),
    ),
    cancer=st.builds(
        dict,
        history=enum(CancerHistory),
        primary=enum(Primary),
        hormone_dependent=maybe(st.booleans()),
        targeted_therapy=maybe(st.booleans()),
        diagnosed_on=maybe(st.dates(dt.date(1990, 1, 1), dt.date(2026, 11, 25))),
        primary_treated=maybe(st.booleans()),
        prior_chemotherapy=maybe(st.booleans()),
        visceral_metastases=enum(VisceralMetastases),
        visceral_metastases_resectable=maybe(st.booleans()),
        brain_metastases=maybe(st.booleans()),
        bone_biopsy=enum(BoneBiopsy),
    ),
    presentation=st.builds(
        dict,
        bone_pain=maybe(st.booleans()),
        pain_unexplained=maybe(st.booleans()),
        pain_site_count=maybe(st.integers(0, 50)),
        neurologic_deficit=enum(NeurologicDeficit),
        neurologic_deficit_new=maybe(st.booleans()),
    ),
    skeletal_burden=st.builds(dict, total_lesions=maybe(st.integers(0, 1000))),
    lesions=st.lists(limb_lesions | spine_lesions, max_size=4),
    imaging=st.lists(st.builds(dict, modality=st.sampled_from(list(Modality))), max_size=3),
    labs=st.builds(
        dict,
        creatinine_mg_dl=maybe(st.floats(0.1, 30)),
        calcium_mg_dl=maybe(st.floats(4, 20)),
        albumin_g_dl=maybe(st.floats(1, 6)),
        ldh_u_l=maybe(st.floats(0, 5000)),
        crp_mg_dl=maybe(st.floats(0, 100)),
        platelets_10e9_l=maybe(st.floats(0, 1000)),
        bilirubin_mg_dl=maybe(st.floats(0, 30)),
    ),
    treatment=st.builds(
        dict,
        bone_modifying_agent=enum(BoneModifyingAgent),
        dental_evaluation_done=maybe(st.booleans()),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_assess_never_raises_and_keeps_its_promises(data: dict[str, Any]) -> None:
    case = Case.model_validate(data)
    a = assess(case, today=dt.date(2026, 11, 25))
    priorities = [r.priority for r in a.recommendations]
    order = list(type(priorities[0])) if priorities else []
    assert [order.index(p) for p in priorities] == sorted(order.index(p) for p in priorities)
    for r in a.recommendations:
        assert r.reasons and r.citations
        assert r.lesion_index is None or 0 <= r.lesion_index < len(case.lesions)
    keys = [(r.code, r.lesion_index) for r in a.recommendations]
    assert len(keys) == len(set(keys))
    assert not {(n.code, n.lesion_index) for n in a.not_recommended} & set(keys)
    for lp in a.likely_primaries:
        assert 0 <= lp.probability <= 1
    if a.prognosis and a.prognosis.survival:
        values = [a.prognosis.survival[k] for k in ("6_months", "12_months", "24_months")]
        assert values == sorted(values, reverse=True)


@settings(max_examples=100, deadline=None)
@given(cases)
def test_assess_is_deterministic(data: dict[str, Any]) -> None:
    case = Case.model_validate(data)
    today = dt.date(2026, 11, 25)
    assert assess(case, today=today) == assess(case, today=today)
