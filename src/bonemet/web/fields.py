"""The case-entry form, described field by field from the Case model itself.

Each form control is named by its Case path (`patient.age_years`, `lesions[0].bone`), so an
error from the model, a missing-data question from the engine and a form value all use one
name. Kinds, choices, limits and help text come from the pydantic fields (the types are the
documentation); this module adds only the human label, the choice labels that need clinical
words, and the units a value may be typed in.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from bonemet.fhir.units import CONVERSIONS, IUPAC_CALCIUM, PUBCHEM_BILIRUBIN, PUBCHEM_CREATININE
from bonemet.knowledge.citations import Citation
from bonemet.model.case import (
    Cancer,
    ImagingStudy,
    Labs,
    Lesion,
    Patient,
    Presentation,
    SkeletalBurden,
    Treatment,
)
from bonemet.model.vocabulary import LONG_BONES, SPINAL_BONES
from bonemet.render.labels import FIELD_LABELS
from bonemet.scores.escc import DEFINITIONS as ESCC_DEFINITIONS

Kind = Literal["number", "integer", "select", "boolean", "text", "textarea", "date", "lines"]
Group = Literal["any", "limb", "spine"]

UNIT_SUFFIX = "__unit"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Unit:
    """A unit a value may be typed in; `factor` multiplies it into the Case's unit."""

    code: str
    label: str
    factor: float
    citation: Citation | None = None


@dataclass(frozen=True)
class FieldSpec:
    """One form control. `path` is the Case path; list items use `[]` for the index."""

    path: str
    label: str
    kind: Kind
    help: str
    choices: tuple[Choice, ...] = ()
    units: tuple[Unit, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: str | None = None
    group: Group = "any"

    @property
    def name(self) -> str:
        """The last part of the path: the model field name."""
        return self.path.rsplit(".", 1)[-1]

    def at(self, index: int) -> str:
        """The control name for list item `index` (`lesions[2].bone`)."""
        return self.path.replace("[]", f"[{index}]", 1)

    @property
    def unit_of_case(self) -> Unit | None:
        return self.units[0] if self.units else None


# --- Labels ---------------------------------------------------------------------------------

# The labels live in render.labels, shared with the terminal text and the "do now" block.
_LABELS = FIELD_LABELS

# Choice labels where the enum value alone is not the clinical wording.
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "cancer.history": {
        "known_primary": "Known primary cancer",
        "unknown_primary": "Metastatic carcinoma, primary not yet found",
        "none": "No known cancer",
    },
    "cancer.visceral_metastases": {
        "none": "None",
        "nodular": "Nodular (lung, liver, brain ...)",
        "disseminated": "Disseminated (pleural, peritoneal, leptomeningeal)",
    },
    "cancer.bone_biopsy": {
        "not_done": "Not done",
        "metastasis_confirmed": "Metastasis confirmed",
        "other_diagnosis": "Another diagnosis",
        "nondiagnostic": "Non-diagnostic",
    },
    "presentation.neurologic_deficit": {
        "none": "None",
        "incomplete": "Incomplete (Frankel C-D)",
        "complete": "Complete (Frankel A-B)",
    },
    "lesions[].pain": {
        "none": "None",
        "mild": "Mild",
        "moderate": "Moderate",
        "functional": "Functional: worse with use or loading",
    },
    "lesions[].spinal_pain": {
        "none": "Pain-free",
        "non_mechanical": "Occasional, not mechanical",
        "mechanical": "Mechanical: relieved lying down, worse with movement or loading",
    },
    "lesions[].alignment": {
        "normal": "Normal",
        "kyphosis_or_scoliosis": "De novo kyphosis or scoliosis",
        "subluxation_or_translation": "Subluxation or translation",
    },
    "lesions[].vertebral_collapse": {
        "none": "No collapse, under 50% of the body involved",
        "none_over_50pct_involved": "No collapse, over 50% of the body involved",
        "under_50pct": "Collapse under 50%",
        "over_50pct": "Collapse over 50%",
    },
    "lesions[].escc_grade": {grade.value: f"{grade.value}: {text}" for grade, text in ESCC_DEFINITIONS.items()},
    "imaging[].modality": {
        "xray": "Plain radiograph",
        "bone_scan": "Bone scan",
        "ct": "CT",
        "mri": "MRI",
        "pet_ct": "PET-CT",
        "psma_pet": "PSMA PET",
    },
    "treatment.bone_modifying_agent": {
        "none": "None",
        "zoledronic_acid": "Zoledronic acid",
        "pamidronate": "Pamidronate",
        "denosumab": "Denosumab",
    },
}
_SPECIAL_WORDS = {"esophagus": "Oesophagus", "head_and_neck": "Head and neck"}


