"""Cloud recording: processing speed, and time from the end of a meeting to its files listed.

    scripts/netns .venv/bin/python -m benchmarks.recording [--short 60] [--long 300]

Runs inside the media network namespace (scripts/netns) with one `ngage serve`, its
private Janus and its embedded job worker, as in production. aiortc test participants
(640x360, 15 fps, H.264 + Opus) meet and the host records through the meeting protocol:

- `short`: 2 participants for `--short` seconds;
- `long`: 4 participants for `--long` seconds, one of them sharing a screen for the
  middle third.

Measured from the host's `record stop` (the end of the recorded span) until the Recording
API lists the files (`status: completed`): the wall time, and the recorded length divided
by it (processing speed as a multiple of real time). The output resolution is the
pipeline's default (`ngage.recordings.ffmpeg.OutputOptions`), printed with the results.
Results: a table, and JSON in benchmarks/results/recording-<timestamp>.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from tests.bots import Bot, MediaSpec  # noqa: E402
from tests.medianet import MeetingFactory, media_address, running_media_server  # noqa: E402

from ngage.client import Client  # noqa: E402
from ngage.recordings.ffmpeg import OutputOptions  # noqa: E402

RESULTS = Path(__file__).parent / "results"
TONES = (440.0, 660.0, 880.0, 1100.0)


async def meet_and_record(
    factory: MeetingFactory, people: int, seconds: float
) -> tuple[str, float]:
    """Hold a recorded meeting; returns (app_id, recorded seconds). Leaves at the stop."""
    created = factory(topic=f"{people} people, {seconds:.0f} s")
    bots = [Bot(created.start_url, name="Host", media=MediaSpec(tone_hz=TONES[0]))]
    bots += [
        Bot(created.join_url, name=f"Guest {n}", media=MediaSpec(tone_hz=TONES[n % 4]))
        for n in range(1, people)
    ]
    try:
        for bot in bots:
            await bot.join()
            await bot.wait_published()
        host = bots[0]
        await host.record("start")
        started = time.monotonic()
        if people > 2:
            await asyncio.sleep(seconds / 3)
            await bots[1].publish("screen", audio=False, video=True)
            await asyncio.sleep(seconds / 3)
            await bots[1].unpublish("screen")
            await asyncio.sleep(seconds - (time.monotonic() - started))
        else:
            await asyncio.sleep(seconds)
        await host.record("stop")
        return created.app_id, time.monotonic() - started
    finally:
        for bot in bots:
            await bot.close()


def wait_listed(client: Client, app_id: str, timeout: float) -> float:
    """Seconds until the Recording API says `completed`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        (recording,) = client.recordings([app_id])
        if recording.status == "completed":
            return time.monotonic() - started
        if recording.status == "failed":
            raise RuntimeError("processing failed; see the server log")
        time.sleep(0.2)
    raise RuntimeError(f"not processed within {timeout} s")


async def scenario(
    factory: MeetingFactory, name: str, people: int, seconds: float
) -> dict[str, Any]:
    app_id, recorded = await meet_and_record(factory, people, seconds)
    listed_after = await asyncio.to_thread(wait_listed, factory.client, app_id, 30 * seconds)
    (recording,) = factory.client.recordings([app_id])
    return {
        "scenario": name,
        "participants": people,
        "recorded_s": round(recorded, 2),
        "end_to_listed_s": round(listed_after, 2),
        "real_time_multiple": round(recorded / listed_after, 2),
        "files": {f.file_type: f.file_size for f in recording.files},
    }


async def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    media_address()
    with running_media_server() as server:
        factory = MeetingFactory(server, server.new_app("benchmark"))
        try:
            results = [await scenario(factory, "short", 2, args.short)]
            results.append(await scenario(factory, "long", 4, args.long))
        finally:
            factory.close()
    return results


def report(results: list[dict[str, Any]], options: dict[str, Any]) -> None:
    shape = (
        f"{options['width']}x{options['height']}, {options['fps']} fps, x264 {options['preset']}"
    )
    table = Table(title=f"Recording processing (output {shape})")
    for column in ("scenario", "people", "recorded", "end -> listed", "speed"):
        table.add_column(column, justify="right")
    for row in results:
        table.add_row(
            row["scenario"],
            str(row["participants"]),
            f"{row['recorded_s']:.0f} s",
            f"{row['end_to_listed_s']:.1f} s",
            f"{row['real_time_multiple']:.1f}x real time",
        )
    Console().print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=float, default=60.0, help="seconds, 2 participants")
    parser.add_argument("--long", type=float, default=300.0, help="seconds, 4 participants")
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args))
    options = asdict(OutputOptions())
    report(results, options)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    document = {"when": stamp, "output": options, "results": results}
    (RESULTS / f"recording-{stamp}.json").write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
