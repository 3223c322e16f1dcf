"""Breakout rooms and phone call-out: how long a move takes, and what a phone call costs.

    scripts/netns .venv/bin/python -m benchmarks.rooms_and_phones [--runs 5] [--steady 10]

Runs inside the media network namespace (see scripts/netns), against one `ngage serve`
with its private Janus and a SIP trunk pointing at `sipp` on the media address (the
callee answers and echoes its RTP, as in tests/integration/test_callout.py). Test
participants are aiortc bots publishing camera and microphone.

1. Breakout, `--runs` times: Ana and Ben go to Room 1, Carl to Room 2. Reported: the
   median time from the host's `open` until Ana receives Ben's video inside Room 1
   (both left the main room's Janus room, joined the breakout's and published there),
   and from `close` (no countdown) until Ana receives Carl's video back in the main room.
2. Call-out, `--runs` times: the median time from `call-out` until the caller hears
   `in-call`, and until the first audio of the phone reaches the caller (sipp's echo of
   the meeting's mix, through Janus's SIP plugin and ngage's bridge).
3. CPU of the ngage process (/proc utime+stime): the rate with two participants in the
   meeting, then with one phone call added, for `--steady` seconds each. The difference is
   what one call costs ngage (decoding each watched feed, mixing, encoding the mix, and
   the callee's leg), as % of one core.
Results: a table, and JSON in benchmarks/results/rooms-phones-<timestamp>.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402
from contextlib import asynccontextmanager  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from tests.bots import Bot  # noqa: E402
from tests.callee import TRUNK, running_callee  # noqa: E402
from tests.integration.people import joined, pid  # noqa: E402
from tests.medianet import MEDIA_NET, MeetingFactory, media_address, running_media_server  # noqa: E402

from benchmarks.join_latency import cpu_seconds  # noqa: E402

RESULTS = Path(__file__).parent / "results"
NUMBER = "+15551234567"
TIMEOUT = 30.0


@asynccontextmanager
async def people(links: list[str], names: list[str]) -> AsyncIterator[list[Bot]]:
    """Bots that joined with `links` under `names`, each publishing; closed afterwards."""
    bots: list[Bot] = []
    try:
        for link, name in zip(links, names, strict=True):
            await joined(bots, link, name)
        for bot in bots:
            await bot.wait_published()
        yield bots
    finally:
        await asyncio.gather(*(bot.close() for bot in bots))


async def new_video(bot: Bot, participant_id: str, since: float) -> float:
    """Seconds from `since` (time.monotonic) to the first frame of a watch of that
    participant begun after this call: a frame of a watch that was open before (the other
    room's) does not count."""
    known = {id(watch) for watch in bot.received_from(participant_id)}
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for watch in bot.received_from(participant_id):
            if id(watch) not in known and watch.first_video_at is not None:
                return watch.first_video_at - since
        await asyncio.sleep(0.01)
    raise RuntimeError(f"no new video from {participant_id}")


async def one_breakout(factory: MeetingFactory) -> tuple[float, float]:
    """(open -> video inside Room 1, close -> video back in the main room), in seconds."""
    links = factory(topic="Breakout timing")
    urls = [links.start_url] + [links.join_url] * 3
    async with people(urls, ["Hana", "Ana", "Ben", "Carl"]) as (host, ana, ben, carl):
        await ana.wait_frames(pid(carl), video=5, timeout=TIMEOUT)
        await ana.wait_frames(pid(ben), video=5, timeout=TIMEOUT)
        await host.channel.request("breakout", action="create", count=2)
        for bot, room in ((ana, 1), (ben, 1), (carl, 2)):
            await host.channel.request(
                "breakout", action="assign", participant_id=pid(bot), room=room
            )
        opened = time.monotonic()
        ben_in_room = asyncio.create_task(new_video(ana, pid(ben), opened))
        await host.channel.request("breakout", action="open")
        moved = await ben_in_room
        await ana.wait_frames(pid(ben), video=10, timeout=TIMEOUT)  # settled in the room
        closed = time.monotonic()
        carl_back = asyncio.create_task(new_video(ana, pid(carl), closed))
        await host.channel.request("breakout", action="close", seconds=0)
        back = await carl_back
    return moved, back


async def one_call(caller: Bot) -> tuple[float, float]:
    """(call-out -> in-call, call-out -> the phone's first audio at the caller), in seconds."""
    with running_callee(TIMEOUT * 2):
        mark = len(caller.events)
        dialled = time.perf_counter()
        calling = await caller.channel.request("call-out", number=NUMBER, timeout=TIMEOUT)
        await caller.wait_for("call-out", lambda e: e["status"] == "in-call", TIMEOUT, mark)
        in_call = time.perf_counter() - dialled
        await caller.wait_frames(calling["participant_id"], audio=1, timeout=TIMEOUT)
        heard = time.perf_counter() - dialled
        await caller.channel.request(
            "call-out", action="hangup", participant_id=calling["participant_id"]
        )
        await caller.wait_for("call-out", lambda e: e["status"] == "ended", TIMEOUT, mark)
    return in_call, heard


async def call_cpu(factory: MeetingFactory, server_pid: int, steady: float) -> dict[str, float]:
    """ngage's CPU rate with two participants, then with a phone call added."""
    links = factory(topic="Phone CPU")
    async with people([links.start_url, links.join_url], ["Hana", "Ana"]) as (host, ana):
        await ana.wait_frames(pid(host), video=10, timeout=TIMEOUT)
        start = cpu_seconds(server_pid)
        await asyncio.sleep(steady)
        without = (cpu_seconds(server_pid) - start) / steady
        with running_callee(steady + 60):
            calling = await host.channel.request("call-out", number=NUMBER, timeout=TIMEOUT)
            await ana.wait_frames(calling["participant_id"], audio=50, timeout=TIMEOUT)
            start = cpu_seconds(server_pid)
            await asyncio.sleep(steady)
            with_call = (cpu_seconds(server_pid) - start) / steady
    return {
        "cpu_percent_two_people": 100 * without,
        "cpu_percent_with_a_call": 100 * with_call,
        "cpu_percent_per_call": 100 * (with_call - without),
    }


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    media_address()
    with running_media_server(sip_trunk=TRUNK, sip_local_ip=MEDIA_NET) as server:
        factory = MeetingFactory(server, server.new_app("benchmark"))
        moves = [await one_breakout(factory) for _ in range(args.runs)]
        links = factory(topic="Call timing")
        async with people([links.start_url], ["Hana"]) as (host,):
            calls = [await one_call(host) for _ in range(args.runs)]
        cpu = await call_cpu(factory, server.process.pid, args.steady)
        factory.close()
    return {
        "runs": args.runs,
        "open_to_video_in_room_s": [round(m, 3) for m, _ in moves],
        "close_to_video_in_main_s": [round(b, 3) for _, b in moves],
        "median_open_to_video_in_room_s": statistics.median(m for m, _ in moves),
        "median_close_to_video_in_main_s": statistics.median(b for _, b in moves),
        "dial_to_in_call_s": [round(c, 3) for c, _ in calls],
        "dial_to_phone_audio_s": [round(h, 3) for _, h in calls],
        "median_dial_to_in_call_s": statistics.median(c for c, _ in calls),
        "median_dial_to_phone_audio_s": statistics.median(h for _, h in calls),
        **cpu,
    }


def report(result: dict[str, Any]) -> None:
    table = Table(title="Breakout rooms and phone calls (medians of runs)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("breakout open -> video inside the room", result["median_open_to_video_in_room_s"]),
        ("breakout close -> video in the main room", result["median_close_to_video_in_main_s"]),
        ("call-out -> in-call", result["median_dial_to_in_call_s"]),
        ("call-out -> phone audio at the caller", result["median_dial_to_phone_audio_s"]),
    ]
    for label, seconds in rows:
        table.add_row(label, f"{seconds:.2f} s")
    table.add_row("ngage CPU, two people", f"{result['cpu_percent_two_people']:.1f} % of a core")
    table.add_row("ngage CPU per phone call", f"{result['cpu_percent_per_call']:.1f} % of a core")
    Console().print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="breakout moves and calls to time")
    parser.add_argument("--steady", type=float, default=10.0, help="seconds per CPU sample")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    result["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    report(result)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"rooms-phones-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
