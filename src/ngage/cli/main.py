"""The `ngage` command."""

from __future__ import annotations

from pathlib import Path

import typer

from ngage.cli import apps, meeting, recordings
from ngage.cli.common import ConfigOption, console, prepare
from ngage.cli.serve import serve
from ngage.cli.sign import sign
from ngage.cli.worker import worker

app = typer.Typer(
    help="ngage: a self-hosted nGage Video API server, and a client for it.", no_args_is_help=True
)
app.command()(serve)
app.add_typer(apps.app, name="apps")
app.add_typer(meeting.app, name="meeting")
app.add_typer(recordings.app, name="recordings")
app.command()(sign)
app.command()(worker)

db = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db, name="db")


@db.command("upgrade")
def db_upgrade(
    config: Path | None = ConfigOption,
) -> None:
    """Create or upgrade the schema to the latest migration."""
    settings = prepare(config)
    console.print(f"schema is up to date ({settings.store_url.split(':', 1)[0]})")
