"""Merge what the imaging reports say into the case (`enrich_case`).

Rules, in the order a clinician would accept them:
- explicit typed fields always win; a value read from a report never overwrites one;
- lesions are added from reports only when the case lists none; when it lists some, report
  findings at the same site fill the fields the user left empty;
- a lesion is added when a report describes it as present (`Finding.present`) and the
  report's answer is bone metastasis affirmed or possible: 'lytic lesion of the 7th rib,
  suspicious for metastasis' is a bone lesion the pathway must know about, while an
  uncertain lesion ('possible lucency') or a negated one is not added;
- counts fill `skeletal_burden` only from whole-body studies (bone scan, PET-CT, PSMA
  PET), and only when the report states a number or names every lesion;
- every fact added is returned as a FactFromReport with the evidence span.
The studies themselves are already in `case.imaging`, so they count as done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bonemet.knowledge.imaging import GENANT_1993  # noqa: F401  (cited by the collapse mapping)
from bonemet.model import Case, FactFromReport
from bonemet.model.vocabulary import (
    EPIDURAL_KINDS,
    SPINAL_BONES,
    Bone,
    CancerHistory,
    CollapseBound,
    EsccGrade,
    FindingKind,
    FindingStatus,
    LesionCount,
    Modality,
    Primary,
    ReportFlag,
    ReportStatus,
    Segment,
    Side,
    SpinalLevel,
    VertebralCollapse,
)
from bonemet.nlp.reader import read_reports
from bonemet.nlp.reading import Finding, ReportReading
from bonemet.nlp.resources import lexicon

WHOLE_BODY = frozenset({Modality.bone_scan, Modality.pet_ct, Modality.psma_pet})
# The contract's collapse categories split at 50% height loss (SINS, Fisher 2010).
_COLLAPSE_SPLIT_PCT = 50.0
_SEGMENT_RANK = {s: i for i, s in enumerate((Segment.peritrochanteric, Segment.neck, Segment.shaft,
                                               Segment.proximal, Segment.distal))}  # fmt: skip

SiteKey = tuple[Bone, SpinalLevel | Side | None]


@dataclass
class _Evidence:
    """One lesion site gathered across reports: the facts found and where each came from."""

    bone: Bone
    level: SpinalLevel | None
    side: Side | None
    origin: tuple[int, Finding]  # the study and finding that first placed a lesion here
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, tuple[int, Finding]] = field(default_factory=dict)

    def offer(self, name: str, value: Any, study: int, finding: Finding) -> None:
        """Keep the first value stated for a field (reports in case order)."""
        if value is not None and name not in self.values:
            self.values[name] = value
            self.sources[name] = (study, finding)


def _key(finding: Finding) -> SiteKey | None:
    if finding.bone is None:
        return None
    if finding.bone in SPINAL_BONES:
        return (finding.bone, finding.level)
    return (finding.bone, finding.side)


def collapse_category(finding: Finding) -> VertebralCollapse | None:
    """The contract's collapse category from a percentage, a bound or a stated degree.

    Exactly 50% fits neither '<50%' nor '>50%', so it is left for the clinician. Without a
    number, 'vertebra plana'/'complete collapse' is over 50%, and 'mild'/'moderate' height
    loss is under it: Genant grades mild as 20-25% and moderate as 25-40% height reduction
    (genant1993); 'severe' (Genant >40%) may be either and is left empty.
    """
    pct = finding.collapse_pct
    if pct is not None:
        if finding.collapse_bound is CollapseBound.more_than and pct >= _COLLAPSE_SPLIT_PCT:
            return VertebralCollapse.over_50pct
        if finding.collapse_bound is CollapseBound.less_than and pct <= _COLLAPSE_SPLIT_PCT:
            return VertebralCollapse.under_50pct
        if finding.collapse_bound is None and pct != _COLLAPSE_SPLIT_PCT:
            return VertebralCollapse.over_50pct if pct > _COLLAPSE_SPLIT_PCT else VertebralCollapse.under_50pct
        return None
    text = finding.text.lower()
    if lexicon().collapse_over_half.search(text):
        return VertebralCollapse.over_50pct
    if lexicon().collapse_under_half.search(text):
        return VertebralCollapse.under_50pct
    return None


def _affirmed(finding: Finding) -> bool:
    return finding.status is FindingStatus.affirmed


def _lesion_facts(evidence: _Evidence, finding: Finding, study: int) -> None:
    """What one finding says about the lesion at its site."""
    spinal = evidence.bone in SPINAL_BONES
    if finding.kind is FindingKind.lesion:
        evidence.offer("pattern", finding.pattern, study, finding)
        evidence.offer("size_cm", finding.size_cm, study, finding)
        if finding.segment is not None and not spinal:
            evidence.offer("segment", finding.segment, study, finding)
    elif finding.kind is FindingKind.pathologic_fracture:
        if _affirmed(finding):
            evidence.offer("pathologic_fracture", True, study, finding)
    elif finding.kind is FindingKind.vertebral_collapse and spinal and _affirmed(finding):
        evidence.offer("vertebral_collapse", collapse_category(finding), study, finding)
    elif finding.kind in EPIDURAL_KINDS and spinal and _affirmed(finding):
        evidence.offer("escc_grade", finding.escc_grade, study, finding)
    elif finding.kind is FindingKind.cortical_destruction and not spinal and _affirmed(finding):
        evidence.offer("cortical_involvement", finding.cortical_fraction, study, finding)


def _no_fracture(evidence: _Evidence, findings: Iterable[tuple[int, Finding]]) -> None:
    """'No pathologic fracture' at the site, with no affirmed one anywhere: a stated False."""
    if "pathologic_fracture" in evidence.values:
        return
    for study, finding in findings:
        if finding.kind is FindingKind.pathologic_fracture and finding.status is FindingStatus.negated:
            evidence.offer("pathologic_fracture", False, study, finding)
            return


def _gather(readings: list[tuple[int, ReportReading]]) -> dict[SiteKey, _Evidence]:
    """Lesion sites that reports describe as present, with their facts, merged across reports.

    An indeterminate lesion (no cancer in the report's text) is a real lesion: its site and
    facts are kept, and the pathway judges it with the patient's history and age."""
    usable = [
        (i, r)
        for i, r in readings
        if r.status in (ReportStatus.affirmed, ReportStatus.possible) or ReportFlag.indeterminate_bone_lesion in r.flags
    ]
    sites: dict[SiteKey, _Evidence] = {}
    located = [(i, f) for i, r in usable for f in r.findings if f.kind is not FindingKind.mimic]
    for study, finding in located:
        key = _key(finding)
        # an affirmed fracture, collapse or epidural tumour at a site implies a lesion there
        implies_lesion = finding.kind not in (FindingKind.lesion, FindingKind.retropulsion) and _affirmed(finding)
        if key is None or not (finding.present or implies_lesion):
            continue
        if key not in sites:
            sites[key] = _Evidence(key[0], finding.level, finding.side, (study, finding))
    _drop_vaguer_sites(sites)
    for study, finding in located:
        key = _key(finding)
        if key in sites and finding.status is not FindingStatus.negated:
            _lesion_facts(sites[key], finding, study)
    for key, evidence in sites.items():
        _no_fracture(evidence, ((s, f) for s, f in located if _key(f) == key))
        _compression_without_grade(evidence, ((s, f) for s, f in located if _key(f) == key))
    return sites


def _compression_without_grade(evidence: _Evidence, findings: Iterable[tuple[int, Finding]]) -> None:
    """Cord (or cauda equina) compression reported with no Bilsky grade: at least grade 2, the lowest grade
    at which the cord is compressed (Bilsky 2010), so the cord-compression rules see it. A stated grade wins."""
    if "escc_grade" in evidence.values or evidence.bone not in SPINAL_BONES:
        return
    for study, finding in findings:
        if finding.kind is FindingKind.cord_compression and _affirmed(finding):
            evidence.offer("escc_grade", EsccGrade.g2, study, finding)
            return


def _drop_vaguer_sites(sites: dict[SiteKey, _Evidence]) -> None:
    """'the spine' adds no lesion when T10 is named; 'the femur' none when the left femur is."""
    for key in list(sites):
        bone, place = key
        if place is None and any(other[0] is bone and other[1] is not None for other in sites):
            del sites[key]


def _lesion_dict(evidence: _Evidence) -> dict[str, Any]:
    data: dict[str, Any] = {"bone": evidence.bone, **evidence.values}
    if evidence.bone in SPINAL_BONES:
        data["level"] = evidence.level
    else:
        data["side"] = evidence.side
    return {name: value for name, value in data.items() if value is not None}


def _fact(path: str, value: Any, source: tuple[int, Finding]) -> FactFromReport:
    study, finding = source
    shown = value.value if hasattr(value, "value") else value
    return FactFromReport(field=path, value=str(shown), study_index=study, span=finding.span, text=finding.text)


def _new_lesions(sites: dict[SiteKey, _Evidence]) -> tuple[list[dict[str, Any]], list[FactFromReport]]:
    lesions, facts = [], []
    for index, evidence in enumerate(sites.values()):
        lesion = _lesion_dict(evidence)
        lesions.append(lesion)
        for name, value in lesion.items():
            facts.append(_fact(f"lesions[{index}].{name}", value, evidence.sources.get(name, evidence.origin)))
    return lesions, facts


def _matching_site(lesion: dict[str, Any], sites: dict[SiteKey, _Evidence]) -> _Evidence | None:
    bone = lesion["bone"]
    if bone in SPINAL_BONES:
        return sites.get((bone, lesion.get("level")))
    side = lesion.get("side")
    if side is not None:
        return sites.get((bone, side))
    same_bone = [e for k, e in sites.items() if k[0] is bone]
    return same_bone[0] if len(same_bone) == 1 else None


def _fill_typed_lesions(
    typed: list[dict[str, Any]], sites: dict[SiteKey, _Evidence]
) -> tuple[list[dict[str, Any]], list[FactFromReport]]:
    """Typed lesions keep every value; report facts only fill their empty fields."""
    facts = []
    for index, lesion in enumerate(typed):
        evidence = _matching_site(lesion, sites)
        if evidence is None:
            continue
        for name, value in evidence.values.items():
            if lesion.get(name) is None:
                lesion[name] = value
                facts.append(_fact(f"lesions[{index}].{name}", value, evidence.sources[name]))
    return typed, facts


def _uncountable(text: str) -> bool:
    return lexicon().uncountable.search(text.lower()) is not None


def _burden(case: Case, readings: list[tuple[int, ReportReading]]) -> tuple[dict[str, Any], list[FactFromReport]]:
    """Counts from the first whole-body study that states them."""
    current = case.skeletal_burden.model_dump()
    facts: list[FactFromReport] = []
    for study, reading in readings:
        if case.imaging[study].modality not in WHOLE_BODY or reading.status is not ReportStatus.affirmed:
            continue
        lesions = [f for f in reading.findings if f.kind is FindingKind.lesion and f.present]
        if not lesions:
            continue
        anchor = (study, lesions[0])
        total = 1 if reading.lesion_count is LesionCount.solitary else reading.lesion_count
        levels = {f.level for f in lesions if f.level is not None}
        counted: dict[str, int | None] = {
            "total_lesions": total if isinstance(total, int) else None,
            "vertebral_bodies": len(levels)
            if levels and not _uncountable(case.imaging[study].report_text or "")
            else None,
        }
        if isinstance(total, int) and counted["vertebral_bodies"] is not None and total >= len(levels):
            counted["extraspinal_lesions"] = total - len(levels)
        elif total == 1 and not levels and any(f.bone is not None and f.bone not in SPINAL_BONES for f in lesions):
            counted["extraspinal_lesions"], counted["vertebral_bodies"] = 1, 0  # one lesion, outside the spine
        for name, value in counted.items():
            if value is not None and current.get(name) is None:
                current[name] = value
                facts.append(_fact(f"skeletal_burden.{name}", value, anchor))
    return current, facts


def enrich_case(case: Case) -> tuple[Case, list[FactFromReport]]:
    """The case with the facts its imaging reports add, and those facts with their evidence.

    Pure: the case is not changed; a new one is returned (the same one when no report adds
    anything).
    """
    studies = [(i, s.report_text) for i, s in enumerate(case.imaging) if s.report_text and s.report_text.strip()]
    if not studies:
        return case, []
    readings = list(zip((i for i, _ in studies), read_reports(t for _, t in studies), strict=True))
    sites = _gather(readings)
    typed = [lesion.model_dump(exclude_none=True) for lesion in case.lesions]
    if typed:
        lesions, lesion_facts = _fill_typed_lesions(typed, sites)
    else:
        lesions, lesion_facts = _new_lesions(sites)
    burden, burden_facts = _burden(case, readings)
    facts = lesion_facts + burden_facts + _promotions(case, readings)
    if not facts:
        return case, []
    data = case.model_dump(exclude_none=True)
    data["lesions"] = lesions
    data["skeletal_burden"] = {k: v for k, v in burden.items() if v is not None}
    return Case.model_validate(data), facts


_HAEMATOLOGICAL = frozenset({Primary.myeloma, Primary.lymphoma})


def _promotions(case: Case, readings: list[tuple[int, ReportReading]]) -> list[FactFromReport]:
    """A report's indeterminate lesion, in a patient the case records as having cancer: bone metastasis
    becomes possible, and the fact says why (the report itself did not state a cancer)."""
    cancer = case.cancer
    known = cancer.history is CancerHistory.known_primary and cancer.primary not in _HAEMATOLOGICAL
    if not known:
        return []
    primary = cancer.primary.value if cancer.primary is not None else "a known primary"
    return [
        FactFromReport(
            field=f"imaging[{study}].report_status",
            value=ReportStatus.possible.value,
            study_index=study,
            text=f"The report describes a bone lesion without naming its cause and states no cancer; the case records "
            f"{primary} cancer, so bone metastasis is possible (promoted from an indeterminate bone lesion).",
        )
        for study, reading in readings
        if ReportFlag.indeterminate_bone_lesion in reading.flags
    ]


__all__ = ["collapse_category", "enrich_case"]
