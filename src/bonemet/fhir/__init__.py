"""FHIR R4 adapter: Bundle -> Case (`to_case`), Case -> Bundle (`from_case`), Assessment -> Bundle
(`from_assessment`). Uses fhir.resources R4B models for output; reads plain JSON tolerantly."""

from __future__ import annotations

from bonemet.fhir.reader import CodedCondition, FhirImport, UnknownCode, to_case
from bonemet.fhir.writer import case_resources, from_assessment, from_case, request_for

__all__ = [
    "CodedCondition",
    "FhirImport",
    "UnknownCode",
    "case_resources",
    "from_assessment",
    "from_case",
    "request_for",
    "to_case",
]
