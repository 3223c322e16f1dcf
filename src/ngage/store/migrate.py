"""Create or upgrade the schema with Alembic (run before the server takes requests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine
from sqlalchemy.ext.asyncio import create_async_engine

from ngage.store.factory import sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade_on(connection: Connection, revision: str) -> None:
    command.upgrade(_alembic_config(connection), revision)


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (blocking: call from a thread or the CLI)."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            _upgrade_on(connection, revision)
        engine.dispose()
        return
    asyncio.run(_upgrade_async(url, revision))


async def _upgrade_async(url: str, revision: str) -> None:
    rest = url.split("://", 1)[1]
    engine = create_async_engine(f"postgresql+asyncpg://{rest}")
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on, revision)
    await engine.dispose()
