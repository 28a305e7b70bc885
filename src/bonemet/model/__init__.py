"""Case (input) and Assessment (output) models and the shared vocabulary."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from bonemet.model.assessment import (
    Assessment,
    Dose,
    FactFromReport,
    InputConflict,
    LikelyPrimary,
    MissingItem,
    NotRecommended,
    PossibleDiagnosis,
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
    PriorRadiotherapy,
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


def salvage_case(data: dict[str, Any], attempts: int = 10) -> tuple[Case | None, list[tuple[str, str]]]:
    """Validate a case built from another system's data, dropping each value the model rejects.

    Returns the case (None when it cannot be made valid) and, for every dropped value, its
    field path and the reason, so adapters can report rather than guess. `data` is modified.
    """
    dropped: list[tuple[str, str]] = []
    for _ in range(attempts):
        try:
            return Case.model_validate(data), dropped
        except ValidationError as error:
            problems = sorted(
                (tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-"))), e["msg"])
                for e in error.errors(include_url=False)
            )
            removed = False
            for loc, message in reversed(problems):  # deepest and last first, so indexes stay valid
                if loc and _delete_at(data, loc):
                    dropped.append((field_path(loc), message))
                    removed = True
            if not removed:
                break
    return None, dropped


def _delete_at(data: Any, loc: tuple[int | str, ...]) -> bool:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        del node[loc[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


__all__ = [
    "Assessment",
    "Cancer",
    "Case",
    "CaseError",
    "Dose",
    "FactFromReport",
    "ImagingStudy",
    "InputConflict",
    "Labs",
    "Lesion",
    "LikelyPrimary",
    "MissingItem",
    "NotRecommended",
    "Patient",
    "PossibleDiagnosis",
    "Presentation",
    "PriorRadiotherapy",
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
    "salvage_case",
]
