"""Initial audit schema: assessments, card feedback, seen JWT ids.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_record",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=True),
        sa.Column("hook_instance", sa.String(64), nullable=True),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("knowledge_version", sa.String(32), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("output_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_assessment_record_created_at", "assessment_record", ["created_at"])
    op.create_index("ix_assessment_record_hook_instance", "assessment_record", ["hook_instance"])
    op.create_index("ix_assessment_record_input_sha256", "assessment_record", ["input_sha256"])
    op.create_table(
        "card_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("card_uuid", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("outcome_timestamp", sa.String(40), nullable=False),
        sa.Column("accepted_suggestions", sa.JSON(), nullable=True),
        sa.Column("override_reason", sa.JSON(), nullable=True),
        sa.UniqueConstraint("service_id", "card_uuid", "outcome", "outcome_timestamp", name="uq_card_feedback"),
    )
    op.create_index("ix_card_feedback_card_uuid", "card_feedback", ["card_uuid"])
    op.create_table(
        "seen_token",
        sa.Column("issuer", sa.String(512), primary_key=True),
        sa.Column("jti", sa.String(256), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_token_expires_at", "seen_token", ["expires_at"])


def downgrade() -> None:
    op.drop_table("seen_token")
    op.drop_table("card_feedback")
    op.drop_table("assessment_record")
