"""The schema, as SQLAlchemy Core metadata: the reference Alembic migrations follow.

Timestamps are integer milliseconds since the epoch, identical on both engines.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

apps = Table(
    "apps",
    metadata,
    Column("api_id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("sealed_secret", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    # The last app_id millisecond handed out for this client (see AppIdAllocator).
    Column("app_clock_ms", BigInteger, nullable=False, server_default="0"),
    Column("created_at_ms", BigInteger, nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", String(11), primary_key=True),
    Column("app_id", String(64), nullable=False, unique=True),
    Column("api_id", String(16), ForeignKey("apps.api_id"), nullable=False),
    Column("transaction_id", Text, nullable=False),
    Column("request_fingerprint", String(64), nullable=False),
    Column("topic", Text, nullable=False),
    Column("host_name", Text, nullable=False),
    Column("participant_name", Text, nullable=False),
    Column("password", String(16), nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("response_json", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    # Lifecycle: created -> live (first host joins) -> ended.
    Column("started_at_ms", BigInteger, nullable=True),
    Column("ended_at_ms", BigInteger, nullable=True),
    UniqueConstraint("api_id", "transaction_id", name="uq_meetings_transaction"),
)

recording_files = Table(
    "recording_files",
    metadata,
    Column("file_id", String(64), primary_key=True),
    Column("meeting_id", String(11), ForeignKey("meetings.meeting_id"), nullable=False),
    Column("file_type", String(8), nullable=False),
    Column("file_extension", String(8), nullable=False),
    Column("recording_type", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("recording_id", String(32), nullable=True),
    Index("ix_recording_files_meeting", "meeting_id"),
)

# One row per start..stop of cloud recording; `claimed_*` is the processing job's lease.
recordings = Table(
    "recordings",
    metadata,
    Column("recording_id", String(32), primary_key=True),
    Column("meeting_id", String(11), ForeignKey("meetings.meeting_id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at_us", BigInteger, nullable=False),
    Column("stopped_at_us", BigInteger, nullable=True),
    Column("timeline_json", Text, nullable=True),
    Column("progress", Integer, nullable=False, server_default="0"),
    Column("error", Text, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_until_ms", BigInteger, nullable=True),
    Column("updated_at_ms", BigInteger, nullable=False),
    Index("ix_recordings_meeting", "meeting_id"),
    Index("ix_recordings_status", "status"),
)

# What happened in a meeting (joins, feeds, speech, chat, recording), microseconds of wall
# clock: the same clock Janus writes into recordings, so both line up.
meeting_events = Table(
    "meeting_events",
    metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", String(11), nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("participant_id", String(32), nullable=False),
    Column("feed", BigInteger, nullable=True),
    Column("feed_kind", String(8), nullable=True),
    Column("data_json", Text, nullable=False),
    Index("ix_meeting_events_meeting", "meeting_id", "at_us"),
)
