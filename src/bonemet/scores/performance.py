"""Performance status: Karnofsky (KPS) and ECOG, and the one conversion bonemet uses between them.

Store whichever scale was measured; convert only when a score needs the other one, and say so
in the item it feeds. Revised Tokuhashi grades general condition on KPS; the new Katagiri score
uses ECOG.

The convention: Prasad et al. 2018, who derived the KPS bands that best match each ECOG grade
from 5,844 paired KPS/ECOG assessments in 1,501 lung cancer patients (weighted kappa 0.749, hit
rate 78.1%, better than the bands proposed earlier):

    ECOG 0 = KPS 100;  ECOG 1 = KPS 80-90;  ECOG 2 = KPS 70;  ECOG 3 = KPS 50-60;  ECOG 4 = KPS 10-40

Why this one: it is empirical, the largest paired set published, and its bands tile the whole
KPS scale, so every KPS gives exactly one ECOG grade and every ECOG grade falls in exactly one of
Tokuhashi's KPS categories (10-40 / 50-70 / 80-100) - no conversion is left ambiguous. Other
tables differ: Ma et al. 2010 (1,385 palliative-care patients) found 100 / 80-90 / 60-70 / 40-50 /
10-30, and the common textbook table reads 90-100 / 70-80 / 50-60 / 30-40 / 10-20. A converted
value is therefore always flagged as converted, with the convention named.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.knowledge.citations import Citation, register
from bonemet.model import Patient

PRASAD_2018 = Citation(
    key="prasad2018_kps_ecog",
    label="Prasad 2018",
    reference=(
        "Prasad KT, Kaur H, Muthu V, Aggarwal AN, Behera D, Singh N. Interconversion of two "
        "commonly used performance tools: an analysis of 5844 paired assessments in 1501 lung "
        "cancer patients. World J Clin Oncol 2018;9(7):140-147. doi:10.5306/wjco.v9.i7.140"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6230919",
)
MA_2010 = Citation(
    key="ma2010_performance_interconversion",
    label="Ma 2010",
    reference=(
        "Ma C, Bandukwala S, Burman D, et al. Interconversion of three measures of performance "
        "status: an empirical analysis. Eur J Cancer 2010;46(18):3175-3183. "
        "doi:10.1016/j.ejca.2010.06.126"
    ),
)
register(PRASAD_2018, MA_2010)

CONVENTION = "Prasad 2018 convention"

KPS_STEP = 10
KPS_MINIMUM = 10  # KPS 0 is death; no score is computed for it
KPS_MAXIMUM = 100
ECOG_MAXIMUM = 4  # ECOG 5 is death


def _check_kps(kps: int) -> None:
    if not KPS_MINIMUM <= kps <= KPS_MAXIMUM or kps % KPS_STEP:
        raise ValueError(f"KPS must be {KPS_MINIMUM}-{KPS_MAXIMUM} in steps of {KPS_STEP}, not {kps}")


@dataclass(frozen=True)
class KpsRange:
    """A Karnofsky value or range, in steps of 10: KPS 70 is KpsRange(70, 70)."""

    low: int
    high: int

    def __post_init__(self) -> None:
        for value in (self.low, self.high):
            _check_kps(value)
        if self.low > self.high:
            raise ValueError(f"KPS range {self.low}-{self.high} is reversed")

    @classmethod
    def exactly(cls, kps: int) -> KpsRange:
        return cls(kps, kps)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        return f"KPS {self.low}" if self.is_exact else f"KPS {self.low}-{self.high}"


# Prasad 2018 (abstract, "Results"): the KPS band equivalent to each ECOG grade.
_KPS_BY_ECOG: dict[int, KpsRange] = {
    0: KpsRange(100, 100),
    1: KpsRange(80, 90),
    2: KpsRange(70, 70),
    3: KpsRange(50, 60),
    4: KpsRange(10, 40),
}


def kps_from_ecog(ecog: int) -> KpsRange:
    """The KPS band equivalent to an ECOG grade 0-4 (Prasad 2018)."""
    if ecog not in _KPS_BY_ECOG:
        raise ValueError(f"ECOG must be 0-{ECOG_MAXIMUM}, not {ecog}")
    return _KPS_BY_ECOG[ecog]


def ecog_from_kps(kps: int) -> int:
    """The ECOG grade equivalent to a KPS of 10-100 in steps of 10 (Prasad 2018)."""
    _check_kps(kps)
    for ecog, band in _KPS_BY_ECOG.items():
        if band.low <= kps <= band.high:
            return ecog
    raise AssertionError(f"the Prasad bands cover every KPS; {kps} fell through")  # pragma: no cover


def effective_ecog(patient: Patient) -> tuple[int | None, str]:
    """ECOG as measured, else converted from KPS; with a note saying which.

    >>> effective_ecog(Patient(kps=60))
    (3, 'ECOG 3 (converted from KPS 60, Prasad 2018 convention)')
    """
    if patient.ecog is not None:
        return patient.ecog, f"ECOG {patient.ecog}"
    if patient.kps is not None:
        ecog = ecog_from_kps(patient.kps)
        return ecog, f"ECOG {ecog} (converted from KPS {patient.kps}, {CONVENTION})"
    return None, "performance status not recorded (neither ECOG nor KPS)"


def effective_kps(patient: Patient) -> tuple[KpsRange | None, str]:
    """KPS as measured, else the KPS band converted from ECOG; with a note saying which.

    >>> effective_kps(Patient(ecog=1))
    (KpsRange(low=80, high=90), 'KPS 80-90 (converted from ECOG 1, Prasad 2018 convention)')
    """
    if patient.kps is not None:
        measured = KpsRange.exactly(patient.kps)
        return measured, str(measured)
    if patient.ecog is not None:
        converted = kps_from_ecog(patient.ecog)
        return converted, f"{converted} (converted from ECOG {patient.ecog}, {CONVENTION})"
    return None, "performance status not recorded (neither KPS nor ECOG)"
