"""Geometry for the two server-rendered SVG charts: likely primaries and Katagiri survival.

Computed here, laid out by the templates as inline SVG (no script, no external library), so
the charts print, work without JavaScript and carry a text description for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet.model import LikelyPrimary, Prognosis
from bonemet.scores.katagiri import SURVIVAL_BY_BAND, UNVERIFIED_SURVIVAL, KatagiriBand

HORIZONS: tuple[tuple[str, str], ...] = (
    ("6_months", "6 months"),
    ("12_months", "12 months"),
    ("24_months", "24 months"),
)


def percent(probability: float) -> str:
    return f"{probability:.0%}"


# --- Likely primaries: horizontal bars --------------------------------------------------------


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    value_text: str
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class PrimariesChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[HorizontalBar, ...]
    description: str


_LABEL_WIDTH = 150
_BAR_AREA = 330
_ROW = 30
_BAR = 20


def primaries_chart(likely: list[LikelyPrimary]) -> PrimariesChart | None:
    if not likely:
        return None
    bars = []
    for row, item in enumerate(likely):
        y = 10 + row * _ROW
        width = round(_BAR_AREA * item.probability, 1)
        label = item.primary.value.replace("_", " ").capitalize()
        bars.append(
            HorizontalBar(
                label=label,
                value_text=percent(item.probability),
                y=y,
                width=max(width, 1.0),
                text_y=y + _BAR / 2 + 5,
                value_x=_LABEL_WIDTH + max(width, 1.0) + 6,
            )
        )
    description = "; ".join(f"{b.label} {b.value_text}" for b in bars)
    return PrimariesChart(
        width=_LABEL_WIDTH + _BAR_AREA + 60,
        height=20 + len(bars) * _ROW,
        label_width=_LABEL_WIDTH,
        bar_height=_BAR,
        bars=tuple(bars),
        description=f"Likely primary tumour, estimated probability: {description}.",
    )


# --- Katagiri survival: grouped vertical bars -------------------------------------------------


@dataclass(frozen=True)
class SurvivalBar:
    band: str
    horizon: str
    value_text: str  # "49%", with " *" when the figure is not confirmed against the paper
    x: float
    y: float
    height: float
    width: float
    this_patient: bool
    verified: bool
    shade: int = 0


@dataclass(frozen=True)
class AxisTick:
    y: float
    text: str


@dataclass(frozen=True)
class GroupLabel:
    x: float
    text: str


@dataclass(frozen=True)
class LegendEntry:
    band: str
    this_patient: bool
    x: float
    y: float = 0.0  # one row per band, so no label runs past the chart (issue 14)
    shade: int = 0  # which grey for the other bands, so each band has its own colour


@dataclass(frozen=True)
class SurvivalChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: tuple[SurvivalBar, ...]
    ticks: tuple[AxisTick, ...]
    groups: tuple[GroupLabel, ...]
    legend: tuple[LegendEntry, ...]
    patient_band: str
    any_unverified: bool
    description: str


_LEGEND_ROW = 22
_WIDTH, _HEIGHT = 560, 300 + 2 * _LEGEND_ROW
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 540, 20, 230
_GROUP_GAP = 30
_BAR_GAP = 4


def survival_chart(prognosis: Prognosis | None) -> SurvivalChart | None:
    """All three Katagiri bands at 6, 12 and 24 months, the patient's band highlighted, so the
    patient's figures are read against the others. None when the band is not known."""
    if prognosis is None or not prognosis.band:
        return None
    try:
        patient_band = KatagiriBand(prognosis.band)
    except ValueError:
        return None
    bands = list(KatagiriBand)
    plot_height = _BOTTOM - _TOP
    group_width = (_RIGHT - _LEFT - _GROUP_GAP * (len(HORIZONS) + 1)) / len(HORIZONS)
    bar_width = (group_width - _BAR_GAP * (len(bands) - 1)) / len(bands)
    bars: list[SurvivalBar] = []
    groups: list[GroupLabel] = []
    for g, (key, label) in enumerate(HORIZONS):
        group_x = _LEFT + _GROUP_GAP + g * (group_width + _GROUP_GAP)
        groups.append(GroupLabel(round(group_x + group_width / 2, 1), label))
        for b, band in enumerate(bands):
            probability = SURVIVAL_BY_BAND[band][key]
            if band is patient_band and key in prognosis.survival:
                probability = prognosis.survival[key]  # the engine's figure for this patient
            height = round(plot_height * probability, 1)
            verified = (band, key) not in UNVERIFIED_SURVIVAL
            bars.append(
                SurvivalBar(
                    band=band.value,
                    horizon=label,
                    value_text=percent(probability) + ("" if verified else " *"),
                    x=round(group_x + b * (bar_width + _BAR_GAP), 1),
                    y=round(_BOTTOM - height, 1),
                    height=height,
                    width=round(bar_width, 1),
                    this_patient=band is patient_band,
                    verified=verified,
                    shade=b,
                )
            )
    ticks = tuple(AxisTick(round(_BOTTOM - plot_height * p / 100, 1), f"{p}%") for p in (0, 25, 50, 75, 100))
    legend = tuple(
        LegendEntry(b.value, b is patient_band, _LEFT, _BOTTOM + 36 + i * _LEGEND_ROW, i) for i, b in enumerate(bands)
    )
    mine = [bar for bar in bars if bar.this_patient]
    description = (
        f"Survival by new Katagiri band; this patient is in band {patient_band.value}: "
        + ", ".join(f"{bar.horizon} {bar.value_text}" for bar in mine)
        + "."
    )
    return SurvivalChart(
        width=_WIDTH,
        height=_HEIGHT,
        plot_left=_LEFT,
        plot_right=_RIGHT,
        plot_top=_TOP,
        plot_bottom=_BOTTOM,
        bars=tuple(bars),
        ticks=ticks,
        groups=tuple(groups),
        legend=legend,
        patient_band=patient_band.value,
        any_unverified=any(not bar.verified for bar in bars),
        description=description,
    )
