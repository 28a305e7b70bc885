"""Parts of a case that contradict each other.

Each is valid on its own, so the case is not refused (an EHR record often holds both an ECOG
and a KPS, or a stale lesion count); but the clinician is told what disagrees and what bonemet
did with it, because a score built on the wrong half of a contradiction looks just as certain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bonemet.model import Case, InputConflict
from bonemet.model.vocabulary import Bone, CancerHistory
from bonemet.scores.burden import listed_vertebral_bodies
from bonemet.scores.performance import CONVENTION, ecog_from_kps

# Performance scales are converted by bands, and the bands are approximate: a one-grade
# difference after conversion is ordinary, so only two or more grades count as a contradiction.
_ECOG_GRADES_APART = 2
_SACRAL_PREFIX = "S"


def input_conflicts(case: Case, as_of: dt.date) -> list[InputConflict]:
    """Every contradiction found, in the order of the case's sections."""
    return [
        *_performance_status(case),
        *_history_and_primary(case),
        *_diagnosis_date(case, as_of),
        *_lesion_counts(case),
        *_sacral_levels(case),
    ]


def _performance_status(case: Case) -> Iterator[InputConflict]:
    ecog, kps = case.patient.ecog, case.patient.kps
    if ecog is None or kps is None:
        return
    converted = ecog_from_kps(kps)
    if abs(converted - ecog) >= _ECOG_GRADES_APART:
        yield InputConflict(
            fields=["patient.ecog", "patient.kps"],
            text=(
                f"ECOG {ecog} and KPS {kps} disagree: KPS {kps} corresponds to ECOG {converted} ({CONVENTION}). "
                "Each score uses the scale it was published with (new Katagiri ECOG, revised Tokuhashi KPS), "
                "so the scores may rest on different pictures of the patient. Check both."
            ),
        )


def _history_and_primary(case: Case) -> Iterator[InputConflict]:
    cancer = case.cancer
    if cancer.history is CancerHistory.none and cancer.primary is not None:
        yield InputConflict(
            fields=["cancer.history", "cancer.primary"],
            text=(
                f"Cancer history is 'none' but a primary ({cancer.primary.value}) is given. bonemet treated the "
                "patient as having no known cancer (suspicion and work-up) while using the primary where a rule "
                "needs one. Set cancer.history to known_primary if the cancer is known."
            ),
        )


def _diagnosis_date(case: Case, as_of: dt.date) -> Iterator[InputConflict]:
    diagnosed = case.cancer.diagnosed_on
    if diagnosed is not None and diagnosed > as_of:
        yield InputConflict(
            fields=["cancer.diagnosed_on", "as_of"],
            text=(
                f"The primary was diagnosed on {diagnosed.isoformat()}, after the assessment date "
                f"{as_of.isoformat()}: the time since diagnosis, which the en bloc excision rule reads, is negative."
            ),
        )


def _lesion_counts(case: Case) -> Iterator[InputConflict]:
    burden = case.skeletal_burden
    listed = len(case.lesions)
    spinal_listed = listed_vertebral_bodies(case)
    if burden.total_lesions is not None and burden.total_lesions < listed:
        yield InputConflict(
            fields=["skeletal_burden.total_lesions", "lesions"],
            text=(
                f"skeletal_burden.total_lesions is {burden.total_lesions} but {listed} lesions are listed. "
                "bonemet counted the larger number where a score needs the lesion count."
            ),
        )
    parts = (burden.vertebral_bodies, burden.extraspinal_lesions)
    if burden.total_lesions is not None and None not in parts:
        counted = sum(p for p in parts if p is not None)
        if counted > burden.total_lesions:
            yield InputConflict(
                fields=[
                    "skeletal_burden.total_lesions",
                    "skeletal_burden.vertebral_bodies",
                    "skeletal_burden.extraspinal_lesions",
                ],
                text=(
                    f"{burden.vertebral_bodies} vertebral bodies and {burden.extraspinal_lesions} extraspinal "
                    f"lesions make {counted}, more than skeletal_burden.total_lesions ({burden.total_lesions})."
                ),
            )
    if burden.vertebral_bodies is not None and burden.vertebral_bodies < spinal_listed:
        yield InputConflict(
            fields=["skeletal_burden.vertebral_bodies", "lesions"],
            text=(
                f"skeletal_burden.vertebral_bodies is {burden.vertebral_bodies} but the listed lesions involve "
                f"{spinal_listed} vertebral bodies. bonemet counted the larger number."
            ),
        )


def _sacral_levels(case: Case) -> Iterator[InputConflict]:
    for index, lesion in enumerate(case.lesions):
        if lesion.bone is Bone.sacrum and lesion.level is not None and not lesion.level.startswith(_SACRAL_PREFIX):
            yield InputConflict(
                fields=[f"lesions[{index}].bone", f"lesions[{index}].level"],
                text=(
                    f"Lesion {index + 1} is in the sacrum but its level is {lesion.level.value}, not S1-S5. "
                    "Scores that read the level (SINS location) used the level as given."
                ),
            )
