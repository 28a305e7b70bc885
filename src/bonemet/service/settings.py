"""Service settings, read from BONEMET_* environment variables.

| variable | meaning |
|---|---|
| BONEMET_PUBLIC_URL | the service's public base URL, e.g. https://cds.example.org (JWT `aud` is checked against it) |
| BONEMET_TRUSTED_ISSUERS | JSON {"<iss>": {"jwks_url": "...", "jku": ["..."], "jwks": {...}}}, or {"<iss>": "<url>"} |
| BONEMET_AUTH_DISABLED | 1 to accept unauthenticated hook calls (local demos only; the server warns loudly) |
| BONEMET_DISCOVERY_AUTH | 0 to serve discovery without a JWT (CDS Hooks 2.0 asks for one on every call) |
| BONEMET_JWT_ALGORITHMS | accepted algorithms, comma-separated (default ES384,RS384; none and HMAC never) |
| BONEMET_JWT_LEEWAY_SECONDS | clock skew allowed on exp/iat (default 30) |
| BONEMET_JWT_MAX_LIFETIME_SECONDS | reject tokens valid for longer than this (default 3600) |
| BONEMET_JWKS_CACHE_SECONDS | how long fetched JWK Sets are reused (default 3600) |
| BONEMET_DATABASE_URL | audit store URL (default: SQLite under the user data directory) |
| BONEMET_AUDIT | 0 to record no assessments (used JWT ids are still kept in BONEMET_DATABASE_URL) |
| BONEMET_FHIR_TIMEOUT_SECONDS | per-request timeout when fetching from the EHR's FHIR server (default 5) |
| BONEMET_FHIR_MAX_PAGES | searchset pages followed per prefetch query (default 10) |
| BONEMET_FHIR_SERVERS | FHIR base URLs fetched from when authentication is disabled, comma-separated (default none) |
| BONEMET_FHIR_DEADLINE_SECONDS | overall deadline for all the FHIR fetches of one hook call (default 2.5) |
| BONEMET_FHIR_MAX_CONNECTIONS | connections open at once to one FHIR server (default 8) |
| BONEMET_FHIR_MAX_RESPONSE_BYTES | largest FHIR answer read (default 5 MiB) |
| BONEMET_CORS_ORIGINS | allowed browser origins, comma-separated (default *) |
| BONEMET_RECENT_IMAGING_DAYS | window for "imaging already done" order cards (default 30) |
| BONEMET_MAX_BODY_BYTES | largest request body accepted, in bytes (default 5 MiB; larger: 413) |
| BONEMET_MAX_JSON_DEPTH | deepest JSON nesting accepted (default 64; deeper: 422) |
| BONEMET_MAX_BUNDLE_ENTRIES | most FHIR Bundle entries per request, all Bundles together (default 10000; more: 422) |
| BONEMET_MAX_REPORT_CHARS | most report text read for one request, all reports together (default 100000) |
| BONEMET_CPU_WORKERS | threads that read reports and assess, per worker process (default 2) |
| BONEMET_REQUEST_BUDGET_SECONDS | longest a request's assessment may take, queue included (default 30; then 503) |
| BONEMET_API_AUTH | auto (default: on when listening beyond loopback), on, or off: authentication for /api/* |
| BONEMET_API_KEYS | API keys accepted on /api/* (X-API-Key or Authorization: Bearer), comma-separated |
| BONEMET_API_RATE_PER_MINUTE | requests a minute per API client (default 600 beyond loopback, none on it; 0 off) |
| BONEMET_LISTEN_HOST | the address the server listens on (set by `bonemet serve`) |
| BONEMET_ASSESSMENT_LINK_HOURS | hours an assessment link (/assessments/{id}) opens (default 24; then 410) |
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# CDS Hooks 2.0: "none" and every symmetric (HMAC) algorithm SHALL NOT be used.
FORBIDDEN_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})


class IssuerTrust(BaseModel):
    """How to find one trusted EHR's signing keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jwks_url: str | None = Field(default=None, description="JWK Set URL agreed out of band")
    jku: tuple[str, ...] = Field(default=(), description="JWK Set URLs accepted in the token's jku header")
    jwks: dict[str, Any] | None = Field(default=None, description="The JWK Set itself (offline deployments)")
    fhir_servers: tuple[str, ...] = Field(
        default=(),
        description="FHIR base URLs this issuer's hook calls may name as fhirServer; no other is ever fetched",
    )


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    public_url: str | None = None
    trusted_issuers: dict[str, IssuerTrust] = {}
    auth_disabled: bool = False
    discovery_requires_auth: bool = True
    jwt_algorithms: tuple[str, ...] = ("ES384", "RS384")
    jwt_leeway_seconds: Annotated[int, Field(ge=0, le=600)] = 30
    jwt_max_lifetime_seconds: Annotated[int, Field(ge=1)] = 3600
    jwks_cache_seconds: Annotated[int, Field(ge=0)] = 3600
    database_url: str | None = None
    audit_enabled: bool = True
    fhir_timeout_seconds: Annotated[float, Field(gt=0)] = 5.0
    fhir_max_pages: Annotated[int, Field(ge=1, le=100)] = 10
    # SSRF (red team B4): with authentication, each issuer's `fhir_servers` list; without, this one.
    fhir_servers: tuple[str, ...] = ()
    # One slow FHIR server must neither hold a hook call past the CDS Hooks expectation of a
    # prompt answer nor take the connections other servers and the JWK Set fetches need (B1).
    fhir_deadline_seconds: Annotated[float, Field(gt=0, le=60)] = 2.5
    fhir_max_connections: Annotated[int, Field(ge=1, le=100)] = 8
    fhir_max_response_bytes: Annotated[int, Field(ge=1024)] = 5 * 1024 * 1024
    cors_origins: tuple[str, ...] = ("*",)
    recent_imaging_days: Annotated[int, Field(ge=0)] = 30
    # Limits on what one request may carry (see service/hardening.py): the body, its nesting, its
    # Bundle entries, and the report text the reader is asked to read (its time grows with length).
    max_body_bytes: Annotated[int, Field(ge=1024)] = 5 * 1024 * 1024
    max_json_depth: Annotated[int, Field(ge=8, le=500)] = 64
    max_bundle_entries: Annotated[int, Field(ge=1)] = 10_000
    max_report_chars: Annotated[int, Field(ge=1)] = 100_000
    # The JSON API (B7): authentication and a per-client rate limit, on by default off loopback.
    api_auth: Literal["auto", "on", "off"] = "auto"
    api_keys: tuple[str, ...] = Field(default=(), repr=False)
    api_rate_per_minute: Annotated[int, Field(ge=0)] | None = None
    listen_host: str | None = None
    # CPU-bound work runs off the event loop in a bounded pool, within a time budget (B2).
    cpu_workers: Annotated[int, Field(ge=1, le=64)] = 2
    request_budget_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    # A card's link to the full assessment is a capability URL (a random UUID, no login: the
    # clinician's browser carries no EHR token), so it opens only for a working day.
    assessment_link_hours: Annotated[float, Field(gt=0)] = 24.0
    # SMART on FHIR EHR launch (service/smart.py): on when a client id is registered with the EHR.
    smart_client_id: str | None = None
    smart_scope: str = "launch openid fhirUser patient/*.rs"

    @field_validator("jwt_algorithms")
    @classmethod
    def _no_forbidden_algorithms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [a for a in value if a in FORBIDDEN_ALGORITHMS or a.startswith("HS")]
        if bad:
            raise ValueError(f"algorithms {bad} are not allowed by CDS Hooks (no 'none', no HMAC)")
        return value

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from BONEMET_* variables; a bad value raises ValueError naming the variable."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, (variable, parse) in _VARIABLES.items():
            raw = env.get(variable)
            if raw is None or raw.strip() == "":
                continue
            try:
                values[name] = parse(raw)
            except (ValueError, json.JSONDecodeError) as error:
                raise ValueError(f"{variable}: {error}") from None
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            problems = "; ".join(
                f"{_VARIABLES[str(e['loc'][0])][0]}: {e['msg']}" for e in error.errors(include_url=False)
            )
            raise ValueError(problems) from None


