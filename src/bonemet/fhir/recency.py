"""How old a recorded value may be and still describe the patient today.

A record is a history: a calcium from 1989 says nothing about the calcium in 2026, and must
never raise a hypercalcaemia emergency. Each kind of value has a recency window (days before
the evaluation date); an older value is kept as history, shown to the clinician, and never
reaches the Case. The windows are settings (`BONEMET_RECENCY_<KIND>_DAYS`); the defaults follow
the decision each value feeds:

- acute chemistry (calcium, albumin, ionised calcium, creatinine, magnesium): 7 days. These
  decide emergencies (hypercalcaemia, hypocalcaemia) and the zoledronic acid dose, which the
  Zometa label bases on a serum creatinine measured before each dose;
- blood count and markers (platelets, LDH, CRP, bilirubin, alkaline phosphatase, PSA): 30 days,
  the current state that the Katagiri laboratory item and the work-up read;
- 25-OH vitamin D: 90 days (it changes over weeks to months);
- body weight: 30 days (it enters the Cockcroft-Gault clearance); height has no window;
- performance status (ECOG, Karnofsky): 30 days ("within weeks");
- imaging studies: 90 days (older staging is history; the plan asks for current imaging).

These numbers are the project's defaults, not guideline thresholds: no guideline states an
expiry for a laboratory value. A site sets its own.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    acute_chemistry = "acute_chemistry"
    blood_markers = "blood_markers"
    vitamin_d = "vitamin_d"
    body_weight = "body_weight"
    performance_status = "performance_status"
    imaging = "imaging"


DEFAULT_DAYS: dict[Kind, int] = {
    Kind.acute_chemistry: 7,
    Kind.blood_markers: 30,
    Kind.vitamin_d: 90,
    Kind.body_weight: 30,
    Kind.performance_status: 30,
    Kind.imaging: 90,
}

_KIND_OF_FIELD: dict[str, Kind] = {
    "labs.calcium_mg_dl": Kind.acute_chemistry,
    "labs.albumin_g_dl": Kind.acute_chemistry,
    "labs.ionized_calcium_mmol_l": Kind.acute_chemistry,
    "labs.creatinine_mg_dl": Kind.acute_chemistry,
    "labs.magnesium_mg_dl": Kind.acute_chemistry,
    "labs.platelets_10e9_l": Kind.blood_markers,
    "labs.ldh_u_l": Kind.blood_markers,
    "labs.crp_mg_dl": Kind.blood_markers,
    "labs.bilirubin_mg_dl": Kind.blood_markers,
    "labs.alkaline_phosphatase_u_l": Kind.blood_markers,
    "labs.psa_ng_ml": Kind.blood_markers,
    "labs.vitamin_d_25oh_ng_ml": Kind.vitamin_d,
    "patient.weight_kg": Kind.body_weight,
    "patient.ecog": Kind.performance_status,
    "patient.kps": Kind.performance_status,
}

LABEL: dict[Kind, str] = {
    Kind.acute_chemistry: "calcium, albumin, creatinine and other acute chemistry",
    Kind.blood_markers: "blood count and markers",
    Kind.vitamin_d: "vitamin D",
    Kind.body_weight: "body weight",
    Kind.performance_status: "performance status",
    Kind.imaging: "imaging studies",
}


def env_name(kind: Kind) -> str:
    return f"BONEMET_RECENCY_{kind.value.upper()}_DAYS"


@dataclass(frozen=True)
class Windows:
    """Days each kind of value stays current."""

    days: dict[Kind, int]

    @classmethod
    def defaults(cls) -> Windows:
        return cls(dict(DEFAULT_DAYS))

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Windows:
        """The defaults, overridden by `BONEMET_RECENCY_<KIND>_DAYS` (a whole number of days, 1 or more)."""
        source = os.environ if environ is None else environ
        days = dict(DEFAULT_DAYS)
        for kind in Kind:
            raw = source.get(env_name(kind))
            if raw is None or not raw.strip():
                continue
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(
                    f"{env_name(kind)}: {raw!r} is not allowed: a whole number of days, 1 or more"
                ) from None
            if value < 1:
                raise ValueError(f"{env_name(kind)}: {raw!r} is not allowed: a whole number of days, 1 or more")
            days[kind] = value
        return cls(days)

    def fields(self) -> dict[str, Kind]:
        """Every Case field with a recency window, and its kind."""
        return dict(_KIND_OF_FIELD)

    def kind_of(self, field: str) -> Kind | None:
        return _KIND_OF_FIELD.get(field)

    def window(self, kind: Kind) -> int:
        return self.days[kind]

    def is_stale(self, kind: Kind | None, when: dt.date | None, reference: dt.date) -> bool:
        """Older than the window for its kind. Undated values and kinds without a window are not stale."""
        if kind is None or when is None:
            return False
        return (reference - when).days > self.days[kind]
