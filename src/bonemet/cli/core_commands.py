"""assess, demo, explain, schema."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from bonemet.cli.app import app, console
from bonemet.model import Assessment, Case


class SchemaName(StrEnum):
    case = "case"
    assessment = "assessment"


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="case or assessment")) -> None:
    """Print the JSON Schema of the Case input or the Assessment output."""
    model = Case if name is SchemaName.case else Assessment
    console.print_json(json.dumps(model.model_json_schema()))
