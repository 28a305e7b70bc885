"""The audit store, on SQLite and on PostgreSQL: assessments, feedback, JWT replay ids, migrations."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bonemet.examples import example_paths
from bonemet.model import Case, parse_case
from bonemet.pathway import assess
from bonemet.store import AuditStore, Source, canonical_json, default_database_url, input_sha256
from bonemet.store.audit import normalise_url
from bonemet.store.migrate import current_revision

TODAY = dt.date(2026, 11, 25)


def example() -> Case:
    return parse_case(example_paths()[0].read_text())


def test_assessment_is_recorded_with_its_provenance(store: AuditStore) -> None:
    case = example()
    assessment = assess(case, today=TODAY)
    moment = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    record_id = store.record_assessment(
        source=Source.hook,
        case=case,
        assessment=assessment,
        hook_instance="d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        service_id="bonemet-patient-view",
        now=moment,
    )
    stored = store.get_assessment(record_id)
    assert stored is not None
    assert stored.created_at == moment
    assert stored.source is Source.hook
    assert stored.hook_instance == "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"
    assert stored.service_id == "bonemet-patient-view"
    assert (stored.engine_version, stored.knowledge_version) == (
        assessment.engine_version,
        assessment.knowledge_version,
    )
    # Everything the engine said, but not the caller's case id (issue 13: no identifiers in audit rows).
    assert stored.output == {**json.loads(assessment.model_dump_json()), "case_id": None}
    assert store.count_assessments(hook_instance="d1577c69-dfbe-44ad-ba6d-3e05e953b2ea") == 1


def test_input_hash_is_the_sha256_of_the_canonical_case_json() -> None:
    case = example()
    canonical = canonical_json(case)
    assert input_sha256(case) == hashlib.sha256(canonical.encode()).hexdigest()
    # Key order and whitespace of the incoming JSON do not change the hash; a value does.
    reordered = parse_case(json.dumps(json.loads(example_paths()[0].read_text()), indent=4, sort_keys=True))
    assert input_sha256(reordered) == input_sha256(case)
    changed = case.model_copy(update={"labs": case.labs.model_copy(update={"calcium_mg_dl": 11.0})})
    assert input_sha256(changed) != input_sha256(case)


def test_every_source_is_accepted(store: AuditStore) -> None:
    case = Case()
    assessment = assess(case, today=TODAY)
    ids = [store.record_assessment(source=s, case=case, assessment=assessment) for s in Source]
    assert [store.get_assessment(i).source for i in ids] == list(Source)  # type: ignore[union-attr]
    assert store.get_assessment("00000000-0000-0000-0000-000000000000") is None


def test_feedback_is_idempotent(store: AuditStore) -> None:
    item = {
        "card": "card-1",
        "outcome": "overridden",
        "overrideReason": {"userComment": "already referred"},
        "outcomeTimestamp": "2026-11-25T10:00:00Z",
    }
    assert store.record_feedback("svc", [item, item]) == (1, 1)
    assert store.record_feedback("svc", [item]) == (0, 1)
    assert store.record_feedback("svc", [{**item, "outcomeTimestamp": "2026-11-25T11:00:00Z"}]) == (1, 0)
    assert len(store.feedback_for("card-1")) == 2


def test_token_ids_are_remembered_until_they_expire(store: AuditStore) -> None:
    expires = dt.datetime(2026, 11, 25, 10, 5, tzinfo=dt.UTC)
    assert store.remember_token("https://ehr", "jti-1", expires) is True
    assert store.remember_token("https://ehr", "jti-1", expires) is False
    assert store.remember_token("https://other-ehr", "jti-1", expires) is True
    assert store.forget_expired_tokens(now=expires + dt.timedelta(seconds=1)) == 2
    assert store.remember_token("https://ehr", "jti-1", expires) is True


def test_concurrent_replays_let_exactly_one_through(store: AuditStore) -> None:
    expires = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(store.remember_token("iss", "same", expires))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_migrations_create_the_schema_once(database_url: str) -> None:
    first = AuditStore(database_url)
    tables = set(inspect(first.engine).get_table_names())
    assert {"assessment_record", "card_feedback", "seen_token", "stored_text", "alembic_version"} <= tables
    assert current_revision(first.engine) == "0002"
    first.close()
    again = AuditStore(database_url)  # opening again is a no-op upgrade
    assert current_revision(again.engine) == "0002"
    again.close()


def test_default_location_is_the_user_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("BONEMET_DATABASE_URL", raising=False)
    url = default_database_url()
    assert url == f"sqlite:///{tmp_path / 'bonemet' / 'audit.sqlite3'}"
    store = AuditStore()
    assert store.dialect == "sqlite" and (tmp_path / "bonemet" / "audit.sqlite3").exists()
    store.close()


def test_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BONEMET_DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    AuditStore().close()
    assert (tmp_path / "from-env.db").exists()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_use_psycopg_3(scheme: str) -> None:
    assert normalise_url(f"{scheme}://u:p@h:5432/db").drivername == "postgresql+psycopg"


def test_no_patient_identifier_is_stored_outside_the_output(store: AuditStore) -> None:
    case = example().model_copy(update={"id": "MRN-123456"})
    record_id = store.record_assessment(source=Source.api, case=case, assessment=assess(case, today=TODAY))
    stored = store.get_assessment(record_id)
    assert stored is not None
    plain_columns = [stored.id, stored.hook_instance, stored.service_id, stored.input_sha256]
    assert not any("MRN-123456" in str(value) for value in plain_columns)


def test_an_audit_row_keeps_no_identifier_no_report_text_and_long_texts_once(store: AuditStore) -> None:
    """Issue 13 (red team B7): an API row held the caller's case id and quoted report text in
    clear, and every row repeated the same guideline texts (about 17 KB a row)."""
    case = example_paths()[18]  # 19_report_text_only: the reader quotes the report
    parsed = parse_case(case.read_text()).model_copy(update={"id": "MRN-123456"})
    assessment = assess(parsed, today=TODAY)
    from bonemet.model import FactFromReport

    quoted = "lytic lesion in the T11 vertebral body measuring 2.4 cm"
    fact = FactFromReport(field="lesions[0].pattern", value="lytic", study_index=0, text=quoted)
    assessment = assessment.model_copy(update={"facts_from_reports": [fact]})
    first = store.record_assessment(source=Source.api, case=parsed, assessment=assessment)
    second = store.record_assessment(source=Source.api, case=parsed, assessment=assessment)
    with store.engine.connect() as connection:
        rows = {row[0]: row[1] for row in connection.execute(text("SELECT id, output_json FROM assessment_record"))}
        stored_texts = connection.execute(text("SELECT count(*) FROM stored_text")).scalar_one()
    for raw in rows.values():
        assert "MRN-123456" not in raw and quoted not in raw
        assert len(raw.encode()) < len(assessment.model_dump_json().encode()) / 2
    assert stored_texts > 0
    for record_id in (first, second):
        stored = store.get_assessment(record_id)
        assert stored is not None
        expected = json.loads(assessment.model_dump_json())
        expected["case_id"] = None
        expected["facts_from_reports"][0]["text"] = stored.output["facts_from_reports"][0]["text"]
        assert stored.output == expected  # every long text comes back from its reference
        assert stored.output["facts_from_reports"][0]["text"].startswith("(report passage not kept")
