"""The audit store's tables (SQLAlchemy 2 declarative models).

No table holds a patient identifier: an assessment is stored with a hash of its input and
the output the engine gave, without the caller's case id and without passages quoted from
reports (each is replaced by its SHA-256); long texts are stored once, by reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class AssessmentRecord(Base):
    """One assessment: when, from where, by which engine, for which input, with what output."""

    __tablename__ = "assessment_record"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    source: Mapped[str] = mapped_column(String(8))  # cli | api | hook
    service_id: Mapped[str | None] = mapped_column(String(64))
    hook_instance: Mapped[str | None] = mapped_column(String(64), index=True)
    engine_version: Mapped[str] = mapped_column(String(32))
    knowledge_version: Mapped[str] = mapped_column(String(32))
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    output_json: Mapped[str] = mapped_column(Text)


class CardFeedback(Base):
    """CDS Hooks feedback on one card; the same report sent twice is stored once."""

    __tablename__ = "card_feedback"
    __table_args__ = (
        UniqueConstraint("service_id", "card_uuid", "outcome", "outcome_timestamp", name="uq_card_feedback"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    service_id: Mapped[str] = mapped_column(String(64))
    card_uuid: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_timestamp: Mapped[str] = mapped_column(String(40))
    accepted_suggestions: Mapped[list[Any] | None] = mapped_column(JSON)
    override_reason: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StoredText(Base):
    """A long text of the engine's output (a guideline's wording, a citation), kept once and
    referenced from `assessment_record.output_json` by its SHA-256. Never report text."""

    __tablename__ = "stored_text"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class SeenToken(Base):
    """A JWT id already used, kept until the token expires (replay protection across workers)."""

    __tablename__ = "seen_token"

    issuer: Mapped[str] = mapped_column(String(512), primary_key=True)
    jti: Mapped[str] = mapped_column(String(256), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
