"""The audit store: every assessment and every piece of card feedback, in SQL.

SQLite in the user's data directory by default; PostgreSQL (or any SQLAlchemy URL) when
BONEMET_DATABASE_URL says so. The schema is created and upgraded by the packaged Alembic
migrations when the store opens. Nothing here logs patient data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bonemet.model import Assessment, Case
from bonemet.store.migrate import upgrade_to_head
from bonemet.store.models import AssessmentRecord, CardFeedback, SeenToken, StoredText

log = logging.getLogger("bonemet.store")

DATABASE_URL_VARIABLE = "BONEMET_DATABASE_URL"


class Source(StrEnum):
    cli = "cli"
    api = "api"
    hook = "hook"


def default_database_url() -> str:
    """sqlite file under the user's data directory (created when missing)."""
    directory = Path(platformdirs.user_data_dir("bonemet"))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'audit.sqlite3'}"


def normalise_url(url: str) -> URL:
    """postgres:// and postgresql:// use psycopg 3, the driver bonemet ships with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def canonical_json(model: BaseModel) -> str:
    """Sorted keys, no whitespace: the same input always gives the same text (and hash)."""
    data = model.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_sha256(case: Case) -> str:
    return hashlib.sha256(canonical_json(case).encode("utf-8")).hexdigest()


# Texts at least this long are stored once and referenced (guideline wording, citations, reasons).
LONG_TEXT_CHARS = 48
_REFERENCE = "$text"


def _sha256(text: str) -> str:
    """The text's key: the first 96 bits of its SHA-256, in hex (short, so a reference is short)."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def audit_output(assessment: Assessment) -> tuple[dict[str, Any], dict[str, str]]:
    """What an audit row keeps of an assessment: no case id (the caller's identifier), no
    passage quoted from a report (a note with its SHA-256 prefix instead), and each long text
    as a reference ({"$text": sha256}) to `stored_text`. Returns the output and its texts."""
    output = assessment.model_dump(mode="json")
    output["case_id"] = None
    for fact in output.get("facts_from_reports") or []:
        if isinstance(fact, dict) and fact.get("text"):
            fact["text"] = f"(report passage not kept; sha256 {_sha256(str(fact['text']))[:16]})"
    texts: dict[str, str] = {}
    referenced: dict[str, Any] = _referenced(output, texts)
    return referenced, texts


