"""Temporary stub so adapters can be built while the pathway is written (replaced by the lead)."""

from __future__ import annotations

import datetime as dt

from bonemet import __version__
from bonemet.model import Assessment, Case, Suspicion
from bonemet.model.vocabulary import SuspicionLevel


def assess(case: Case, today: dt.date | None = None) -> Assessment:
    as_of = case.as_of or today or dt.date.today()
    return Assessment(
        case_id=case.id,
        engine_version=__version__,
        knowledge_version="0",
        as_of=as_of.isoformat(),
        suspicion=Suspicion(level=SuspicionLevel.low, reasons=[]),
    )
