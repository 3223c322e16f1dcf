"""The `ngage` command."""

from __future__ import annotations

from pathlib import Path

import typer

from ngage.cli import apps
from ngage.cli.common import ConfigOption, console, prepare
from ngage.cli.serve import serve

app = typer.Typer(help="ngage: a self-hosted nGage Video API server.", no_args_is_help=True)
app.command()(serve)
app.add_typer(apps.app, name="apps")

db = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db, name="db")


@db.command("upgrade")
def db_upgrade(
    config: Path | None = ConfigOption,
) -> None:
    """Create or upgrade the schema to the latest migration."""
    settings = prepare(config)
    console.print(f"schema is up to date ({settings.store_url.split(':', 1)[0]})")
