"""`bonemet serve`: run the CDS Hooks services, the JSON API and the assessment pages with uvicorn."""

from __future__ import annotations

import os

import typer
from rich.panel import Panel

from bonemet.cli.app import app, error_console, fail

# Longer than the idle timeout of the usual clients and proxies in front of a service (60 s for
# nginx and cloud load balancers): the side that closes an idle connection must be the client,
# or a request sent on a connection the server has just closed fails without an answer.
KEEP_ALIVE_SECONDS = 75
# A slowloris connection (headers sent a byte at a time, never finished) is closed after this.
HEADER_TIMEOUT_SECONDS = 10.0


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for all)"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes"),
    log_level: str = typer.Option("info", help="uvicorn log level: critical, error, warning, info, debug"),
    keep_alive: int = typer.Option(
        KEEP_ALIVE_SECONDS, min=1, max=3600, help="Seconds an idle keep-alive connection stays open"
    ),
    header_timeout: float = typer.Option(
        HEADER_TIMEOUT_SECONDS,
        min=0.5,
        max=600,
        envvar="BONEMET_HEADER_TIMEOUT_SECONDS",
        help="Seconds a connection has to finish a request's headers; then it is closed",
    ),
) -> None:
    """Serve CDS Hooks 2.0 (/cds-services), the JSON API (/api, OpenAPI at /docs) and /healthz.

    Configured by BONEMET_* environment variables (see bonemet.service.settings):
    BONEMET_PUBLIC_URL, BONEMET_TRUSTED_ISSUERS, BONEMET_DATABASE_URL, BONEMET_AUTH_DISABLED, ...
    """
    import uvicorn

    from bonemet.service.settings import Settings
    from bonemet.store import AuditStore

    try:
        settings = Settings.from_env({**os.environ, "BONEMET_LISTEN_HOST": host})
    except ValueError as error:
        fail([str(error)], title="Invalid BONEMET_* setting")
    if settings.auth_disabled:
        error_console.print(
            Panel(
                "BONEMET_AUTH_DISABLED=1: hook calls are NOT authenticated.\n"
                "Anyone who can reach this port can call the CDS services.\n"
                "For local demos only - never with real patient data.",
                title="AUTHENTICATION DISABLED",
                style="bold red",
            )
        )
    if settings.audit_enabled or not settings.auth_disabled:
        # Migrate once here, before the workers start, so they do not race to create tables
        # (with the audit off, the database still keeps the used JWT ids for every worker).
        AuditStore(settings.database_url).close()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    error_console.print(
        f"[bold green]bonemet is running at http://{shown}:{port}/[/]  "
        f"(case entry /, reference /reference, API docs /docs, CDS Hooks /cds-services) — Ctrl-C stops it"
    )
    # Beyond loopback the JSON API asks for authentication by default (BONEMET_API_AUTH=auto).
    os.environ["BONEMET_LISTEN_HOST"] = host
    # Every worker reads it from the environment (the protocol class is imported by name there).
    os.environ["BONEMET_HEADER_TIMEOUT_SECONDS"] = str(header_timeout)
    uvicorn.run(
        "bonemet.service:app_from_env",
        http="bonemet.service.http_protocol:HeaderTimeoutProtocol",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        timeout_keep_alive=keep_alive,
    )