def _choice_label(value: str) -> str:
    return _SPECIAL_WORDS.get(value, value.replace("_", " ").capitalize())


# --- Units ----------------------------------------------------------------------------------


def _lab_unit(analyte: str, ucum: str, label: str, citation: Citation | None = None) -> Unit:
    """A laboratory unit with the factor the FHIR adapter uses, so both inputs agree."""
    return Unit(ucum, label, CONVERSIONS[analyte].factors[ucum], citation)


# The Case's unit first. SI factors: creatinine 1 mg/dL = 88.4 µmol/L (molar mass 113.12 g/mol),
# calcium 1 mmol/L = 4.008 mg/dL (40.078 g/mol), albumin 1 g/L = 0.1 g/dL, bilirubin
# 1 mg/dL = 17.1 µmol/L (584.66 g/mol): the factors and their sources live in fhir.units.
_UNITS: dict[str, tuple[Unit, ...]] = {
    "patient.age_years": (Unit("a", "years", 1.0),),
    "patient.weight_kg": (Unit("kg", "kg", 1.0),),
    "lesions[].size_cm": (Unit("cm", "cm", 1.0), Unit("mm", "mm", 0.1)),
    "lesions[].cortical_involvement": (
        Unit("fraction", "fraction (0-1)", 1.0),
        Unit("percent", "% of width", 0.01),
    ),
    "labs.creatinine_mg_dl": (
        _lab_unit("creatinine", "mg/dL", "mg/dL"),
        _lab_unit("creatinine", "umol/L", "µmol/L", PUBCHEM_CREATININE),
    ),
    "labs.calcium_mg_dl": (
        _lab_unit("calcium", "mg/dL", "mg/dL"),
        _lab_unit("calcium", "mmol/L", "mmol/L", IUPAC_CALCIUM),
    ),
    "labs.albumin_g_dl": (_lab_unit("albumin", "g/dL", "g/dL"), _lab_unit("albumin", "g/L", "g/L")),
    "labs.psa_ng_ml": (_lab_unit("psa", "ng/mL", "ng/mL"),),
    "labs.ldh_u_l": (_lab_unit("enzyme_activity", "U/L", "U/L"),),
    "labs.crp_mg_dl": (_lab_unit("crp", "mg/dL", "mg/dL"), _lab_unit("crp", "mg/L", "mg/L")),
    "labs.platelets_10e9_l": (_lab_unit("platelets", "10*9/L", "× 10⁹/L"),),
    "labs.bilirubin_mg_dl": (
        _lab_unit("bilirubin", "mg/dL", "mg/dL"),
        _lab_unit("bilirubin", "umol/L", "µmol/L", PUBCHEM_BILIRUBIN),
    ),
    "labs.alkaline_phosphatase_u_l": (_lab_unit("enzyme_activity", "U/L", "U/L"),),
}

_STEPS: dict[str, str] = {"patient.kps": "10", "lesions[].cortical_involvement": "any"}
_TEXTAREAS = frozenset({"imaging[].report_text"})

# Lesion fields that belong to one kind of bone (shown by bone on the form).
_SPINE_FIELDS = frozenset(
    {"level", "spinal_pain", "alignment", "vertebral_collapse", "posterolateral_involvement", "escc_grade"}
)
_LIMB_FIELDS = frozenset({"segment", "cortical_involvement", "pain"})


def group_for_bone(bone: str | None) -> set[Group]:
    """Which lesion field groups the form shows for a bone ('' or None: unknown, show both)."""
    if not bone:
        return {"any", "limb", "spine"}
    if bone in {b.value for b in SPINAL_BONES}:
        return {"any", "spine"}
    if bone in {b.value for b in LONG_BONES}:
        return {"any", "limb"}
    return {"any"}


# --- From the model -------------------------------------------------------------------------


