"""Apps, meetings and recording files.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apps",
        sa.Column("api_id", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("sealed_secret", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("app_clock_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "meetings",
        sa.Column("meeting_id", sa.String(11), primary_key=True),
        sa.Column("app_id", sa.String(64), nullable=False, unique=True),
        sa.Column("api_id", sa.String(16), sa.ForeignKey("apps.api_id"), nullable=False),
        sa.Column("transaction_id", sa.Text, nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("host_name", sa.Text, nullable=False),
        sa.Column("participant_name", sa.Text, nullable=False),
        sa.Column("password", sa.String(16), nullable=False),
        sa.Column("settings_json", sa.Text, nullable=False),
        sa.Column("response_json", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("api_id", "transaction_id", name="uq_meetings_transaction"),
    )
    op.create_table(
        "recording_files",
        sa.Column("file_id", sa.String(64), primary_key=True),
        sa.Column(
            "meeting_id", sa.String(11), sa.ForeignKey("meetings.meeting_id"), nullable=False
        ),
        sa.Column("file_type", sa.String(8), nullable=False),
        sa.Column("file_extension", sa.String(8), nullable=False),
        sa.Column("recording_type", sa.String(64), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_recording_files_meeting", "recording_files", ["meeting_id"])


def downgrade() -> None:
    op.drop_index("ix_recording_files_meeting", "recording_files")
    op.drop_table("recording_files")
    op.drop_table("meetings")
    op.drop_table("apps")
