"""Audit store: every assessment (time, source, hookInstance, engine and knowledge versions,
input hash, output) and CDS Hooks feedback, in SQLite or PostgreSQL via SQLAlchemy 2."""

from __future__ import annotations

from bonemet.store.audit import (
    DATABASE_URL_VARIABLE,
    AuditStore,
    Source,
    StoredAssessment,
    StoredFeedback,
    canonical_json,
    default_database_url,
    input_sha256,
)

__all__ = [
    "DATABASE_URL_VARIABLE",
    "AuditStore",
    "Source",
    "StoredAssessment",
    "StoredFeedback",
    "canonical_json",
    "default_database_url",
    "input_sha256",
]
