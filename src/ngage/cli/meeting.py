"""`ngage meeting create`: create a meeting through the SDK and print how to join it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ngage.cli.client_options import (
    ApiId,
    ApiKey,
    ApiSecret,
    BaseUrl,
    ClientOptions,
    JsonOutput,
    Retries,
    Timeout,
    fail,
    open_client,
    reported_errors,
)
from ngage.cli.output import print_json, print_unwrapped
from ngage.cli.role_configs import ConfigFileError, RoleConfigs, load_role_configs
from ngage.client import Meeting

app = typer.Typer(help="Create meetings (client side: uses the SDK).", no_args_is_help=True)

ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        exists=True,
        dir_okay=False,
        help="A .json or .toml file with any of config_host, config_participant, view_host, "
        "view_participant: partial flags, merged over the SDK's defaults.",
    ),
]


@app.command()
def create(
    topic: Annotated[str, typer.Option("--topic", help="The meeting's topic.")],
    host_name: Annotated[str, typer.Option("--host-name", help="The host's display name.")],
    participant_name: Annotated[
        str, typer.Option("--participant-name", help="The participant's display name.")
    ],
    config: ConfigFile = None,
    transaction_id: Annotated[
        str | None,
        typer.Option(help="Send this transaction_id: repeating it returns the same meeting."),
    ] = None,
    as_json: JsonOutput = False,
    base_url: BaseUrl = None,
    api_id: ApiId = None,
    api_key: ApiKey = None,
    api_secret: ApiSecret = None,
    timeout: Timeout = 30.0,
    retries: Retries = 3,
) -> None:
    """Create a meeting; print its meeting ID, password, app_id and start and join links."""
    roles = _role_configs(config)
    options = ClientOptions(base_url, api_id, api_key, api_secret, timeout, retries)
    with reported_errors(), open_client(options) as client:
        meeting = client.create_meeting(
            topic=topic,
            host_name=host_name,
            participant_name=participant_name,
            host=roles.host,
            participant=roles.participant,
            view_host=roles.view_host,
            view_participant=roles.view_participant,
            transaction_id=transaction_id,
        )
    if as_json:
        print_json(asdict(meeting))
    else:
        print_unwrapped(meeting_table(meeting))


def _role_configs(path: Path | None) -> RoleConfigs:
    try:
        return load_role_configs(path)
    except ConfigFileError as exc:
        fail(str(exc), 2, exc)


def meeting_table(meeting: Meeting) -> Table:
    """The meeting as a two-column table: the host keeps start_url, guests get join_url."""
    table = Table(box=box.SIMPLE, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = {
        "topic": meeting.topic,
        "meeting_id": meeting.meeting_id,
        "password": meeting.password,
        "app_id": meeting.app_id,
        "start_url": meeting.start_url,
        "join_url": meeting.join_url,
    }
    for name, value in rows.items():
        table.add_row(name, Text(value))  # Text: a topic is not Rich markup
    return table
