"""Cloud recordings, their processing state, and the meeting event log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("recording_id", sa.String(32), primary_key=True),
        sa.Column(
            "meeting_id", sa.String(11), sa.ForeignKey("meetings.meeting_id"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at_us", sa.BigInteger, nullable=False),
        sa.Column("stopped_at_us", sa.BigInteger, nullable=True),
        sa.Column("timeline_json", sa.Text, nullable=True),
        sa.Column("progress", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until_ms", sa.BigInteger, nullable=True),
        sa.Column("updated_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_recordings_meeting", "recordings", ["meeting_id"])
    op.create_index("ix_recordings_status", "recordings", ["status"])
    op.create_table(
        "meeting_events",
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.String(11), nullable=False),
        sa.Column("at_us", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("participant_id", sa.String(32), nullable=False),
        sa.Column("feed", sa.BigInteger, nullable=True),
        sa.Column("feed_kind", sa.String(8), nullable=True),
        sa.Column("data_json", sa.Text, nullable=False),
    )
    op.create_index("ix_meeting_events_meeting", "meeting_events", ["meeting_id", "at_us"])
    with op.batch_alter_table("recording_files") as batch:
        batch.add_column(sa.Column("recording_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recording_files") as batch:
        batch.drop_column("recording_id")
    op.drop_index("ix_meeting_events_meeting", "meeting_events")
    op.drop_table("meeting_events")
    op.drop_index("ix_recordings_status", "recordings")
    op.drop_index("ix_recordings_meeting", "recordings")
    op.drop_table("recordings")