def _flag(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no; got {raw!r}")


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _issuers(raw: str) -> dict[str, Any]:
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object mapping each issuer to its keys")
    return {iss: {"jwks_url": trust} if isinstance(trust, str) else trust for iss, trust in data.items()}


_VARIABLES: dict[str, tuple[str, Any]] = {
    "public_url": ("BONEMET_PUBLIC_URL", str),
    "trusted_issuers": ("BONEMET_TRUSTED_ISSUERS", _issuers),
    "auth_disabled": ("BONEMET_AUTH_DISABLED", _flag),
    "discovery_requires_auth": ("BONEMET_DISCOVERY_AUTH", _flag),
    "jwt_algorithms": ("BONEMET_JWT_ALGORITHMS", _csv),
    "jwt_leeway_seconds": ("BONEMET_JWT_LEEWAY_SECONDS", int),
    "jwt_max_lifetime_seconds": ("BONEMET_JWT_MAX_LIFETIME_SECONDS", int),
    "jwks_cache_seconds": ("BONEMET_JWKS_CACHE_SECONDS", int),
    "database_url": ("BONEMET_DATABASE_URL", str),
    "audit_enabled": ("BONEMET_AUDIT", _flag),
    "fhir_timeout_seconds": ("BONEMET_FHIR_TIMEOUT_SECONDS", float),
    "fhir_max_pages": ("BONEMET_FHIR_MAX_PAGES", int),
    "fhir_servers": ("BONEMET_FHIR_SERVERS", _csv),
    "fhir_deadline_seconds": ("BONEMET_FHIR_DEADLINE_SECONDS", float),
    "fhir_max_connections": ("BONEMET_FHIR_MAX_CONNECTIONS", int),
    "fhir_max_response_bytes": ("BONEMET_FHIR_MAX_RESPONSE_BYTES", int),
    "cors_origins": ("BONEMET_CORS_ORIGINS", _csv),
    "recent_imaging_days": ("BONEMET_RECENT_IMAGING_DAYS", int),
    "max_body_bytes": ("BONEMET_MAX_BODY_BYTES", int),
    "max_json_depth": ("BONEMET_MAX_JSON_DEPTH", int),
    "max_bundle_entries": ("BONEMET_MAX_BUNDLE_ENTRIES", int),
    "max_report_chars": ("BONEMET_MAX_REPORT_CHARS", int),
    "assessment_link_hours": ("BONEMET_ASSESSMENT_LINK_HOURS", float),
    "cpu_workers": ("BONEMET_CPU_WORKERS", int),
    "api_auth": ("BONEMET_API_AUTH", lambda raw: raw.strip().lower()),
    "api_keys": ("BONEMET_API_KEYS", _csv),
    "api_rate_per_minute": ("BONEMET_API_RATE_PER_MINUTE", int),
    "listen_host": ("BONEMET_LISTEN_HOST", str),
    "request_budget_seconds": ("BONEMET_REQUEST_BUDGET_SECONDS", float),
    "smart_client_id": ("BONEMET_SMART_CLIENT_ID", str),
    "smart_scope": ("BONEMET_SMART_SCOPE", str),
}
