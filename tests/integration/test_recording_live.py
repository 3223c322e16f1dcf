"""Cloud recording end to end: record in a live meeting, process, list, download, play.

aiortc test participants in the media network namespace (scripts/netns) against
`ngage serve` with its own Janus and its embedded job workers.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ngage.client import Client, Recording
from tests import media_analysis as analysis
from tests.bots import Bot, MediaSpec, Refused
from tests.integration.people import joined
from tests.medianet import MeetingFactory, kill_janus, running_media_server
from tests.support import Credentials, Server

FAST_JOBS = {"recording_lease_seconds": "3"}


@pytest.fixture(scope="module")
def media_server() -> Iterator[Server]:
    with running_media_server(**FAST_JOBS) as server:
        yield server


@pytest.fixture(scope="module")
def creds(media_server: Server) -> Credentials:
    return media_server.new_app("recording")


@pytest.fixture(scope="module")
def meeting(media_server: Server, creds: Credentials) -> Iterator[MeetingFactory]:
    factory = MeetingFactory(media_server, creds)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def client(media_server: Server, creds: Credentials) -> Iterator[Client]:
    with sdk_client(media_server, creds) as sdk:
        yield sdk


def sdk_client(server: Server, creds: Credentials) -> Client:
    return Client(
        base_url=server.base_url,
        api_id=creds.api_id,
        api_key=creds.api_key,
        api_secret=creds.api_secret,
    )


@pytest.fixture
async def bots() -> AsyncIterator[list[Bot]]:
    created: list[Bot] = []
    yield created
    await asyncio.gather(*(bot.close() for bot in created))


def listing(client: Client, app_id: str) -> Recording:
    (recording,) = client.recordings([app_id])
    return recording


def wait_status(client: Client, app_id: str, status: str, timeout: float = 90) -> Recording:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recording = listing(client, app_id)
        if recording.status == status:
            return recording
        assert recording.status != "failed", "processing failed"
        time.sleep(0.5)
    raise AssertionError(f"status stayed {listing(client, app_id).status}, wanted {status}")


def decodes(path: Path) -> None:
    """ffmpeg decodes the whole file without a single error."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def streams(path: Path) -> list[str]:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [s["codec_name"] for s in json.loads(probe.stdout)["streams"]]


async def test_a_role_without_record_rights_cannot_record(
    meeting: MeetingFactory, client: Client, bots: list[Bot]
) -> None:
    created = meeting(host={"disableRecord": True})
    host = await joined(bots, created.start_url)
    with pytest.raises(Refused) as refused:
        await host.record("start")
    assert refused.value.code == "forbidden"
    await host.leave()
    recording = listing(client, created.app_id)
    assert recording.status == "none" and recording.files == []


async def test_record_pause_stop_then_files_are_listed_and_play(
    meeting: MeetingFactory, client: Client, bots: list[Bot], tmp_path: Path
) -> None:
    created = meeting(topic="Recorded")
    host = await joined(bots, created.start_url, label="host")
    guest = await joined(bots, created.join_url, label="guest")
    await host.wait_published()
    await guest.wait_published()
    started = await host.record("start")
    assert started["type"] == "recording" and started["state"] == "recording"
    await guest.wait_for("recording", lambda e: e["state"] == "recording")
    late = await joined(bots, created.join_url, label="late", name="Late Guest")
    assert late.joined is not None and late.joined["recording"] == "recording"
    assert listing(client, created.app_id).status == "recording"
    await asyncio.sleep(3)
    assert (await host.record("pause"))["state"] == "paused"
    await asyncio.sleep(1)
    assert (await host.record("resume"))["state"] == "recording"
    await asyncio.sleep(3)
    assert (await host.record("stop"))["state"] == "stopped"
    await guest.wait_for("recording", lambda e: e["state"] == "stopped")
    done = await asyncio.to_thread(wait_status, client, created.app_id, "completed")
    kinds = sorted(f.file_type for f in done.files)
    assert kinds == ["M4A", "MP4", "TIMELINE"], kinds
    for file in done.files:
        saved = await asyncio.to_thread(client.download, file, tmp_path / file.file_type)
        assert saved.stat().st_size == file.file_size
        if file.file_type in ("MP4", "M4A"):
            await asyncio.to_thread(decodes, saved)
    assert streams(tmp_path / "MP4") == ["h264", "aac"]
    assert streams(tmp_path / "M4A") == ["aac"]
    timeline = json.loads((tmp_path / "TIMELINE").read_text())
    assert "Late Guest" in json.dumps(timeline)
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "ngage.cli",
            "recordings",
            "download",
            created.app_id,
            "--out",
            str(tmp_path / "cli"),
        ],
        env={**os.environ, **cli_env(client)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    (mp4,) = (tmp_path / "cli").glob("*.mp4")
    await asyncio.to_thread(decodes, mp4)


def cli_env(client: Client) -> dict[str, str]:
    settings = client.settings
    return {
        "NGAGE_BASE_URL": settings.base_url,
        "NGAGE_API_ID": settings.api_id,
        "NGAGE_API_KEY": settings.api_key,
        "NGAGE_API_SECRET": settings.api_secret,
    }


async def test_a_job_survives_a_killed_server(bots: list[Bot]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="ngage-kill-"))
    with running_media_server(data_dir, **FAST_JOBS) as server:
        creds = server.new_app("kill")
        factory = MeetingFactory(server, creds)
        created = factory(topic="Killed mid-job")
        factory.close()
        host = await joined(bots, created.start_url)
        await host.wait_published()
        await host.record("start")
        await asyncio.sleep(12)
        await host.record("stop")
        await asyncio.to_thread(wait_log, server, "processing (attempt 1)")
        await asyncio.to_thread(wait_tool, data_dir)  # killed while ffmpeg works
        server.process.send_signal(signal.SIGKILL)  # no chance to clean up
        server.process.wait(10)
        # What it ran dies with it: Janus, and the janus-pp-rec or ffmpeg of the job.
        await asyncio.to_thread(wait_gone, data_dir)
    with running_media_server(data_dir, **FAST_JOBS) as again, sdk_client(again, creds) as sdk:
        assert "Resuming 1 recording job" in again.log()
        done = await asyncio.to_thread(wait_status, sdk, created.app_id, "completed")
        assert sorted(f.file_type for f in done.files) == ["M4A", "MP4", "TIMELINE"]
    made = [p for p in (data_dir / "recordings" / created.meeting_id).rglob("*") if p.is_file()]
    assert sorted(p.suffix for p in made) == [".json", ".m4a", ".mp4"], made


