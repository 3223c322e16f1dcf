"""Saving recording files: a stable, unique file name for each, and a progress bar per file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ngage.cli.common import errors
from ngage.client import Client, Recording, RecordingFile


@dataclass(frozen=True)
class PlannedDownload:
    """One recording file and the path it is saved at."""

    file: RecordingFile
    path: Path


def plan_downloads(recordings: Sequence[Recording], out_dir: Path) -> list[PlannedDownload]:
    """`<meeting_id>-<recording_type>.<ext>` for each file, then `-2`, `-3` for repeats.

    The server lists files in a stable order, so a second run picks the same names
    and finds the partial files of the first one to resume.
    """
    seen: Counter[str] = Counter()
    plan = []
    for recording in recordings:
        for file in recording.files:
            base = f"{_safe(recording.meeting_id)}-{_safe(file.recording_type)}"
            extension = _safe(file.file_extension.lower())
            seen[f"{base}.{extension}"] += 1
            count = seen[f"{base}.{extension}"]
            name = f"{base}.{extension}" if count == 1 else f"{base}-{count}.{extension}"
            plan.append(PlannedDownload(file, out_dir / name))
    return plan


def _safe(part: str) -> str:
    """Only letters, digits and `_`: names from the server never leave the directory."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in part) or "_"


def download_all(client: Client, plan: Sequence[PlannedDownload]) -> None:
    """Download the files one after the other, with a progress bar each (on stderr)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors) as bars:
        tasks = [_add_bar(bars, item) for item in plan]
        for task, item in zip(tasks, plan, strict=True):
            _download(client, bars, task, item)


def _add_bar(bars: Progress, item: PlannedDownload) -> TaskID:
    size = item.file.file_size
    held = _bytes_on_disk(item.path)
    start = held if held <= size else 0  # a resumed file starts part-way; the SDK decides
    return bars.add_task(item.path.name, total=size, completed=start, start=False)


def _bytes_on_disk(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _download(client: Client, bars: Progress, task: TaskID, item: PlannedDownload) -> None:
    def advance(done: int, total: int) -> None:
        bars.update(task, completed=done, total=total)

    bars.start_task(task)
    client.download(item.file, item.path, progress=advance)
    bars.update(task, completed=item.file.file_size)
