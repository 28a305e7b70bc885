"""`bonemet read REPORT.txt ...`: what radiology reports say about skeletal metastases.

Text output shows each report with its evidence highlighted and a table of findings; JSON
output is the contract's "Report reading" object (JSON Lines with a "file" key when several
files are read). A file that cannot be read is reported and the others are still read; the
command then exits with status 2.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bonemet.cli.app import app, console, fail
from bonemet.nlp import Finding, FindingKind, FindingStatus, ReportReading, ReportStatus, read_reports


class ReadFormat(StrEnum):
    text = "text"
    json = "json"


_STATUS_STYLE = {
    ReportStatus.affirmed: "bold red",
    ReportStatus.possible: "bold yellow",
    ReportStatus.negated: "bold green",
    ReportStatus.not_mentioned: "bold",
}
_FINDING_STYLE = {
    FindingStatus.affirmed: "bold red underline",
    FindingStatus.possible: "bold yellow underline",
    FindingStatus.negated: "green strike",
    FindingStatus.historical: "cyan",
    FindingStatus.hypothetical: "magenta",
}
_MIMIC_STYLE = "bold blue underline"


def _read_text(path: Path) -> str:
    """The file's text; raises OSError or UnicodeDecodeError with the reason."""
    return path.read_text(encoding="utf-8")


def _style(finding: Finding) -> str:
    if finding.kind is FindingKind.mimic and finding.status is not FindingStatus.negated:
        return _MIMIC_STYLE
    return _FINDING_STYLE[finding.status]


def _site(finding: Finding) -> str:
    parts = [
        finding.side.value if finding.side else None,
        finding.bone.value if finding.bone else None,
        finding.level.value if finding.level else None,
        finding.segment.value if finding.segment else None,
    ]
    return " ".join(p for p in parts if p) or "-"


def _details(finding: Finding) -> str:
    details = []
    if finding.pattern:
        details.append(finding.pattern.value)
    if finding.size_cm is not None:
        details.append(f"{finding.size_cm:g} cm")
    if finding.collapse_pct is not None:
        bound = {"more_than": ">", "less_than": "<"}.get(finding.collapse_bound or "", "")
        details.append(f"{bound}{finding.collapse_pct:g}% height loss")
    if finding.escc_grade is not None:
        details.append(f"ESCC {finding.escc_grade.value}")
    if finding.cortical_fraction is not None:
        details.append(f"cortex {finding.cortical_fraction:.0%}")
    if finding.mimic is not None:
        details.append(finding.mimic.value.replace("_", " "))
    return ", ".join(details) or "-"


def _highlighted(text: str, reading: ReportReading) -> Text:
    shown = Text(text)
    for finding in sorted(reading.findings, key=lambda f: f.span[1] - f.span[0], reverse=True):
        shown.stylize(_style(finding), *finding.span)
    return shown


def _findings_table(reading: ReportReading) -> Table:
    table = Table(show_edge=False, header_style="bold", expand=True)
    for column in ("kind", "status", "site", "details", "section"):
        table.add_column(column, no_wrap=True)
    table.add_column("evidence", ratio=1, overflow="ellipsis", no_wrap=True)
    for finding in reading.findings:
        table.add_row(
            finding.kind.value.replace("_", " "),
            Text(finding.status.value, style=_style(finding).replace(" underline", "")),
            _site(finding),
            _details(finding),
            finding.section.value,
            Text(" ".join(finding.text.split())),
        )
    return table


def render_reading(name: str, text: str, reading: ReportReading) -> Panel:
    """A report with its evidence highlighted, the answer, and a table of findings."""
    count = reading.lesion_count
    count_text = f"lesions: {getattr(count, 'value', count)}" if count is not None else "lesions: not stated"
    flags = ", ".join(flag.value.replace("_", " ") for flag in reading.flags)
    summary = Text.assemble(
        ("bone metastasis: ", "bold"),
        (reading.status.value.replace("_", " "), _STATUS_STYLE[reading.status]),
        f"   {count_text}",
        *((("   flags: ", "bold"), (flags, "yellow")) if flags else ()),
        "   cancer stated in the text" if reading.cancer_in_text else "",
    )
    legend = Text.assemble(
        ("affirmed", _FINDING_STYLE[FindingStatus.affirmed]),
        "  ",
        ("possible", _FINDING_STYLE[FindingStatus.possible]),
        "  ",
        ("negated", _FINDING_STYLE[FindingStatus.negated]),
        "  ",
        ("benign mimic", _MIMIC_STYLE),
        "  ",
        ("historical", _FINDING_STYLE[FindingStatus.historical]),
        "  ",
        ("hypothetical", _FINDING_STYLE[FindingStatus.hypothetical]),
    )
    body: list[Text | Table] = [summary, Text(), _highlighted(text, reading), Text(), legend]
    if reading.findings:
        body += [Text(), _findings_table(reading)]
    return Panel(Group(*body), title=name, title_align="left")


@app.command()
def read(
    files: list[Path] = typer.Argument(..., help="Radiology report text files (x-ray, CT, MRI, bone scan, PET-CT)"),
    output: ReadFormat = typer.Option(ReadFormat.text, "--format", "-f", help="text or json"),
) -> None:
    """Read radiology reports: bone metastasis yes/possible/no, and each finding with its evidence."""
    texts: list[tuple[Path, str]] = []
    problems: list[str] = []
    for path in files:
        try:
            texts.append((path, _read_text(path)))
        except FileNotFoundError:
            problems.append(f"{path}: no such file")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot read the file ({getattr(error, 'strerror', None) or error})")
    readings = read_reports(text for _, text in texts)
    for (path, text), reading in zip(texts, readings, strict=True):
        if output is ReadFormat.json and len(files) > 1:
            print(json.dumps({"file": str(path), **reading.model_dump(mode="json")}))
        elif output is ReadFormat.json:
            print(reading.model_dump_json(indent=2))
        else:
            console.print(render_reading(str(path), text, reading))
    if problems:
        fail(problems, title="Some reports could not be read")
