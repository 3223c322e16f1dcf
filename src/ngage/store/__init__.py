"""Durable state: apps, meetings, recordings and their files, the meeting event log.

`Store` is the interface; `open_store` picks SQLite or PostgreSQL from the URL.
The schema lives in `schema.py` and is created by Alembic migrations.
"""

from ngage.store.base import IdCollision, Store, TransactionReplay
from ngage.store.factory import open_store
from ngage.store.records import (
    AppRecord,
    EventRecord,
    MeetingRecord,
    RecordingFileRecord,
    RecordingRecord,
)

__all__ = [
    "AppRecord",
    "EventRecord",
    "IdCollision",
    "MeetingRecord",
    "RecordingFileRecord",
    "RecordingRecord",
    "Store",
    "TransactionReplay",
    "open_store",
]
