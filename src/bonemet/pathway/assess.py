"""assess(case) -> Assessment: the stages in clinical order, emergencies first.

Pure and deterministic: the same case and date always give the same assessment; no
network, no disk, no clock unless the caller leaves the date out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache

from bonemet import __version__
from bonemet.knowledge import all_citations_loaded
from bonemet.knowledge.version import KNOWLEDGE_VERSION
from bonemet.model import (
    Assessment,
    Case,
    MissingItem,
    NotRecommended,
    Recommendation,
    Source,
)
from bonemet.model.assessment import validator_of
from bonemet.model.vocabulary import PRIORITY_ORDER, Code, ScoreName, Step, SuspicionLevel
from bonemet.pathway import (
    bone_agents,
    emergencies,
    primary_search,
    prognosis,
    radiotherapy,
    surgery,
    systemic,
    workup,
)
from bonemet.pathway.consistency import input_conflicts
from bonemet.pathway.context import Context
from bonemet.pathway.likely_primaries import also_possible, likely_primaries
from bonemet.pathway.missing_data import missing_data
from bonemet.pathway.rules import Finding, missing
from bonemet.pathway.scoring import lesion_scores, patient_scores
from bonemet.pathway.summary import patient_summary
from bonemet.pathway.suspicion import suspicion, worth_working_up

_assessment = validator_of(Assessment)

STEP_ORDER = {step: i for i, step in enumerate(Step)}
SCORE_ORDER = {name: i for i, name in enumerate(ScoreName)}


def _stages(ctx: Context, level: SuspicionLevel) -> list[Callable[[], Iterable[Finding]]]:
    """Every rule, in clinical order. Adding a rule means adding one line here."""
    working_up = worth_working_up(level)
    # Treatment waits for the diagnosis: bone metastases established (biopsy, or multiple
    # lesions in known cancer). A single lesion in known cancer is biopsied first.
    metastatic = level is SuspicionLevel.established
    return [
        lambda: emergencies.cord_compression(ctx),
        lambda: emergencies.hypercalcaemia(ctx),
        lambda: emergencies.hypocalcaemia(ctx),
        lambda: workup.radiographs_of_painful_sites(ctx),
        lambda: workup.whole_body_staging(ctx, working_up),
        lambda: workup.site_imaging(ctx),
        lambda: workup.biopsy_or_presume(ctx),
        lambda: workup.baseline_labs(ctx, working_up),
        lambda: primary_search.bone_sarcoma_referral(ctx),
        lambda: primary_search.primary_search(ctx),
        lambda: treatment_waits_for_diagnosis(ctx, level),
        lambda: surgery.fracture_fixation(ctx),
        lambda: surgery.prophylactic_fixation(ctx),
        lambda: surgery.spine_consultation(ctx),
        lambda: surgery.vertebral_augmentation(ctx),
        lambda: surgery.en_bloc_resection(ctx),
        lambda: radiotherapy.palliative_radiotherapy(ctx, metastatic),
        lambda: radiotherapy.stereotactic_radiotherapy(ctx, metastatic),
        lambda: radiotherapy.postoperative_radiotherapy(ctx),
        lambda: radiotherapy.reirradiation(ctx, metastatic),
        lambda: radiotherapy.prophylactic_radiotherapy(ctx, metastatic),
        lambda: radiotherapy.untreated_painful_lesions(ctx, metastatic),
        lambda: bone_agents.bone_modifying_agent(ctx, metastatic),
        lambda: bone_agents.dental_evaluation(ctx, metastatic),
        lambda: bone_agents.calcium_and_vitamin_d(ctx, metastatic),
        lambda: bone_agents.bone_health_on_adt(ctx),
        lambda: systemic.oncology_referral(ctx, metastatic),
        lambda: systemic.radium_223(ctx, metastatic),
    ]


def treatment_waits_for_diagnosis(ctx: Context, level: SuspicionLevel) -> Iterable[Finding]:
    """Lesions that need treatment advice but no diagnosis to base it on: say what blocks it and what to enter."""
    if level in (SuspicionLevel.established, SuspicionLevel.low) or not ctx.any_lesion:
        return []
    if ctx.possible_primary_bone_sarcoma or ctx.possible_primary_bone_tumour:
        return []
    if ctx.case.cancer.history is None:
        return [
            missing(
                "cancer.history",
                "Treatment advice (radiotherapy, bone-modifying agent, systemic therapy) waits for the diagnosis: "
                "enter the cancer history and the primary if a cancer is known, or a bone biopsy result. Emergencies, "
                "fracture surgery and the work-up are given now.",
            )
        ]
    return [
        missing(
            "cancer.bone_biopsy",
            "Treatment advice waits until metastasis is established: multiple lesions in known cancer, or a bone "
            "biopsy showing metastasis. Emergencies, fracture surgery and the work-up are given now.",
        )
    ]


def _run(stages: list[Callable[[], Iterable[Finding]]]) -> list[Finding]:
    return [finding for stage in stages for finding in stage()]


def _dedupe(recommendations: list[Recommendation]) -> list[Recommendation]:
    """One line per (code, lesion); the most pressing wins when two rules agree."""
    best: dict[tuple[Code, int | None], Recommendation] = {}
    for rec in recommendations:
        key = (rec.code, rec.lesion_index)
        if key not in best or PRIORITY_ORDER[rec.priority] < PRIORITY_ORDER[best[key].priority]:
            best[key] = rec
    ordered = sorted(
        best.values(),
        key=lambda r: (PRIORITY_ORDER[r.priority], STEP_ORDER[r.step], r.lesion_index or -1),
    )
    return ordered


def _without_contradictions(recommended: list[Recommendation], declined: list[NotRecommended]) -> list[NotRecommended]:
    """A code that some rule recommends for the same lesion is not also listed as declined."""
    chosen = {(r.code, r.lesion_index) for r in recommended}
    kept: dict[tuple[Code, int | None], NotRecommended] = {}
    for item in declined:
        key = (item.code, item.lesion_index)
        if key in chosen or key in kept:
            continue
        kept[key] = item
    return list(kept.values())


def _unique_missing(items: list[MissingItem]) -> list[MissingItem]:
    seen: dict[str, MissingItem] = {}
    for item in items:
        seen.setdefault(item.field, item)
    return list(seen.values())


@cache
def _source_by_citation_text() -> dict[str, Source]:
    """Built once: the registry is complete after `all_citations_loaded` has imported every source.

    Sources are frozen, so every assessment can share them instead of validating new ones.
    """
    return {c.full_text: Source(citation=c.full_text, url=c.url) for c in all_citations_loaded().values()}


def _sources(cited: Iterable[str]) -> list[Source]:
    known = _source_by_citation_text()
    return [known.get(text) or Source(citation=text, url=None) for text in dict.fromkeys(cited)]


def assess(case: Case, today: dt.date | None = None) -> Assessment:
    """The complete, explained plan for one case."""
    as_of = case.as_of or today or dt.date.today()
    ctx = Context(case=case, today=as_of)
    level = suspicion(ctx)
    # The survival scores come from adult cohorts: not applied under 18.
    survival_applies = (
        bool(ctx.known_cancer)
        and level.level in (SuspicionLevel.established, SuspicionLevel.high)
        and not ctx.age.child
    )
    # Suspicion needs no scores; filling them in now keeps the facts the context cached.
    ctx.lesion_scores.update(lesion_scores(case))
    ctx.patient_scores.update(patient_scores(case, survival_applies))
    findings = _run(_stages(ctx, level.level))
    recommendations = _dedupe([f for f in findings if isinstance(f, Recommendation)])
    declined = _without_contradictions(recommendations, [f for f in findings if isinstance(f, NotRecommended)])
    gaps = _unique_missing([f for f in findings if isinstance(f, MissingItem)] + missing_data(ctx))
    scores = [s.to_out() for per_lesion in ctx.lesion_scores.values() for s in per_lesion.values()]
    scores += [s.to_out() for s in ctx.patient_scores.values()]
    scores.sort(key=lambda s: (s.lesion_index if s.lesion_index is not None else 10_000, SCORE_ORDER[s.name]))
    outlook = prognosis.prognosis(ctx)
    cited = [c for r in recommendations for c in r.citations]
    cited += [c for d in declined for c in d.citations]
    cited += [s.citation for s in scores if s.citation]
    if outlook is not None:
        cited += [outlook.citation] + [e.citation for e in outlook.spine]
    adult_carcinoma_model = not (ctx.primary_known or ctx.possible_primary_bone_sarcoma or ctx.age.child)
    primaries = likely_primaries(case) if adult_carcinoma_model else []
    return _assessment(
        {
            "case_id": case.id,
            "engine_version": __version__,
            "knowledge_version": KNOWLEDGE_VERSION,
            "as_of": as_of.isoformat(),
            "suspicion": level,
            "scores": scores,
            "likely_primaries": primaries,
            "also_possible": also_possible(case) if adult_carcinoma_model and ctx.any_lesion else [],
            "recommendations": recommendations,
            "not_recommended": declined,
            "missing": gaps,
            "prognosis": outlook,
            "patient_summary": patient_summary(level, recommendations),
            "facts_from_reports": [],  # given, so the default is not deep-copied; the report reader fills it
            "sources": _sources(c for c in cited if c),
            "input_conflicts": input_conflicts(case, as_of),
        }
    )