def processes_of(data_dir: Path, tool: str = "") -> str:
    """The processes (pid and command line) running `tool` on files of `data_dir`."""
    pattern = f"{tool}.*{data_dir}" if tool else str(data_dir)
    found = subprocess.run(["pgrep", "-a", "-f", "--", pattern], capture_output=True, text=True)
    return found.stdout


def wait_tool(data_dir: Path, timeout: float = 30) -> None:
    """Until the job runs ffmpeg on this server's files."""
    deadline = time.monotonic() + timeout
    while not processes_of(data_dir, "ffmpeg"):
        assert time.monotonic() < deadline, "the job never ran ffmpeg"
        time.sleep(0.02)


def wait_gone(data_dir: Path, timeout: float = 2) -> None:
    """Until no process names `data_dir` on its command line (killed ones go at once)."""
    deadline = time.monotonic() + timeout
    while running := processes_of(data_dir):
        assert time.monotonic() < deadline, f"still running:\n{running}"
        time.sleep(0.1)


def wait_log(server: Server, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in server.log():
        assert time.monotonic() < deadline, f"never logged {text!r}:\n{server.log()[-3000:]}"
        time.sleep(0.1)


def marks(first: float) -> tuple[float, ...]:
    return tuple(first + k for k in range(60))


async def test_flashes_and_beeps_stay_in_sync_through_the_whole_path(
    meeting: MeetingFactory, client: Client, bots: list[Bot], tmp_path: Path
) -> None:
    created = meeting(topic="Sync")
    # Small pictures: the bots' software encoder must keep up even on a loaded machine.
    small = {"width": 320, "height": 180}
    host_spec = MediaSpec(tone_hz=440, beeps_at=marks(1.0), flashes_at=marks(1.0), **small)
    guest_spec = MediaSpec(tone_hz=880, beeps_at=marks(1.5), flashes_at=marks(1.5), **small)
    host = await joined(bots, created.start_url, media=host_spec)
    guest = await joined(bots, created.join_url, media=guest_spec)
    await host.wait_published()
    await guest.wait_published()
    await host.record("start")
    started = time.monotonic()
    await asyncio.sleep(8)
    await host.record("stop")
    span = time.monotonic() - started
    done = await asyncio.to_thread(wait_status, client, created.app_id, "completed")
    files = {f.file_type: f for f in done.files}
    mp4 = await asyncio.to_thread(client.download, files["MP4"], tmp_path / "sync.mp4")
    timeline = await asyncio.to_thread(client.download, files["TIMELINE"], tmp_path / "t.json")
    document = json.loads(timeline.read_text())
    length = analysis.duration(mp4)
    recorded = document["duration"]
    assert abs(length - recorded) < 0.5 and abs(length - span) < 0.5, (length, recorded, span)
    samples = analysis.audio_samples(mp4)
    beeps = sorted(analysis.tone_onsets(samples, 440) + analysis.tone_onsets(samples, 880))
    # The picture cuts between speakers; a flash right at a cut may have begun before it.
    cuts = [0.0, recorded] + [event["at"] for event in document["events"]]
    flashes = [
        flash
        for flash in analysis.flash_onsets(analysis.video_frames(mp4))
        if all(abs(flash - cut) >= 0.25 for cut in cuts)
    ]
    offsets = {round(flash, 3): round(analysis.nearest(flash, beeps), 3) for flash in flashes}
    assert len(flashes) >= 5, (offsets, beeps)
    assert all(abs(offset) <= 0.040 for offset in offsets.values()), (offsets, cuts)


async def test_recording_goes_on_after_janus_restarts(
    meeting: MeetingFactory, client: Client, media_server: Server, bots: list[Bot], tmp_path: Path
) -> None:
    created = meeting(topic="Janus restart while recording")
    host = await joined(bots, created.start_url, media=MediaSpec(tone_hz=440))
    guest = await joined(bots, created.join_url, media=MediaSpec(tone_hz=880))
    await host.wait_published()
    await guest.wait_published()
    await host.record("start")
    started = time.monotonic()
    await asyncio.sleep(3)
    assert kill_janus(media_server)
    await host.wait_for("media-restart", timeout=15)
    assert guest.participant_id is not None
    await host.wait_frames(guest.participant_id, video=10, timeout=15)
    restarted = time.monotonic() - started
    await asyncio.sleep(3)
    await host.record("stop")
    done = await asyncio.to_thread(wait_status, client, created.app_id, "completed")
    (m4a,) = [f for f in done.files if f.file_type == "M4A"]
    saved = await asyncio.to_thread(client.download, m4a, tmp_path / "after.m4a")
    samples = analysis.audio_samples(saved)
    after = samples[int((restarted + 0.5) * analysis.AUDIO_RATE) :]
    for tone in (440, 880):  # both voices were recorded again by the new Janus
        level = analysis.tone_level(after, tone)
        assert float(level.mean()) > 0.05, (tone, float(level.mean()))
