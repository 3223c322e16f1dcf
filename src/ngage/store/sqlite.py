"""SQLite store: one connection, one thread, statements committed in batches.

Every statement goes to one dedicated thread. While it works, new statements
queue up; the next turn runs all of them in one transaction and settles their
futures with one wake-up of the event loop. Under load that means one commit
and one thread hand-off per batch instead of per request, and one connection
never fights itself for SQLite's write lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ngage.errors import Unavailable
from ngage.store.rows import Row
from ngage.store.sql import MissingReference, SqlStore, UniqueViolation

Work = Callable[[sqlite3.Connection], Any]
Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]

# busy_timeout=0: waiting for another process's write lock is done by `_begin`, in
# sub-millisecond steps; SQLite's own busy handler sleeps up to 100 ms at a time.
_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=0", "foreign_keys=ON")
_LOCK_WAIT_SECONDS = 10.0


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in _PRAGMAS:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, sqlite3.IntegrityError):
        if "FOREIGN KEY" in str(exc):
            return MissingReference(str(exc))
        return UniqueViolation(str(exc))
    if isinstance(exc, sqlite3.Error):
        return Unavailable("the database is not available")
    return exc


def _begin(connection: sqlite3.Connection) -> None:
    """Take the write lock, polling briefly while another process holds it."""
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    pause = 0.0001
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.002)


def _run_batch(connection: sqlite3.Connection, batch: list[tuple[Work, Any]]) -> list[Outcome]:
    """Run every statement of a batch in one transaction; a failing one fails alone."""
    outcomes: list[Outcome] = []
    try:
        _begin(connection)
    except sqlite3.Error as exc:
        return [(future, None, _translate(exc)) for _, future in batch]
    for work, future in batch:
        try:
            outcomes.append((future, work(connection), None))
        except Exception as exc:  # handed to the awaiting request, never lost
            outcomes.append((future, None, _translate(exc)))
    try:
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        connection.execute("ROLLBACK")
        return [(future, None, _translate(exc)) for future, _, _ in outcomes]
    return outcomes


def _settle(outcomes: list[Outcome]) -> None:
    for future, value, error in outcomes:
        if future.done():
            continue
        if error is None:
            future.set_result(value)
        else:
            future.set_exception(error)


class SqliteStore(SqlStore):
    def __init__(self, path: Path) -> None:
        self._path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ngage-sqlite")
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._pending: list[tuple[Work, Any]] = []
        self._draining = False

    async def open(self) -> SqliteStore:
        loop = asyncio.get_running_loop()
        self._connection = await loop.run_in_executor(self._executor, _connect, self._path)
        return self

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await asyncio.get_running_loop().run_in_executor(self._executor, connection.close)
        self._executor.shutdown(wait=True)

    async def _run(self, work: Work) -> Any:
        if self._connection is None:
            raise Unavailable("the store is not open")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            self._pending.append((work, future))
            start = not self._draining
            self._draining = True
        if start:
            self._executor.submit(self._drain, loop)
        return await future

    def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """Runs on the store thread until nothing is queued."""
        while True:
            with self._lock:
                batch, self._pending = self._pending, []
                if not batch:
                    self._draining = False
                    return
            connection = self._connection
            outcomes: list[Outcome]
            if connection is None:
                outcomes = [(f, None, Unavailable("the store is closed")) for _, f in batch]
            else:
                outcomes = _run_batch(connection, batch)
            loop.call_soon_threadsafe(_settle, outcomes)

    async def _fetch_one(self, sql: str, values: dict[str, Any]) -> Row | None:
        # fetchall, not fetchone: an UPDATE ... RETURNING must run to completion.
        rows: list[Row] = await self._run(lambda db: db.execute(sql, values).fetchall())
        return rows[0] if rows else None

    async def _fetch_all(self, sql: str, values: dict[str, Any]) -> list[Row]:
        rows: list[Row] = await self._run(lambda db: db.execute(sql, values).fetchall())
        return rows

    async def _execute(self, sql: str, values: dict[str, Any]) -> int:
        count: int = await self._run(lambda db: db.execute(sql, values).rowcount)
        return count
