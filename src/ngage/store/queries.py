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
    "created_at_ms"
)


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
