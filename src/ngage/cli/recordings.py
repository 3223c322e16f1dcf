"""`ngage recordings list` and `ngage recordings download`, through the SDK."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.filesize import decimal
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
    open_client,
    reported_errors,
)
from ngage.cli.common import console
from ngage.cli.downloads import download_all, plan_downloads
from ngage.cli.output import print_json, print_unwrapped
from ngage.client import Recording

app = typer.Typer(
    help="List and download recordings (client side: uses the SDK).", no_args_is_help=True
)

AppIds = Annotated[
    list[str],
    typer.Argument(metavar="APP_ID", help="The app_ids of the meetings.", show_default=False),
]
OutDir = Annotated[
    Path,
    typer.Option("--out", file_okay=False, help="Directory to save into (created if missing)."),
]


@app.command("list")
def list_recordings(
    app_ids: AppIds,
    as_json: JsonOutput = False,
    base_url: BaseUrl = None,
    api_id: ApiId = None,
    api_key: ApiKey = None,
    api_secret: ApiSecret = None,
    timeout: Timeout = 30.0,
    retries: Retries = 3,
) -> None:
    """List the recording files of meetings: type, size and download link."""
    options = ClientOptions(base_url, api_id, api_key, api_secret, timeout, retries)
    with reported_errors(), open_client(options) as client:
        recordings = client.recordings(app_ids)
    if as_json:
        print_json([asdict(recording) for recording in recordings])
    else:
        show_recordings(recordings, app_ids)


@app.command()
def download(
    app_ids: AppIds,
    out: OutDir,
    base_url: BaseUrl = None,
    api_id: ApiId = None,
    api_key: ApiKey = None,
    api_secret: ApiSecret = None,
    timeout: Timeout = 30.0,
    retries: Retries = 3,
) -> None:
    """Download every recording file of the meetings into a directory.

    Files are saved as <meeting_id>-<recording_type>.<ext>. A partial file left by an
    interrupted run is resumed, so running the command again finishes the job.
    """
    options = ClientOptions(base_url, api_id, api_key, api_secret, timeout, retries)
    with reported_errors(), open_client(options) as client:
        plan = plan_downloads(client.recordings(app_ids), out)
        if not plan:
            console.print("nothing to download: these meetings have no recording files yet")
            return
        out.mkdir(parents=True, exist_ok=True)
        download_all(client, plan)
    for item in plan:
        saved = f"saved {item.path} ({decimal(item.file.file_size)})"
        console.print(Text(saved), soft_wrap=True)


def show_recordings(recordings: Sequence[Recording], app_ids: Sequence[str]) -> None:
    """A table of the files, then a line for each meeting without files or not found."""
    if any(recording.files for recording in recordings):
        print_unwrapped(files_table(recordings))
    for recording in recordings:
        if not recording.files or recording.status in ("recording", "processing", "failed"):
            state = {
                "recording": "being recorded now",
                "processing": "files still being made",
                "failed": "processing failed",
            }.get(recording.status, "no recording files yet")
            line = f"{recording.app_id} (meeting {recording.meeting_id}): {state}"
            console.print(Text(line), soft_wrap=True)
    found = {recording.app_id for recording in recordings}
    for app_id in dict.fromkeys(app_ids):
        if app_id not in found:
            console.print(Text(f"{app_id}: no such meeting"), soft_wrap=True)


def files_table(recordings: Sequence[Recording]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for column in ("app_id", "meeting_id", "type", "recording_type", "size", "download_url"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for recording in recordings:
        for file in recording.files:
            table.add_row(
                Text(recording.app_id),
                Text(recording.meeting_id),
                Text(file.file_type),
                Text(file.recording_type),
                decimal(file.file_size),
                Text(file.download_url),
            )
    return table
