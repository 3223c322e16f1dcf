"""PostgreSQL store over an asyncpg pool."""

from __future__ import annotations

from typing import Any

import asyncpg

from ngage.errors import Unavailable
from ngage.store.queries import to_positional
from ngage.store.rows import Row
from ngage.store.sql import MissingReference, SqlStore, UniqueViolation


def asyncpg_dsn(url: str) -> str:
    """`postgresql+asyncpg://...` (SQLAlchemy's spelling) to a plain libpq URL."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def _bind(sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    positional, names = to_positional(sql)
    return positional, [values[name] for name in names]


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Skip asyncpg's reset round trip on release: we keep no session state."""


class PostgresStore(SqlStore):
    def __init__(self, url: str, pool_size: int = 10) -> None:
        self._dsn = asyncpg_dsn(url)
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> PostgresStore:
        try:
            self._pool = await asyncpg.create_pool(
                self._dsn, min_size=1, max_size=self._pool_size, reset=_keep_session
            )
        except (OSError, asyncpg.PostgresError) as exc:
            raise Unavailable("the database is not available") from exc
        return self

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def _db(self) -> asyncpg.Pool:
        if self._pool is None:
            raise Unavailable("the store is not open")
        return self._pool

    async def _fetch_one(self, sql: str, values: dict[str, Any]) -> Row | None:
        query, args = _bind(sql, values)
        try:
            row = await self._db().fetchrow(query, *args)
        except (OSError, asyncpg.PostgresConnectionError) as exc:
            raise Unavailable("the database is not available") from exc
        return tuple(row) if row is not None else None

    async def _fetch_all(self, sql: str, values: dict[str, Any]) -> list[Row]:
        query, args = _bind(sql, values)
        try:
            rows = await self._db().fetch(query, *args)
        except (OSError, asyncpg.PostgresConnectionError) as exc:
            raise Unavailable("the database is not available") from exc
        return [tuple(row) for row in rows]

    async def _execute(self, sql: str, values: dict[str, Any]) -> int:
        query, args = _bind(sql, values)
        try:
            status: str = await self._db().execute(query, *args)
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc
        except asyncpg.ForeignKeyViolationError as exc:
            raise MissingReference(str(exc)) from exc
        except (OSError, asyncpg.PostgresConnectionError) as exc:
            raise Unavailable("the database is not available") from exc
        return int(status.rsplit(" ", 1)[-1])
