"""SQLite store: one connection owned by one dedicated thread.

Serialising every statement through one connection avoids the write-lock fight
that pooled connections have over SQLite; the event loop only awaits futures.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ngage.errors import Unavailable
from ngage.store.rows import Row
from ngage.store.sql import MissingReference, SqlStore, UniqueViolation

T = TypeVar("T")

_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=ON")


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in _PRAGMAS:
        connection.execute(f"PRAGMA {pragma}")
    return connection


class SqliteStore(SqlStore):
    def __init__(self, path: Path) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ngage-sqlite")
        self._path = path
        self._connection: sqlite3.Connection | None = None

    async def open(self) -> SqliteStore:
        self._connection = await self._run(lambda: _connect(self._path))
        return self

    async def close(self) -> None:
        if self._connection is not None:
            await self._run(self._connection.close)
            self._connection = None
        self._executor.shutdown(wait=True)

    async def _run(self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, work)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise MissingReference(str(exc)) from exc
            raise UniqueViolation(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            raise Unavailable("the database is not available") from exc

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise Unavailable("the store is not open")
        return self._connection

    async def _fetch_one(self, sql: str, values: dict[str, Any]) -> Row | None:
        # fetchall, not fetchone: an UPDATE ... RETURNING must run to completion to commit.
        rows: list[Row] = await self._run(lambda: self._db().execute(sql, values).fetchall())
        return rows[0] if rows else None

    async def _fetch_all(self, sql: str, values: dict[str, Any]) -> list[Row]:
        return await self._run(lambda: self._db().execute(sql, values).fetchall())

    async def _execute(self, sql: str, values: dict[str, Any]) -> int:
        return await self._run(lambda: self._db().execute(sql, values).rowcount)