def _referenced(value: Any, texts: dict[str, str]) -> Any:
    if isinstance(value, str) and len(value) >= LONG_TEXT_CHARS:
        sha = _sha256(value)
        texts[sha] = value
        return {_REFERENCE: sha}
    if isinstance(value, dict):
        return {key: _referenced(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [_referenced(item, texts) for item in value]
    return value


def _collect_references(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(_REFERENCE), str):
            found.add(value[_REFERENCE])
            return
        for item in value.values():
            _collect_references(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_references(item, found)


def _resolve(value: Any, texts: dict[str, str]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(_REFERENCE), str):
            return texts.get(value[_REFERENCE], "(text missing from the audit store)")
        return {key: _resolve(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, texts) for item in value]
    return value


def _insert_missing_texts(connection: Connection, rows: list[dict[str, str]]) -> None:
    """Insert the texts not stored yet (another worker may have stored the same text)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        connection.execute(sqlite_insert(StoredText).on_conflict_do_nothing(index_elements=["sha256"]), rows)
        return
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        connection.execute(postgresql_insert(StoredText).on_conflict_do_nothing(index_elements=["sha256"]), rows)
        return
    wanted = [r["sha256"] for r in rows]
    present = set(connection.execute(select(StoredText.sha256).where(StoredText.sha256.in_(wanted))).scalars())
    missing = [r for r in rows if r["sha256"] not in present]
    if missing:
        connection.execute(insert(StoredText), missing)


@dataclass(frozen=True)
class StoredAssessment:
    id: str
    created_at: dt.datetime
    source: Source
    service_id: str | None
    hook_instance: str | None
    engine_version: str
    knowledge_version: str
    input_sha256: str
    output: dict[str, Any]


@dataclass(frozen=True)
class StoredFeedback:
    service_id: str
    card_uuid: str
    outcome: str
    outcome_timestamp: str
    accepted_suggestions: list[Any] | None
    override_reason: dict[str, Any] | None


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        # WAL lets readers run while one request writes; busy_timeout waits instead of failing.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class AuditStore:
    """Open (and migrate) the store at `url`; default: BONEMET_DATABASE_URL, else a SQLite file."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise_url(url or os.environ.get(DATABASE_URL_VARIABLE) or default_database_url())
        connect_args = {"check_same_thread": False} if self.url.get_backend_name() == "sqlite" else {}
        self.engine = create_engine(self.url, connect_args=connect_args, pool_pre_ping=True)
        if self.url.get_backend_name() == "sqlite":
            _sqlite_pragmas(self.engine)
        upgrade_to_head(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._known_texts: set[str] = set()  # texts this process has already stored
        log.info("audit store ready (%s)", self.url.get_backend_name())

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    # --- assessments --------------------------------------------------------------------
    def record_assessment(
        self,
        *,
        source: Source,
        case: Case,
        assessment: Assessment,
        hook_instance: str | None = None,
        service_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> str:
        """Store one assessment; returns its record id (a random UUID, safe to show)."""
        record_id = str(uuid.uuid4())
        row = {
            "id": record_id,
            "created_at": _utc(now or dt.datetime.now(dt.UTC)),
            "source": source.value,
            "service_id": service_id,
            "hook_instance": hook_instance,
            "engine_version": assessment.engine_version,
            "knowledge_version": assessment.knowledge_version,
            "input_sha256": input_sha256(case),
            "output_json": "",
        }
        output, texts = audit_output(assessment)
        # Field order is the model's, so this is deterministic without sorting keys.
        row["output_json"] = json.dumps(output, separators=(",", ":"), ensure_ascii=False)
        new_texts = [{"sha256": sha, "text": text} for sha, text in texts.items() if sha not in self._known_texts]
        # One transaction: a row never refers to a text that was not committed with it (kill -9).
        with self.engine.begin() as connection:
            if new_texts:
                _insert_missing_texts(connection, new_texts)
            connection.execute(insert(AssessmentRecord), row)
        self._known_texts.update(texts)
        return record_id

    def get_assessment(self, record_id: str) -> StoredAssessment | None:
        with self._session() as session:
            row = session.get(AssessmentRecord, record_id)
            if row is None:
                return None
            return StoredAssessment(
                id=row.id,
                created_at=_utc(row.created_at),
                source=Source(row.source),
                service_id=row.service_id,
                hook_instance=row.hook_instance,
                engine_version=row.engine_version,
                knowledge_version=row.knowledge_version,
                input_sha256=row.input_sha256,
                output=self._with_texts(session, json.loads(row.output_json)),
            )

    def _with_texts(self, session: Session, output: Any) -> Any:
        references: set[str] = set()
        _collect_references(output, references)
        if not references:
            return output
        query = select(StoredText.sha256, StoredText.text).where(StoredText.sha256.in_(references))
        texts: dict[str, str] = {sha: text for sha, text in session.execute(query)}
        return _resolve(output, texts)

    def count_assessments(self, *, hook_instance: str | None = None) -> int:
        query = select(func.count()).select_from(AssessmentRecord)
        if hook_instance is not None:
            query = query.where(AssessmentRecord.hook_instance == hook_instance)
        with self._session() as session:
            return int(session.execute(query).scalar_one())

    # --- feedback -----------------------------------------------------------------------
    def record_feedback(self, service_id: str, items: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
        """Store CDS Hooks feedback items; returns (stored, already known). Idempotent per outcome:
        the same report again is a duplicate, but one that adds an override reason keeps it."""
        stored = duplicates = 0
        with self._session() as session:
            for item in items:
                row = CardFeedback(
                    received_at=dt.datetime.now(dt.UTC),
                    service_id=service_id,
                    card_uuid=str(item["card"]),
                    outcome=str(item["outcome"]),
                    outcome_timestamp=str(item["outcomeTimestamp"]),
                    accepted_suggestions=item.get("acceptedSuggestions"),
                    override_reason=item.get("overrideReason"),
                )
                try:
                    with session.begin_nested():
                        session.add(row)
                    stored += 1
                except IntegrityError:
                    if self._complete_feedback(session, row):
                        stored += 1
                    else:
                        duplicates += 1
            session.commit()
        return stored, duplicates

    @staticmethod
    def _complete_feedback(session: Session, row: CardFeedback) -> bool:
        """The same outcome sent again with a reason (or accepted suggestions) the first report
        lacked (the CDS Hooks sandbox does this): the stored outcome gains it. True when it did."""
        existing = session.execute(
            select(CardFeedback).where(
                CardFeedback.service_id == row.service_id,
                CardFeedback.card_uuid == row.card_uuid,
                CardFeedback.outcome == row.outcome,
                CardFeedback.outcome_timestamp == row.outcome_timestamp,
            )
        ).scalar_one_or_none()
        if existing is None:
            return False
        changed = False
        if existing.override_reason is None and row.override_reason is not None:
            existing.override_reason = row.override_reason
            changed = True
        if existing.accepted_suggestions is None and row.accepted_suggestions is not None:
            existing.accepted_suggestions = row.accepted_suggestions
            changed = True
        if changed:
            session.flush()
        return changed

    def feedback_for(self, card_uuid: str) -> list[StoredFeedback]:
        query = select(CardFeedback).where(CardFeedback.card_uuid == card_uuid).order_by(CardFeedback.id)
        with self._session() as session:
            return [
                StoredFeedback(
                    service_id=row.service_id,
                    card_uuid=row.card_uuid,
                    outcome=row.outcome,
                    outcome_timestamp=row.outcome_timestamp,
                    accepted_suggestions=row.accepted_suggestions,
                    override_reason=row.override_reason,
                )
                for row in session.execute(query).scalars()
            ]

    # --- JWT replay protection ------------------------------------------------------------
    def remember_token(self, issuer: str, jti: str, expires_at: dt.datetime) -> bool:
        """True the first time this (issuer, jti) is seen; False for a replay."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(SeenToken), {"issuer": issuer, "jti": jti, "expires_at": _utc(expires_at)})
        except IntegrityError:
            return False
        return True

    def forget_expired_tokens(self, now: dt.datetime | None = None) -> int:
        moment = _utc(now or dt.datetime.now(dt.UTC))
        with self._session() as session, session.begin():
            result = session.execute(delete(SeenToken).where(SeenToken.expires_at < moment))
            return int(getattr(result, "rowcount", 0) or 0)
