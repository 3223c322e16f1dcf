"""Choosing and opening the store from a database URL."""

from __future__ import annotations

from pathlib import Path

from ngage.store.base import Store


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///...` or `sqlite+aiosqlite:///...` URL, else None."""
    scheme, _, rest = url.partition(":///")
    return Path(rest) if scheme.split("+", 1)[0] == "sqlite" and rest else None


async def open_store(url: str) -> Store:
    path = sqlite_path(url)
    if path is not None:
        from ngage.store.sqlite import SqliteStore

        return await SqliteStore(path).open()
    from ngage.store.postgres import PostgresStore

    return await PostgresStore(url).open()
