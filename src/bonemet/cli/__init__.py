"""The `bonemet` command line. Each command group lives in its own module and registers on `app`."""

from __future__ import annotations

from bonemet.cli.app import app


def main() -> None:
    # Importing the command modules registers their commands on `app`.
    from bonemet.cli import core_commands, population, read, serve  # noqa: F401

    app()


__all__ = ["app", "main"]
