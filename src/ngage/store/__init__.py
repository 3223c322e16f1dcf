"""Durable state: apps, meetings and recording files.

`Store` is the interface; `open_store` picks SQLite or PostgreSQL from the URL.
The schema lives in `schema.py` and is created by Alembic migrations.
"""

from ngage.store.base import IdCollision, Store, TransactionReplay
from ngage.store.factory import open_store
from ngage.store.records import AppRecord, MeetingRecord, RecordingFileRecord

__all__ = [
    "AppRecord",
    "IdCollision",
    "MeetingRecord",
    "RecordingFileRecord",
    "Store",
    "TransactionReplay",
    "open_store",
]
