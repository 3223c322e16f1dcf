"""SQL shared by both engines, written with `:name` parameters.

SQLite takes these as they are; `to_positional` turns them into asyncpg's `$n`.
The hot paths run on raw drivers: SQLAlchemy's async layer cost 0.5-2 ms per
insert on these machines (see benchmarks/README.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

APP_COLUMNS = "api_id, name, key_hash, sealed_secret, disabled, created_at_ms"
MEETING_COLUMNS = (
    "meeting_id, app_id, api_id, transaction_id, request_fingerprint, topic, host_name, "
    "participant_name, password, settings_json, response_json, status, created_at_ms"
)
FILE_COLUMNS = (
    "file_id, meeting_id, file_type, file_extension, recording_type, path, size_bytes, "
    "created_at_ms, recording_id"
)
RECORDING_COLUMNS = (
    "recording_id, meeting_id, status, started_at_us, stopped_at_us, timeline_json, progress, "
    "error, attempts, claimed_by, claimed_until_ms, updated_at_ms"
)
EVENT_COLUMNS = "meeting_id, at_us, kind, participant_id, feed, feed_kind, data_json"


def _placeholders(columns: str) -> str:
    return ", ".join(f":{name.strip()}" for name in columns.split(","))


INSERT_APP = f"INSERT INTO apps ({APP_COLUMNS}) VALUES ({_placeholders(APP_COLUMNS)})"
HIGHEST_API_ID = "SELECT api_id FROM apps ORDER BY api_id DESC LIMIT 1"
LIST_APPS = f"SELECT {APP_COLUMNS} FROM apps ORDER BY api_id"
APP_BY_KEY = f"SELECT {APP_COLUMNS} FROM apps WHERE key_hash = :key_hash"
APP_BY_ID = f"SELECT {APP_COLUMNS} FROM apps WHERE api_id = :api_id"
REPLACE_SECRET = "UPDATE apps SET sealed_secret = :sealed_secret WHERE api_id = :api_id"
DISABLE_APP = "UPDATE apps SET disabled = :disabled WHERE api_id = :api_id"
# Move the client's app_id clock past both its last value and now, by one block.
RESERVE_APP_CLOCK = (
    "UPDATE apps SET app_clock_ms = CASE WHEN app_clock_ms > :floor THEN app_clock_ms "
    "ELSE :floor END + :block WHERE api_id = :api_id RETURNING app_clock_ms"
)

INSERT_MEETING = (
    f"INSERT INTO meetings ({MEETING_COLUMNS}) VALUES ({_placeholders(MEETING_COLUMNS)})"
)
MEETING_BY_TRANSACTION = (
    f"SELECT {MEETING_COLUMNS} FROM meetings "
    "WHERE api_id = :api_id AND transaction_id = :transaction_id"
)
MEETING_BY_ID = f"SELECT {MEETING_COLUMNS} FROM meetings WHERE meeting_id = :meeting_id"
# Lifecycle moves only forward: created -> live -> ended.
START_MEETING = (
    "UPDATE meetings SET status = 'live', started_at_ms = :now_ms "
    "WHERE meeting_id = :meeting_id AND status = 'created'"
)
END_MEETING = (
    "UPDATE meetings SET status = 'ended', ended_at_ms = :now_ms "
    "WHERE meeting_id = :meeting_id AND status <> 'ended'"
)

INSERT_FILE = f"INSERT INTO recording_files ({FILE_COLUMNS}) VALUES ({_placeholders(FILE_COLUMNS)})"
FILE_BY_ID = f"SELECT {FILE_COLUMNS} FROM recording_files WHERE file_id = :file_id"


INSERT_RECORDING = (
    f"INSERT INTO recordings ({RECORDING_COLUMNS}) VALUES ({_placeholders(RECORDING_COLUMNS)})"
)
RECORDING_BY_ID = f"SELECT {RECORDING_COLUMNS} FROM recordings WHERE recording_id = :recording_id"
ACTIVE_RECORDING = (
    f"SELECT {RECORDING_COLUMNS} FROM recordings WHERE meeting_id = :meeting_id "
    "AND status IN ('recording', 'paused') ORDER BY started_at_us DESC LIMIT 1"
)
RECORDINGS_WITH_STATUS = (
    f"SELECT {RECORDING_COLUMNS} FROM recordings WHERE status = :status ORDER BY started_at_us"
)
# Moves only from the statuses named; returns the number of rows changed.
SET_RECORDING_STATUS = (
    "UPDATE recordings SET status = :status, updated_at_ms = :now_ms "
    "WHERE recording_id = :recording_id AND status = :expected"
)
STOP_RECORDING = (
    "UPDATE recordings SET status = 'processing', stopped_at_us = :stopped_at_us, "
    "timeline_json = :timeline_json, updated_at_ms = :now_ms "
    "WHERE recording_id = :recording_id AND status IN ('recording', 'paused')"
)
# The processing job's lease: taken when free or expired, kept by renewing it.
CLAIM_RECORDING = (
    "UPDATE recordings SET claimed_by = :worker, claimed_until_ms = :until_ms, "
    "attempts = attempts + :attempt, updated_at_ms = :now_ms "
    "WHERE recording_id = :recording_id AND status = 'processing' AND (claimed_by IS NULL "
    "OR claimed_by = :worker OR claimed_until_ms < :now_ms)"
)
PROGRESS_RECORDING = (
    "UPDATE recordings SET progress = :progress, claimed_until_ms = :until_ms, "
    "updated_at_ms = :now_ms WHERE recording_id = :recording_id AND claimed_by = :worker"
)
FINISH_RECORDING = (
    "UPDATE recordings SET status = :status, progress = :progress, error = :error, "
    "claimed_by = NULL, claimed_until_ms = NULL, updated_at_ms = :now_ms "
    "WHERE recording_id = :recording_id AND claimed_by = :worker"
)
INSERT_EVENT = (
    f"INSERT INTO meeting_events ({EVENT_COLUMNS}) VALUES ({_placeholders(EVENT_COLUMNS)})"
)
EVENTS_OF_MEETING = (
    f"SELECT {EVENT_COLUMNS} FROM meeting_events WHERE meeting_id = :meeting_id "
    "AND at_us <= :until_us ORDER BY at_us, event_id"
)


def recordings_of_meetings(count: int) -> str:
    names = ", ".join(f":m{index}" for index in range(count))
    return (
        f"SELECT {RECORDING_COLUMNS} FROM recordings WHERE meeting_id IN ({names}) "
        "ORDER BY meeting_id, started_at_us"
    )


def meetings_of_app(count: int) -> str:
    """Meetings of one app among `count` app_ids (parameters :api_id, :a0, :a1, ...)."""
    names = ", ".join(f":a{index}" for index in range(count))
    return f"SELECT {MEETING_COLUMNS} FROM meetings WHERE api_id = :api_id AND app_id IN ({names})"


def files_of_meetings(count: int) -> str:
    """Recording files of `count` meetings (parameters :m0, :m1, ...)."""
    names = ", ".join(f":m{index}" for index in range(count))
    return (
        f"SELECT {FILE_COLUMNS} FROM recording_files WHERE meeting_id IN ({names}) "
        "ORDER BY meeting_id, created_at_ms, file_id"
    )


_NAMED = re.compile(r":([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=256)
def to_positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters to `$1..$n`, with the parameter names in order."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    return _NAMED.sub(number, sql), tuple(order)
