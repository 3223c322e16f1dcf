"""Shared pieces of the CLI: settings, the store, and printing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console

from ngage.auth.apps import AppRegistry
from ngage.auth.credentials import SecretBox
from ngage.auth.keys import load_server_keys
from ngage.config import Settings, load_settings
from ngage.errors import NgageError
from ngage.store import open_store
from ngage.store.migrate import upgrade

T = TypeVar("T")

console = Console()
ConfigOption = typer.Option(
    None, "--config", help="Settings file (TOML).", envvar="NGAGE_CONFIG_FILE"
)
errors = Console(stderr=True)


def prepare(config_file: Path | None) -> Settings:
    """Settings, with the data directory and schema ready."""
    settings = load_settings(config_file)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.store_url)
    return settings


def with_registry(settings: Settings, work: Callable[[AppRegistry], Awaitable[T]]) -> T:
    async def run() -> T:
        store = await open_store(settings.store_url)
        try:
            box = SecretBox(load_server_keys(settings).secret_storage)
            return await work(AppRegistry(store, box))
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except NgageError as exc:
        errors.print(f"[red]error:[/red] {exc.detail or exc.status_desc}")
        raise SystemExit(1) from exc
