"""The report reader (bonemet.nlp), loaded only when it is installed.

The FHIR adapter and the service use it when present and say so plainly when it is not;
importing it lazily keeps spaCy out of processes that never read a report.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, cast

from bonemet.model import Case, FactFromReport

EnrichCase = Callable[[Case], tuple[Case, Sequence[FactFromReport]]]
ReadReport = Callable[[str], Any]


@cache
def _module() -> Any | None:
    try:
        return importlib.import_module("bonemet.nlp")
    except ImportError as error:
        if error.name is not None and not error.name.startswith("bonemet.nlp"):
            # bonemet.nlp exists but one of its own imports failed: that is a bug to surface.
            raise
        return None


def reader_installed() -> bool:
    """Whether bonemet.nlp is present, without importing it (spaCy takes a while to load)."""
    return importlib.util.find_spec("bonemet.nlp") is not None


def enrich_case_function() -> EnrichCase | None:
    module = _module()
    function = getattr(module, "enrich_case", None) if module is not None else None
    return cast(EnrichCase, function) if callable(function) else None


def read_report_function() -> ReadReport | None:
    module = _module()
    function = getattr(module, "read_report", None) if module is not None else None
    return cast(ReadReport, function) if callable(function) else None
