"""The report reader's output: the contract's "Report reading" JSON, as pydantic models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bonemet.model.vocabulary import (
    Bone,
    CollapseBound,
    EsccGrade,
    FindingKind,
    FindingStatus,
    LesionCount,
    Mimic,
    Pattern,
    ReportFlag,
    ReportStatus,
    Section,
    Segment,
    Side,
    SpinalLevel,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Out):
    """One skeletal finding with the character span of its evidence in the report text."""

    kind: FindingKind = Field(description="lesion, complication or benign mimic")
    status: FindingStatus = Field(description="affirmed, possible, negated, historical or hypothetical")
    bone: Bone | None = None
    level: SpinalLevel | None = Field(default=None, description="Vertebral level, spine and sacrum only")
    segment: Segment | None = Field(default=None, description="Long bones only")
    side: Side | None = None
    pattern: Pattern | None = Field(default=None, description="lytic, blastic or mixed")
    size_cm: Annotated[float | None, Field(gt=0, description="Largest stated dimension in cm")] = None
    collapse_pct: Annotated[float | None, Field(ge=0, le=100, description="Vertebral body height loss, percent")] = None
    escc_grade: EsccGrade | None = Field(default=None, description="Bilsky grade when stated")
    mimic: Mimic | None = Field(default=None, description="Which benign mimic, for kind 'mimic'")
    section: Section
    span: tuple[int, int] = Field(description="Character offsets [start, end) of the evidence")
    text: str = Field(description="The evidence text, report[span[0]:span[1]]")
    # Additions to the contract's fields:
    cortical_fraction: Annotated[
        float | None,
        Field(ge=0, le=1, description="Stated fraction of the cortex or diameter destroyed (0-1)"),
    ] = None
    collapse_bound: CollapseBound | None = Field(
        default=None, description="Set when collapse_pct is a bound ('more than 50%')"
    )
    called_metastasis: bool = Field(
        default=False, description="The report calls this lesion a metastasis, not only a lesion"
    )
    present: bool = Field(
        default=False,
        description="The report describes the lesion as present, even when its cause is uncertain",
    )


class ReportReading(_Out):
    """What one report says about skeletal metastases."""

    status: ReportStatus = Field(description="Bone metastasis for the whole report")
    lesion_count: LesionCount | int | None = Field(
        default=None, description="solitary, multiple, a stated number, or null"
    )
    findings: list[Finding] = []
    # Additions (issue 11): flags apart from the status, and whether the text itself states a cancer.
    flags: list[ReportFlag] = Field(
        default=[],
        description="indeterminate_bone_lesion, haematological_bone_disease, primary_bone_tumour, benign_explanation",
    )
    cancer_in_text: bool = Field(default=False, description="The report states a non-haematological cancer")
