"""`ngage apps`: create and manage API clients."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from ngage.auth.apps import IssuedCredentials
from ngage.cli.common import ConfigOption, console, prepare, with_registry

app = typer.Typer(help="Manage API clients (api_id, api_key, api_secret).", no_args_is_help=True)

JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")


def show_credentials(issued: IssuedCredentials, as_json: bool) -> None:
    """Print credentials: they are shown this once and never again."""
    fields = {"api_id": issued.api_id, "api_key": issued.api_key, "api_secret": issued.api_secret}
    shown = {key: value for key, value in fields.items() if value is not None}
    if as_json:
        print(json.dumps(shown))
        return
    table = Table(title="Store these now: the secret is not shown again", show_header=False)
    for key, value in shown.items():
        table.add_row(key, value)
    console.print(table)


@app.command()
def create(
    name: str = typer.Option(..., "--name", help="A name for the client."),
    as_json: bool = JsonOption,
    config: Path | None = ConfigOption,
) -> None:
    """Create an API client and print its credentials."""
    settings = prepare(config)
    show_credentials(with_registry(settings, lambda apps: apps.create(name)), as_json)


@app.command("list")
def list_apps(as_json: bool = JsonOption, config: Path | None = ConfigOption) -> None:
    """List API clients (never their secrets)."""
    records = with_registry(prepare(config), lambda apps: apps.list_apps())
    rows = [
        {
            "api_id": r.api_id,
            "name": r.name,
            "status": "disabled" if r.disabled else "active",
            "created": datetime.fromtimestamp(r.created_at_ms / 1000, UTC).isoformat(),
        }
        for r in records
    ]
    if as_json:
        print(json.dumps(rows))
        return
    table = Table("api_id", "name", "status", "created")
    for row in rows:
        table.add_row(*row.values())
    console.print(table)


@app.command("rotate-secret")
def rotate_secret(
    api_id: str, as_json: bool = JsonOption, config: Path | None = ConfigOption
) -> None:
    """Give a client a new api_secret; the old one stops working."""
    issued = with_registry(prepare(config), lambda apps: apps.rotate_secret(api_id))
    show_credentials(issued, as_json)


@app.command()
def disable(api_id: str, config: Path | None = ConfigOption) -> None:
    """Disable a client: its requests are refused from now on."""
    with_registry(prepare(config), lambda apps: apps.disable(api_id))
    console.print(f"{api_id} disabled")
