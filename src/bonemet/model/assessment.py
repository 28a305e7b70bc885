"""The Assessment: bonemet's explained plan for one case (contract v1, output)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from bonemet.model.vocabulary import Code, Primary, Priority, ScoreName, Step, SuspicionLevel

M = TypeVar("M", bound=BaseModel)


def validator_of(model: type[M]) -> Callable[[dict[str, Any]], M]:
    """`model.model_validate` for a dict of fields, without its Python wrapper.

    The values are validated all the same. The pathway builds dozens of output models per
    assessment, and the call through `Model(...)` or `model_validate` costs about half as
    much again as the validation itself; hot paths keep this function at module level.
    """
    return cast("Callable[[dict[str, Any]], M]", model.__pydantic_validator__.validate_python)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Suspicion(_Out):
    level: SuspicionLevel
    reasons: list[str] = []


class ScoreItemOut(_Out):
    item: str = Field(description="Item of the score, e.g. 'site'")
    value: str | None = Field(description="The value the item was scored from; null when missing")
    points: float | None = Field(description="Points for this item; null when missing")


class ScoreOut(_Out):
    name: ScoreName
    lesion_index: int | None = Field(default=None, description="Lesion scored; null for patient-level scores")
    total: float | None = Field(description="Total; null when any item is missing")
    band: str | None = None
    items: list[ScoreItemOut] = []
    missing_items: list[str] = Field(default=[], description="Items that were unknown")
    interpretation: str = ""
    citation: str = ""
    higher_is_worse: bool = True
    total_range: tuple[float, float] | None = Field(
        default=None, description="Added: lowest and highest total over the allowed values of the missing items"
    )
    narrowest_unknown: str | None = Field(
        default=None, description="Added: the missing item whose value would narrow total_range most"
    )


class LikelyPrimary(_Out):
    primary: Primary
    probability: float = Field(ge=0, le=1)
    why: list[str] = []


class PossibleDiagnosis(_Out):
    """A diagnosis to exclude that the likely-primary model does not put a number on."""

    primary: Primary
    why: str


class Dose(_Out):
    value: float
    unit: str
    route: str
    interval: str
    basis: str = Field(description="What the dose was chosen from, e.g. the creatinine clearance")


class Recommendation(_Out):
    code: Code
    priority: Priority
    step: Step
    text: str
    reasons: list[str] = []
    citations: list[str] = []
    lesion_index: int | None = None
    dose: Dose | None = None


class NotRecommended(_Out):
    code: Code
    reasons: list[str] = []
    citations: list[str] = []
    lesion_index: int | None = None


class MissingItem(_Out):
    field: str = Field(description="Case field path, e.g. lesions[0].cortical_involvement")
    why: str


class SurvivalEstimate(_Out):
    score: ScoreName
    band: str | None = None
    estimate: str = Field(description="Published survival figure for the band")
    citation: str = ""


class CalculatorInput(_Out):
    """Added: one input an external calculator asks for, with the value from this case (null: not recorded)."""

    input: str
    value: str | None = None


class ExternalCalculator(_Out):
    """Added: a published calculator bonemet links to rather than imitates (PATHFx)."""

    name: str
    url: str
    inputs: list[CalculatorInput] = []
    note: str = ""
    citation: str = ""


class Prognosis(_Out):
    score: ScoreName = ScoreName.katagiri_new
    band: str | None = None
    survival: dict[str, float] = Field(
        default={}, description="Survival probability by horizon: 6_months, 12_months, 24_months"
    )
    interpretation: str = ""
    citation: str = ""
    spine: list[SurvivalEstimate] = Field(default=[], description="Tokuhashi and Tomita estimates")
    band_range: list[str] = Field(
        default=[], description="Added: the Katagiri bands still possible when items are missing (band is null)"
    )
    survival_range: dict[str, tuple[float, float]] = Field(
        default={}, description="Added: lowest and highest published survival by horizon over band_range"
    )
    narrowest_unknown: str | None = Field(
        default=None, description="Added: the missing Katagiri item that would narrow the range most"
    )
    pathfx: ExternalCalculator | None = Field(
        default=None, description="Added: link to PATHFx with the inputs it asks for, filled from the case"
    )
    agreement: str = Field(
        default="", description="Added: where new Katagiri and revised Tokuhashi agree or disagree on expected survival"
    )
    caveats: list[str] = Field(default=[], description="Added: calibration caveats for the survival figures")


class Source(_Out):
    citation: str
    url: str | None = None


class FactFromReport(_Out):
    """A case fact read from report text rather than typed in (filled by the report reader)."""

    field: str = Field(description="Case field path the fact filled, e.g. lesions[1].pattern")
    value: str
    study_index: int | None = Field(default=None, description="Index in case.imaging of the report")
    span: tuple[int, int] | None = Field(default=None, description="Character span of the evidence")
    text: str = Field(default="", description="The source sentence or phrase")


class InputConflict(_Out):
    """Parts of the case that contradict each other: accepted, but to be checked by the clinician."""

    fields: list[str] = Field(description="Case field paths that disagree, e.g. patient.ecog and patient.kps")
    text: str = Field(description="What disagrees and what bonemet did with it")


class Assessment(_Out):
    case_id: str | None = None
    engine_version: str
    knowledge_version: str
    as_of: str
    suspicion: Suspicion
    scores: list[ScoreOut] = []
    likely_primaries: list[LikelyPrimary] = []
    also_possible: list[PossibleDiagnosis] = Field(
        default=[],
        description="Diagnoses to exclude that the likely-primary probabilities do not cover (e.g. myeloma)",
    )
    recommendations: list[Recommendation] = []
    not_recommended: list[NotRecommended] = []
    missing: list[MissingItem] = []
    prognosis: Prognosis | None = None
    patient_summary: str = ""
    facts_from_reports: list[FactFromReport] = Field(
        default=[], description="Facts the report reader added to the case, with their evidence"
    )
    sources: Annotated[list[Source], Field(description="Every source cited above, in full")] = []
    input_conflicts: list[InputConflict] = Field(
        default=[], description="Parts of the case that contradict each other, and what bonemet did with them"
    )
    disclaimer: str = (
        "Decision support for health care professionals, not a substitute for clinical judgement: "
        "the treating clinician decides."
    )
