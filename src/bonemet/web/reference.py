"""The reference pages, built from the knowledge modules (never retyped) and searchable.

Every line shown is a `Fact` (statement + source) or a number read from a knowledge record
with the record's source; a line with no source in the knowledge base says so instead of
borrowing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bonemet.knowledge import drugs, emergencies
from bonemet.knowledge.citations import Citation
from bonemet.knowledge.guideline_sources import Fact
from bonemet.model.vocabulary import CODE_MEANING, BoneModifyingAgent, Code, Primary

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8


@dataclass(frozen=True)
class Entry:
    text: str
    source: Citation | None = None
    strength: str | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: Citation


@dataclass(frozen=True)
class RefSection:
    heading: str
    entries: tuple[Entry, ...] = ()
    table: Table | None = None
    note: str = ""


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    kind: str  # "drug" or "topic"
    summary: str
    sections: tuple[RefSection, ...]

    @property
    def sources(self) -> tuple[Citation, ...]:
        """Every source cited on the page, once, in order of first use."""
        seen: dict[str, Citation] = {}
        for section in self.sections:
            if section.table is not None:
                seen.setdefault(section.table.source.key, section.table.source)
            for entry in section.entries:
                if entry.source is not None:
                    seen.setdefault(entry.source.key, entry.source)
        return tuple(seen.values())

    def texts(self) -> Iterator[str]:
        yield self.title
        yield self.summary
        for section in self.sections:
            yield section.heading
            yield section.note
            for entry in section.entries:
                yield entry.text
            if section.table is not None:
                yield section.table.caption
                for row in section.table.rows:
                    yield " ".join(row)


def _facts(facts: Iterable[Fact]) -> tuple[Entry, ...]:
    return tuple(Entry(f.text, f.citation) for f in facts)


# --- Drugs ----------------------------------------------------------------------------------------


def _names(drug: drugs.Drug, osteoporosis: Fact | None) -> RefSection:
    entries = [Entry(f"Oncology product: {drug.oncology_product} ({drug.generic_name}).", drug.dose_citation)]
    if osteoporosis is not None:
        entries.append(
            Entry(f"Osteoporosis dose, not for bone metastases: {drug.osteoporosis_dose}.", osteoporosis.citation)
        )
    else:
        entries.append(Entry(f"Osteoporosis product: {drug.osteoporosis_dose}.", drug.dose_citation))
    return RefSection("Names", tuple(entries))


def _dosing(drug: drugs.Drug, extra: Iterable[Fact] = ()) -> RefSection:
    entries = [Entry(f"Bone metastases: {drug.dose_text}.", drug.dose_citation)]
    entries += [Entry(i.statement, i.citation, i.strength) for i in drug.indications]
    entries += _facts(extra)
    return RefSection("Oncology dosing and indications", tuple(entries))


def _zoledronic_renal_table() -> Table:
    rows = [
        (
            row.crcl_band,
            f"{row.dose_mg:g} mg",
            f"remove {row.ready_to_use_bottle_remove_ml:g} mL"
            if row.ready_to_use_bottle_remove_ml
            else "use as supplied",
            f"{row.concentrate_withdraw_ml:g} mL",
        )
        for row in drugs.ZOLEDRONIC_ACID_RENAL_TABLE
    ]
    rows.append((f"< {drugs.ZOLEDRONIC_ACID_MIN_CRCL_ML_MIN:g}", "not recommended", "-", "-"))
    return Table(
        caption="Zoledronic acid dose by baseline creatinine clearance (Cockcroft-Gault)",
        header=("CrCl, mL/min", "Dose", "4 mg/100 mL ready-to-use bottle", "4 mg/5 mL concentrate to withdraw"),
        rows=tuple(rows),
        source=drugs.ZOLEDRONIC_ACID_RENAL_TABLE[0].citation,
    )


def _supplement(agent: BoneModifyingAgent) -> RefSection | None:
    supplement = drugs.calcium_vitamin_d_supplement(agent, hypercalcaemic=False)
    if supplement is None:
        return None
    return RefSection("Calcium and vitamin D", _facts([supplement.statement]))


def _drug_topic(
    slug: str,
    drug: drugs.Drug,
    *,
    osteoporosis: Fact | None,
    renal: RefSection,
    hypercalcaemia: Iterable[Fact] = (),
) -> Topic:
    sections = [_names(drug, osteoporosis), _dosing(drug), renal]
    if hypercalcaemia:
        sections.append(RefSection("Hypercalcaemia of malignancy", _facts(hypercalcaemia)))
    supplement = _supplement(drug.agent)
    if supplement is not None:
        sections.append(supplement)
    sections.append(RefSection("Cautions", _facts(drug.cautions)))
    return Topic(slug, drug.generic_name.capitalize(), "drug", CODE_MEANING[_CODE_OF[drug.agent]], tuple(sections))


_CODE_OF = {
    BoneModifyingAgent.zoledronic_acid: Code.bma_zoledronic_acid,
    BoneModifyingAgent.pamidronate: Code.bma_pamidronate,
    BoneModifyingAgent.denosumab: Code.bma_denosumab,
}


def _zoledronic_acid() -> Topic:
    renal = RefSection(
        "Renal function",
        _facts([drugs.ZOLEDRONIC_ACID.renal_rule, drugs.ZOLEDRONIC_ACID_SEVERE_RENAL_IMPAIRMENT]),
        table=_zoledronic_renal_table(),
    )
    return _drug_topic(
        "zoledronic-acid",
        drugs.ZOLEDRONIC_ACID,
        osteoporosis=drugs.OSTEOPOROSIS_PRODUCTS_NOT_FOR_METASTASES[0],
        renal=renal,
        hypercalcaemia=[emergencies.ZOLEDRONIC_ACID_HCM_DOSE],
    )


def _pamidronate() -> Topic:
    renal = RefSection(
        "Renal function",
        _facts(drugs.PAMIDRONATE_RENAL_CAUTIONS),
        note="The pamidronate label has no creatinine-clearance dose table.",
    )
    return _drug_topic("pamidronate", drugs.PAMIDRONATE, osteoporosis=None, renal=renal)


def _denosumab() -> Topic:
    renal = RefSection(
        "Renal function",
        _facts([drugs.DENOSUMAB_SEVERE_RENAL_CAUTION]),
        note="No renal dose table: the dose is the same at every creatinine clearance.",
    )
    return _drug_topic(
        "denosumab",
        drugs.DENOSUMAB,
        osteoporosis=drugs.OSTEOPOROSIS_PRODUCTS_NOT_FOR_METASTASES[1],
        renal=renal,
        hypercalcaemia=[emergencies.DENOSUMAB_REFRACTORY, emergencies.DENOSUMAB_RENAL_FAILURE],
    )


def _calcium_vitamin_d() -> Topic:
    with_agents = [drugs.ZOLEDRONIC_ACID_SUPPLEMENT.statement, drugs.DENOSUMAB_SUPPLEMENT.statement]
    return Topic(
        "calcium-and-vitamin-d",
        "Calcium and vitamin D",
        "drug",
        CODE_MEANING[Code.bma_calcium_vitamin_d] + " with a bone-modifying agent.",
        (
            RefSection(
                "Daily doses with a bone-modifying agent",
                _facts(with_agents),
                note="No supplement amount is given for pamidronate in the label text bonemet uses.",
            ),
            RefSection(
                "Hypocalcaemia with denosumab",
                _facts(
                    [
                        drugs.DENOSUMAB_CORRECT_HYPOCALCAEMIA_FIRST,
                        drugs.DENOSUMAB_SEVERE_RENAL_CAUTION,
                        *(f for f in drugs.DENOSUMAB.cautions if "Hypocalcaemia in the prostate trial" in f.statement),
                    ]
                ),
            ),
            RefSection(
                "Not while hypercalcaemic",
                (),
                note="Supplements are withheld while calcium is raised: the denosumab label gives them "
                "'unless hypercalcaemia is present' (see above).",
            ),
        ),
    )


def _dexamethasone() -> Topic:
    return Topic(
        "dexamethasone-cord-compression",
        "Dexamethasone for spinal cord compression",
        "drug",
        "Corticosteroid given at once for suspected metastatic spinal cord compression with neurological "
        "symptoms or signs, while imaging and definitive treatment are arranged.",
        (
            RefSection(
                "Names",
                (),
                note="Dexamethasone (generic). bonemet's sources give dosing for the drug, not for a product.",
            ),
            RefSection(
                "Dosing in cord compression",
                _facts(
                    [
                        emergencies.MSCC_DEXAMETHASONE,
                        emergencies.MSCC_HAEMATOLOGICAL,
                        emergencies.MSCC_DEXAMETHASONE_WITHOUT_NEURO,
                    ]
                ),
            ),
            RefSection(
                "Stopping",
                _facts([emergencies.MSCC_DEXAMETHASONE_STOP, emergencies.MSCC_DEXAMETHASONE_TAPER]),
            ),
            RefSection(
                "Renal function",
                (),
                note="Renal dosing of dexamethasone is not covered by the sources bonemet uses.",
            ),
            RefSection(
                "With imaging, surgery and radiotherapy",
                _facts(
                    [
                        emergencies.MSCC_MRI_24_HOURS,
                        emergencies.MSCC_RT_WITH_DEXAMETHASONE,
                        emergencies.MSCC_SURGERY_PLUS_RT,
                        emergencies.PATCHELL_RESULT,
                    ]
                ),
            ),
        ),
    )


def _hypercalcaemia() -> Topic:
    return Topic(
        "hypercalcaemia",
        "Hypercalcaemia of malignancy",
        "topic",
        CODE_MEANING[Code.urgent_hypercalcemia] + ".",
        (
            RefSection(
                "Measuring and grading",
                _facts([emergencies.CORRECTED_CALCIUM_FORMULA, emergencies.GRADE_SOURCES]),
            ),
            RefSection(
                "Treatment",
                _facts(
                    [
                        emergencies.HYDRATION,
                        emergencies.ANTIRESORPTIVE,
                        emergencies.ZOLEDRONIC_ACID_HCM_DOSE,
                        emergencies.CALCITONIN,
                        emergencies.CALCITONIN_DOSE,
                        emergencies.DENOSUMAB_REFRACTORY,
                        emergencies.DENOSUMAB_RENAL_FAILURE,
                        emergencies.CALCITRIOL_MEDIATED,
                    ]
                ),
                note=emergencies.LABEL_VS_GUIDELINE,
            ),
        ),
    )


# --- Overview -----------------------------------------------------------------------------------

_OVERVIEW_SETTINGS: tuple[tuple[str, Primary | None, bool | None], ...] = (
    ("Breast cancer", Primary.breast, None),
    ("Prostate cancer, castration-resistant", Primary.prostate, True),
    ("Prostate cancer, castration-sensitive", Primary.prostate, False),
    ("Multiple myeloma", Primary.myeloma, None),
    ("Lung, kidney and other solid tumours", Primary.lung, None),
)


def _agent_names(options: tuple[BoneModifyingAgent, ...]) -> str:
    return ", ".join(drugs.drug(a).generic_name for a in options) or "none recommended"


def overview_sections() -> tuple[RefSection, ...]:
    """Which agent for which primary (from `drugs.preferred_agents`), and the shared cautions."""
    sections: list[RefSection] = []
    for title, primary, castration_resistant in _OVERVIEW_SETTINGS:
        choice = drugs.preferred_agents(primary, castration_resistant=castration_resistant)
        entries = (Entry(f"Options, in guideline order: {_agent_names(choice.options)}."), *_facts(choice.statements))
        sections.append(RefSection(title, entries, note=choice.guideline_differences or ""))
    sections.append(RefSection("Every bone-modifying agent", _facts(drugs.GENERAL_BMA_FACTS)))
    sections.append(
        RefSection(
            "Osteoporosis products are not for bone metastases", _facts(drugs.OSTEOPOROSIS_PRODUCTS_NOT_FOR_METASTASES)
        )
    )
    return tuple(sections)


OVERVIEW = Topic(
    "overview",
    "Bone-modifying agents and emergencies: overview",
    "topic",
    "Which bone-modifying agent the guidelines support for which primary, and what every agent needs.",
    overview_sections(),
)

TOPICS: tuple[Topic, ...] = (
    _zoledronic_acid(),
    _pamidronate(),
    _denosumab(),
    _calcium_vitamin_d(),
    _dexamethasone(),
    _hypercalcaemia(),
)
TOPIC_BY_SLUG: dict[str, Topic] = {topic.slug: topic for topic in TOPICS}


# --- Search --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


@dataclass(frozen=True)
class SearchHit:
    topic: Topic
    snippets: tuple[tuple[Segment, ...], ...]


def query_terms(query: str) -> tuple[str, ...]:
    words = re.findall(r"[\w.-]+", query[:MAX_QUERY_CHARS].lower())
    return tuple(dict.fromkeys(w.strip(".-") for w in words if w.strip(".-")))[:MAX_QUERY_TERMS]


def highlight(text: str, terms: tuple[str, ...]) -> tuple[Segment, ...]:
    """The text cut into plain and matching pieces (the template marks the matches, escaped)."""
    if not terms:
        return (Segment(text, False),)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    segments: list[Segment] = []
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            segments.append(Segment(text[position : found.start()], False))
        segments.append(Segment(found.group(0), True))
        position = found.end()
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return tuple(segments)


def search(query: str, topics: Iterable[Topic] = (OVERVIEW, *TOPICS), max_snippets: int = 3) -> tuple[SearchHit, ...]:
    """Topics containing every term of the query, with the lines that match most terms."""
    terms = query_terms(query)
    if not terms:
        return ()
    hits: list[tuple[int, SearchHit]] = []
    for topic in topics:
        texts = [t for t in topic.texts() if t]
        whole = " ".join(texts).lower()
        if not all(term in whole for term in terms):
            continue
        ranked = sorted(
            (t for t in texts if any(term in t.lower() for term in terms)),
            key=lambda t: -sum(term in t.lower() for term in terms),
        )
        in_title = sum(term in topic.title.lower() for term in terms)
        snippets = tuple(highlight(t, terms) for t in ranked[:max_snippets])
        hits.append((in_title, SearchHit(topic, snippets)))
    hits.sort(key=lambda pair: -pair[0])
    return tuple(hit for _, hit in hits)