def _inner_type(annotation: object) -> object:
    """`float | None` -> float; `list[str]` stays list."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def _limits(info: FieldInfo) -> tuple[float | None, float | None]:
    low: float | None = None
    high: float | None = None
    for rule in info.metadata:
        if isinstance(rule, annotated_types.Ge):
            low = float(typing.cast(float, rule.ge))
        elif isinstance(rule, annotated_types.Gt):
            low = float(typing.cast(float, rule.gt))
        elif isinstance(rule, annotated_types.Le):
            high = float(typing.cast(float, rule.le))
        elif isinstance(rule, annotated_types.Lt):
            high = float(typing.cast(float, rule.lt))
    return low, high


def _kind_of(path: str, annotation: object) -> tuple[Kind, tuple[Choice, ...]]:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        labels = _CHOICE_LABELS.get(path, {})
        choices = tuple(Choice(str(m.value), labels.get(str(m.value), _choice_label(str(m.value)))) for m in annotation)
        return "select", choices
    if annotation is bool:
        return "boolean", (Choice("true", "Yes"), Choice("false", "No"))
    if annotation is int:
        return "integer", ()
    if annotation is float:
        return "number", ()
    if annotation is dt.date:
        return "date", ()
    if typing.get_origin(annotation) is list:
        return "lines", ()
    return ("textarea" if path in _TEXTAREAS else "text"), ()


def _hint(description: str, label: str, choices: tuple[Choice, ...]) -> str:
    """The model's description as a hint, unless it only repeats the label or lists the option codes
    (the options are in the list itself, in words)."""
    words = re.sub(r"[^a-z0-9]+", " ", description.lower()).strip()
    if words == re.sub(r"[^a-z0-9]+", " ", label.lower()).strip() or words.endswith(" present"):
        return ""
    codes = [c.value for c in choices if "_" in c.value]
    if sum(code in description for code in codes) >= 1 or (
        choices and sum(c.value in words.split() for c in choices) >= 2
    ):
        return ""
    return description


def _spec(path: str, info: FieldInfo) -> FieldSpec:
    kind, choices = _kind_of(path, _inner_type(info.annotation))
    low, high = _limits(info) if kind in ("number", "integer") else (None, None)
    units = _UNITS.get(path, ())
    if units and units[0].factor == 1.0 and len(units) > 1:
        low, high = None, None  # limits are in the Case's unit; the server checks after conversion
    name = path.rsplit(".", 1)[-1]
    group: Group = "spine" if name in _SPINE_FIELDS else "limb" if name in _LIMB_FIELDS else "any"
    if not path.startswith("lesions[]"):
        group = "any"
    step = _STEPS.get(path, "1" if kind == "integer" else "any" if kind == "number" else None)
    label = _LABELS.get(path, _choice_label(name))
    return FieldSpec(
        path=path,
        label=label,
        kind=kind,
        help=_hint(info.description or "", label, choices),
        choices=choices,
        units=units,
        minimum=low,
        maximum=high,
        step=step,
        group=group,
    )


def _section(prefix: str, model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    return tuple(_spec(f"{prefix}.{name}", info) for name, info in model.model_fields.items())


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[FieldSpec, ...]
    repeated: bool = False  # a list: lesions, imaging

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _case_header() -> tuple[FieldSpec, ...]:
    from bonemet.model.case import Case

    return (_spec("id", Case.model_fields["id"]), _spec("as_of", Case.model_fields["as_of"]))


# The order a clinician thinks in: who, what cancer, what now, where in the skeleton, labs, treatment.
SECTIONS: tuple[Section, ...] = (
    Section("case", "Case", _case_header()),
    Section("patient", "Patient", _section("patient", Patient)),
    Section("cancer", "Cancer history", _section("cancer", Cancer)),
    Section("presentation", "Presentation", _section("presentation", Presentation)),
    Section(
        "skeletal_burden",
        "Skeletal burden (counts from whole-body imaging)",
        _section("skeletal_burden", SkeletalBurden),
    ),
    Section("lesions", "Lesions", _section("lesions[]", Lesion), repeated=True),
    Section("labs", "Laboratory values", _section("labs", Labs)),
    Section("treatment", "Treatment so far", _section("treatment", Treatment)),
    Section("imaging", "Imaging studies and reports", _section("imaging[]", ImagingStudy), repeated=True),
)
SECTION_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}


def all_specs() -> Iterator[FieldSpec]:
    for section in SECTIONS:
        yield from section.fields


SPEC_BY_PATH: dict[str, FieldSpec] = {spec.path: spec for spec in all_specs()}

_INDEXED = re.compile(r"^(lesions|imaging)\[(\d+)\]\.(\w+)$")


def spec_for_name(name: str) -> tuple[FieldSpec, int | None] | None:
    """The spec and list index for a control name or Case path ('lesions[1].pain')."""
    match = _INDEXED.match(name)
    if match:
        spec = SPEC_BY_PATH.get(f"{match.group(1)}[].{match.group(3)}")
        return (spec, int(match.group(2))) if spec else None
    spec = SPEC_BY_PATH.get(name)
    return (spec, None) if spec else None


def control_id(name: str) -> str:
    """An HTML id for a control name: 'lesions[0].bone' -> 'f-lesions-0-bone'."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
