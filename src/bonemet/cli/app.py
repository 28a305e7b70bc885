"""The Typer application and the console shared by every command."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
    name="bonemet",
    help="Clinical decision support for metastatic bone disease. Decision support only: the clinician decides.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
error_console = Console(stderr=True, soft_wrap=True)


def fail(problems: list[str], title: str = "Invalid input") -> NoReturn:
    """Print each problem on its own line and exit 2, without a traceback."""
    error_console.print(f"[bold red]{title}[/]")
    for problem in problems:
        error_console.print(f"  - {problem}", markup=False, highlight=False)
    sys.exit(2)


@app.callback()
def _root() -> None:
    """Clinical decision support for metastatic bone disease."""
