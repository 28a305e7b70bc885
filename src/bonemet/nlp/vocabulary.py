"""Enums used only by the report reader (the clinical enums live in bonemet.model.vocabulary).

Values are the contract's spellings ("Report reading" section); values marked *added* extend
the contract's lists, which the contract allows.
"""

from __future__ import annotations

from enum import StrEnum


class ReportStatus(StrEnum):
    """Bone metastasis for the whole report; the impression outranks the findings."""

    affirmed = "affirmed"
    possible = "possible"
    negated = "negated"
    not_mentioned = "not_mentioned"


class FindingKind(StrEnum):
    lesion = "lesion"
    pathologic_fracture = "pathologic_fracture"
    epidural_extension = "epidural_extension"
    cord_compression = "cord_compression"  # spinal cord, conus or cauda equina
    vertebral_collapse = "vertebral_collapse"
    mimic = "mimic"
    cortical_destruction = "cortical_destruction"  # added: cortical destruction, breach or thinning
    retropulsion = "retropulsion"  # added: retropulsed posterior wall or fragment


# Kinds that describe a skeletal metastasis or its complications (everything but a mimic).
METASTATIC_KINDS: frozenset[FindingKind] = frozenset(set(FindingKind) - {FindingKind.mimic})
COMPLICATION_KINDS: frozenset[FindingKind] = METASTATIC_KINDS - {FindingKind.lesion}
EPIDURAL_KINDS: frozenset[FindingKind] = frozenset({FindingKind.epidural_extension, FindingKind.cord_compression})


class FindingStatus(StrEnum):
    affirmed = "affirmed"
    possible = "possible"
    negated = "negated"
    historical = "historical"
    hypothetical = "hypothetical"


PRESENT_STATUSES: frozenset[FindingStatus] = frozenset({FindingStatus.affirmed, FindingStatus.possible})


class Mimic(StrEnum):
    """Benign findings that are not metastases unless the report links them to one."""

    bone_island = "bone_island"
    hemangioma = "hemangioma"
    schmorl_node = "schmorl_node"
    degenerative = "degenerative"
    healing_fracture = "healing_fracture"  # healing, healed or old fracture, callus
    paget = "paget"
    fibrous_dysplasia = "fibrous_dysplasia"
    bone_infarct = "bone_infarct"
    insufficiency_fracture = "insufficiency_fracture"  # added: osteoporotic, insufficiency or stress fracture
    enchondroma = "enchondroma"  # added
    bone_cyst = "bone_cyst"  # added
    red_marrow = "red_marrow"  # added: red marrow reconversion or reactive marrow


class Section(StrEnum):
    """Where in the report the evidence sits; only findings-like sections hold findings."""

    findings = "findings"
    impression = "impression"
    addendum = "addendum"
    procedure = "procedure"
    history = "history"
    indication = "indication"
    family_history = "family_history"
    comparison = "comparison"
    technique = "technique"
    exam = "exam"  # the study title


# Sections whose text describes this study's images.
REPORTING_SECTIONS: frozenset[Section] = frozenset(
    {Section.findings, Section.impression, Section.addendum, Section.procedure}
)
# Sections that state the radiologist's conclusion and outrank the findings.
CONCLUDING_SECTIONS: frozenset[Section] = frozenset({Section.impression, Section.addendum})


class LesionCount(StrEnum):
    solitary = "solitary"
    multiple = "multiple"


class CollapseBound(StrEnum):
    """A collapse stated as a bound ('more than 50% height loss') rather than a value."""

    more_than = "more_than"
    less_than = "less_than"
