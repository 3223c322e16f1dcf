"""Live meetings: time to the first remote video frame, and ngage's CPU per participant.

    scripts/netns .venv/bin/python -m benchmarks.join_latency [--runs 7] [--participants 3]

Runs inside the media network namespace (Janus will not do ICE on loopback; see
scripts/netns). One `ngage serve` with its private Janus, as in production. A host
(aiortc test participant) publishes camera and microphone; then:

1. Join latency, `--runs` times: a fresh Chromium page opens join_url, clicks Join
   on the pre-join screen, and waits until a remote tile's <video> has a decoded frame
   (videoWidth > 0). Reported: median time from opening the URL, and from the click.
2. CPU of the ngage process only (not Janus, not the clients; /proc utime+stime of
   the server process, whose one worker runs in-process): the CPU time spent while
   `--participants` test participants join (each publishing camera and microphone
   and watching every feed), divided by their number; and the extra CPU rate with
   them in the meeting for `--steady` seconds, per participant, against the rate with
   the host alone.
3. Recovery: Janus is killed `--restarts` times during a two-person meeting; the time
   from the kill until the host receives the guest's video again (ngage restarts Janus,
   the clients redo their media on `media-restart`).
Results: a table, and JSON in benchmarks/results/join-<timestamp>.json.
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
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

from playwright.async_api import Browser, async_playwright  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from tests.bots import Bot  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.medianet import (  # noqa: E402
    MeetingFactory,
    kill_janus,
    media_address,
    running_media_server,
)
from tests.support import Server  # noqa: E402

from benchmarks.cpu import TICKS_PER_SECOND, read_stat  # noqa: E402

RESULTS = Path(__file__).parent / "results"
REMOTE_FRAME = """() => [...document.querySelectorAll('[data-testid=tile][data-local=false] video')]
    .some(video => video.videoWidth > 0)"""


def cpu_seconds(pid: int) -> float:
    stat = read_stat(pid)
    if stat is None:
        raise RuntimeError(f"process {pid} is gone")
    return stat.ticks / TICKS_PER_SECOND


async def one_join(browser: Browser, join_url: str) -> tuple[float, float]:
    """(seconds from opening join_url, seconds from clicking Join) to a remote frame."""
    page = await browser.new_page()
    try:
        opened = time.perf_counter()
        await page.goto(join_url)
        await page.get_by_test_id("join-button").click()
        clicked = time.perf_counter()
        await page.wait_for_function(REMOTE_FRAME, polling=10, timeout=30_000)
        seen = time.perf_counter()
        return seen - opened, seen - clicked
    finally:
        await page.close()


async def join_latency(join_url: str, runs: int) -> list[tuple[float, float]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await one_join(browser, join_url)  # warm-up: Chromium's first page is slower
            samples = []
            for _ in range(runs):
                samples.append(await one_join(browser, join_url))
                await asyncio.sleep(0.5)
            return samples
        finally:
            await browser.close()


async def cpu_per_participant(pid: int, join_url: str, count: int, steady: float) -> dict[str, Any]:
    before = cpu_seconds(pid)
    await asyncio.sleep(steady)
    idle_rate = (cpu_seconds(pid) - before) / steady
    bots = [Bot(join_url, name=f"Guest {n}") for n in range(count)]
    try:
        joining = cpu_seconds(pid)
        for bot in bots:
            await bot.join()
        for bot in bots:
            await bot.wait_published()
        await asyncio.sleep(2.0)  # every watch negotiated
        join_cpu = cpu_seconds(pid) - joining - 2.0 * idle_rate
        start = cpu_seconds(pid)
        await asyncio.sleep(steady)
        busy_rate = (cpu_seconds(pid) - start) / steady
    finally:
        for bot in bots:
            await bot.close()
    return {
        "participants": count,
        "idle_cpu_percent": 100 * idle_rate,
        "busy_cpu_percent": 100 * busy_rate,
        "join_cpu_ms_per_participant": 1000 * join_cpu / count,
        "steady_cpu_percent_per_participant": 100 * (busy_rate - idle_rate) / count,
    }


async def recovery_times(server: Server, host: Bot, join_url: str, count: int) -> list[float]:
    """Seconds from killing Janus until the host gets the guest's video again."""
    samples = []
    async with Bot(join_url, name="Guest") as guest:
        await guest.join()
        assert guest.participant_id is not None
        await host.wait_frames(guest.participant_id, video=10, timeout=15)
        for _ in range(count):
            killed = time.perf_counter()
            if not kill_janus(server):
                raise RuntimeError("no Janus to kill")
            await asyncio.sleep(0.2)  # frames already in flight do not count
            await host.wait_frames(guest.participant_id, video=1, timeout=30)
            samples.append(time.perf_counter() - killed)
            await asyncio.sleep(2.0)
    return samples


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    media_address()
    with running_media_server() as server:
        factory = MeetingFactory(server, server.new_app("benchmark"))
        meeting = factory(topic="Join latency")
        async with Bot(meeting.start_url, name="Host") as host:
            await host.join()
            await host.wait_published()
            samples = await join_latency(meeting.join_url, args.runs)
            cpu = await cpu_per_participant(
                server.process.pid, meeting.join_url, args.participants, args.steady
            )
            recovery = await recovery_times(server, host, meeting.join_url, args.restarts)
        factory.close()
    return {
        "runs": args.runs,
        "open_to_frame_s": [round(total, 3) for total, _ in samples],
        "click_to_frame_s": [round(click, 3) for _, click in samples],
        "median_open_to_frame_s": statistics.median(total for total, _ in samples),
        "median_click_to_frame_s": statistics.median(click for _, click in samples),
        **cpu,
        "janus_restart_recovery_s": [round(sample, 2) for sample in recovery],
        "median_janus_restart_recovery_s": statistics.median(recovery),
    }


def report(result: dict[str, Any]) -> None:
    table = Table(title="Live meetings (median of runs)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("join_url opened -> first remote frame", f"{result['median_open_to_frame_s']:.2f} s"),
        ("Join clicked -> first remote frame", f"{result['median_click_to_frame_s']:.2f} s"),
        ("ngage CPU per joining participant", f"{result['join_cpu_ms_per_participant']:.0f} ms"),
        (
            "ngage CPU per participant in the meeting",
            f"{result['steady_cpu_percent_per_participant']:.2f} % of a core",
        ),
        ("ngage CPU, host alone", f"{result['idle_cpu_percent']:.2f} % of a core"),
        ("Janus killed -> video again", f"{result['median_janus_restart_recovery_s']:.2f} s"),
    ]
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="join latency samples")
    parser.add_argument("--participants", type=int, default=3, help="test participants for CPU")
    parser.add_argument("--steady", type=float, default=10.0, help="seconds per CPU sample")
    parser.add_argument("--restarts", type=int, default=3, help="Janus kills to time")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    result["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    report(result)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"join-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
