"""Case (input) and Assessment (output) models and the shared vocabulary."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from bonemet.model.assessment import (
    Assessment,
    Dose,
    FactFromReport,
    LikelyPrimary,
    MissingItem,
    NotRecommended,
    Prognosis,
    Recommendation,
    ScoreItemOut,
    ScoreOut,
    Source,
    SurvivalEstimate,
    Suspicion,
)
from bonemet.model.case import (
    Cancer,
    Case,
    ImagingStudy,
    Labs,
    Lesion,
    Patient,
    Presentation,
    SkeletalBurden,
    Treatment,
)
from bonemet.model.errors import CaseError, describe_errors, field_path


def parse_case(data: str | bytes | dict[str, Any]) -> Case:
    """Validate a case from JSON text or a dict; raise CaseError naming every bad field."""
    try:
        if isinstance(data, dict):
            return Case.model_validate(data)
        return Case.model_validate_json(data)
    except ValidationError as error:
        raise CaseError(describe_errors(error)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CaseError([f"(root): not valid JSON: {error}"]) from None


__all__ = [
    "Assessment",
    "Cancer",
    "Case",
    "CaseError",
    "Dose",
    "FactFromReport",
    "ImagingStudy",
    "Labs",
    "Lesion",
    "LikelyPrimary",
    "MissingItem",
    "NotRecommended",
    "Patient",
    "Presentation",
    "Prognosis",
    "Recommendation",
    "ScoreItemOut",
    "ScoreOut",
    "SkeletalBurden",
    "Source",
    "SurvivalEstimate",
    "Suspicion",
    "Treatment",
    "describe_errors",
    "field_path",
    "parse_case",
]
