"""The HTML summary of a screen: counts and bar charts as inline SVG (no script, no CDN)."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING

from bonemet.population.gaps import GAP_LABELS, GAP_SOURCES, GapKind

if TYPE_CHECKING:
    from bonemet.population.screen import ScreenResult

_BAR_HEIGHT = 22
_LABEL_WIDTH = 360
_CHART_WIDTH = 760
_COLOUR = "#2f5d8a"

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0.5rem 0 1.5rem; } figcaption { font-size: 0.9rem; color: #444; }
.note { font-size: 0.9rem; color: #444; }
"""


def bar_chart(title: str, counts: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG, with the numbers written beside the bars."""
    if not counts:
        return f"<p class='note'>{escape(title)}: nothing to show.</p>"
    largest = max(n for _, n in counts) or 1
    height = _BAR_HEIGHT * len(counts) + 10
    span = _CHART_WIDTH - _LABEL_WIDTH - 60
    bars = []
    for row, (label, n) in enumerate(counts):
        y = 5 + row * _BAR_HEIGHT
        width = max(1, round(span * n / largest)) if n else 0
        bars.append(
            f"<text x='{_LABEL_WIDTH - 8}' y='{y + 15}' text-anchor='end'>{escape(label)}</text>"
            f"<rect x='{_LABEL_WIDTH}' y='{y + 3}' width='{width}' height='{_BAR_HEIGHT - 6}' fill='{_COLOUR}'>"
            f"<title>{escape(label)}: {n}</title></rect>"
            f"<text x='{_LABEL_WIDTH + width + 6}' y='{y + 15}'>{n}</text>"
        )
    return (
        f"<figure><svg role='img' aria-label='{escape(title)}' xmlns='http://www.w3.org/2000/svg' "
        f"width='{_CHART_WIDTH}' height='{height}' viewBox='0 0 {_CHART_WIDTH} {height}' font-size='13'>"
        f"<title>{escape(title)}</title>{''.join(bars)}</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


def _sorted(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _gap_table(result: ScreenResult) -> str:
    counts = result.gaps_by("gap")
    patients = {kind.value: len({g["patient_id"] for g in result.gaps if g["gap"] == kind.value}) for kind in GapKind}
    rows = "".join(
        f"<tr><td>{escape(GAP_LABELS[kind])}</td><td class='n'>{counts.get(kind.value, 0)}</td>"
        f"<td class='n'>{patients[kind.value]}</td>"
        f"<td>{escape('; '.join(c.label for c in GAP_SOURCES[kind]))}</td></tr>"
        for kind in GapKind
    )
    return (
        "<table><thead><tr><th>Care gap</th><th>Gaps</th><th>Patients</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _malformed(result: ScreenResult) -> str:
    if not result.malformed:
        return "<p>No malformed lines.</p>"
    rows = "".join(
        f"<tr><td>{escape(m.file)}</td><td class='n'>{m.line}</td><td><code>{escape(m.snippet)}</code></td></tr>"
        for m in result.malformed[:200]
    )
    more = len(result.malformed) - 200
    tail = f"<p class='note'>… and {more} more (see malformed-lines.csv).</p>" if more > 0 else ""
    return (
        f"<p>{len(result.malformed)} line(s) skipped.</p><table><thead><tr><th>File</th><th>Line</th>"
        f"<th>Start of the line</th></tr></thead><tbody>{rows}</tbody></table>{tail}"
    )


def render_summary(result: ScreenResult) -> str:
    gap_counts = [(GAP_LABELS[kind], result.gaps_by("gap").get(kind.value, 0)) for kind in GapKind]
    with_gaps: Counter[str] = Counter()
    for primary in {(g["patient_id"], g["primary"]) for g in result.gaps}:
        with_gaps[primary[1]] += 1
    patients_with_gaps = len({g["patient_id"] for g in result.gaps})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bonemet screen: care gaps</title>
<style>{_STYLE}</style></head><body>
<h1>Bone metastases: care gaps</h1>
<p>Engine {escape(result.engine)}, as of {result.as_of.isoformat()}; {len(result.files)} file(s).
{result.cohort_patients} patient(s) with bone metastases or a strong suspicion of them were assessed;
{patients_with_gaps} have at least one gap, {len(result.gaps)} gap(s) in all.
{result.deceased_not_screened} patient(s) whose record says they have died were not screened.</p>
<p class="note">Decision support for health care professionals: each gap is a prompt to review the record,
not a judgement of care. A gap is counted where the bonemet pathway calls for an action and the export shows
none.</p>
<h2>Gaps by type</h2>
{_gap_table(result)}
{bar_chart("Care gaps by type", gap_counts)}
<h2>By primary</h2>
{bar_chart("Patients with at least one gap, by primary", _sorted(with_gaps))}
{bar_chart("Patients assessed, by primary", _sorted(result.patients_by_primary))}
<h2>Katagiri prognostic bands</h2>
<p class="note">New Katagiri score (Katagiri 2014); "not computable" when an item is missing from the export.</p>
{bar_chart("Patients assessed, by Katagiri band", _sorted(result.patients_by_band))}
<h2>Malformed lines</h2>
{_malformed(result)}
</body></html>
"""
