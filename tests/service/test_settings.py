"""Settings come from BONEMET_* variables; a bad value names the variable."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bonemet.service import IssuerTrust, Settings


def test_defaults_are_safe() -> None:
    settings = Settings.from_env({})
    assert settings.auth_disabled is False
    assert settings.discovery_requires_auth is True
    assert settings.jwt_algorithms == ("ES384", "RS384")


def test_variables_are_read() -> None:
    issuers = {"https://ehr.example.org": "https://ehr.example.org/jwks.json", "https://b": {"jku": ["https://b/k"]}}
    settings = Settings.from_env(
        {
            "BONEMET_PUBLIC_URL": "https://cds.example.org/",
            "BONEMET_TRUSTED_ISSUERS": json.dumps(issuers),
            "BONEMET_AUTH_DISABLED": "1",
            "BONEMET_JWT_ALGORITHMS": "ES384, PS384",
            "BONEMET_DATABASE_URL": "postgresql://u@h/db",
            "BONEMET_RECENT_IMAGING_DAYS": "14",
        }
    )
    assert settings.public_url == "https://cds.example.org"
    assert settings.trusted_issuers["https://ehr.example.org"] == IssuerTrust(
        jwks_url="https://ehr.example.org/jwks.json"
    )
    assert settings.trusted_issuers["https://b"].jku == ("https://b/k",)
    assert settings.auth_disabled is True
    assert settings.jwt_algorithms == ("ES384", "PS384")
    assert settings.database_url == "postgresql://u@h/db"
    assert settings.recent_imaging_days == 14


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BONEMET_JWT_ALGORITHMS", "ES384,none"),
        ("BONEMET_JWT_ALGORITHMS", "HS256"),
        ("BONEMET_AUTH_DISABLED", "maybe"),
        ("BONEMET_TRUSTED_ISSUERS", "[1, 2]"),
        ("BONEMET_TRUSTED_ISSUERS", "{not json"),
        ("BONEMET_FHIR_TIMEOUT_SECONDS", "-1"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ValueError, match=variable):
        Settings.from_env({variable: value})


def test_serve_command_is_registered_and_warns_when_auth_is_off(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from bonemet.cli import app
    from bonemet.cli import serve as _serve  # noqa: F401  (registers the command)

    calls: list[dict[str, object]] = []
    for variable in ("BONEMET_LISTEN_HOST", "BONEMET_HEADER_TIMEOUT_SECONDS"):  # serve sets them for its workers
        monkeypatch.setenv(variable, "")
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append({"target": target, **kwargs}))
    env = {"BONEMET_AUTH_DISABLED": "1", "BONEMET_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    result = CliRunner().invoke(app, ["serve", "--port", "8765", "--workers", "2"], env=env)
    assert result.exit_code == 0, result.output
    assert "AUTHENTICATION DISABLED" in result.output
    assert calls == [
        {
            "target": "bonemet.service:app_from_env",
            "http": "bonemet.service.http_protocol:HeaderTimeoutProtocol",  # header read timeout
            "factory": True,
            "host": "127.0.0.1",
            "port": 8765,
            "workers": 2,
            "log_level": "info",
            "timeout_keep_alive": 75,  # idle connections are closed by clients, not mid-request by the server
        }
    ]
    assert (tmp_path / "a.db").exists()  # migrated before the workers start


def test_serve_rejects_bad_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from bonemet.cli import app
    from bonemet.cli import serve as _serve  # noqa: F401

    result = CliRunner().invoke(app, ["serve"], env={"BONEMET_JWT_ALGORITHMS": "none"})
    assert result.exit_code == 2


def test_issue_13_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "BONEMET_TRUSTED_ISSUERS": json.dumps(
                {
                    "https://ehr.example.org": {
                        "jwks_url": "https://ehr.example.org/jwks",
                        "fhir_servers": ["https://ehr.example.org/fhir"],
                    }
                }
            ),
            "BONEMET_FHIR_SERVERS": "http://127.0.0.1:8080/fhir, https://x.example/r4",
            "BONEMET_FHIR_DEADLINE_SECONDS": "1.5",
            "BONEMET_FHIR_MAX_CONNECTIONS": "4",
            "BONEMET_API_AUTH": "ON",
            "BONEMET_API_KEYS": "a,b",
            "BONEMET_API_RATE_PER_MINUTE": "0",
            "BONEMET_CPU_WORKERS": "3",
            "BONEMET_REQUEST_BUDGET_SECONDS": "10",
        }
    )
    assert settings.trusted_issuers["https://ehr.example.org"].fhir_servers == ("https://ehr.example.org/fhir",)
    assert settings.fhir_servers == ("http://127.0.0.1:8080/fhir", "https://x.example/r4")
    assert (settings.fhir_deadline_seconds, settings.fhir_max_connections) == (1.5, 4)
    assert (settings.api_auth, settings.api_keys, settings.api_rate_per_minute) == ("on", ("a", "b"), 0)
    assert (settings.cpu_workers, settings.request_budget_seconds) == (3, 10.0)
    assert "api_keys" not in repr(settings)  # keys never reach a log through the settings' repr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BONEMET_API_AUTH", "sometimes"), ("BONEMET_FHIR_DEADLINE_SECONDS", "0"), ("BONEMET_CPU_WORKERS", "0")],
)
def test_bad_issue_13_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ValueError, match=variable):
        Settings.from_env({variable: value})
