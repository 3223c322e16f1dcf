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
    Index("ix_recording_files_meeting", "meeting_id"),
)
