"""The recording pipeline on a real recording made here: bots in a meeting, Janus recording
the room, then `produce()` and an analysis of the files it made (tests/media_analysis.py).

The meeting (output seconds; the recording is paused from 8.5 to 10 of the wall clock):
a host on camera beeping 440 Hz and an audio-only participant beeping 660 Hz are there
from the start; a guest (880 Hz) joins late at 1.5, is the speaker from 2.5, shares a
screen from 3.5 to 6.5 and leaves early at 8; the host speaks from 7.5, the audio-only
participant from 10.5. The host and the guest flash white at the instants they beep.
Speaking events and a chat message are written into the timeline by the test itself.

Run inside the media namespace: `scripts/netns .venv/bin/python -m pytest <this file>`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ngage.client import Meeting
from ngage.media.janus import JanusClient
from ngage.media.videoroom import VideoRooms
from ngage.recordings.kinds import AUDIO_ONLY, CHAT, COMPOSITE_VIDEO, TIMELINE
from ngage.recordings.layout import OutputClock
from ngage.recordings.pipeline import OutputOptions, ProcessingError, Produced, produce
from ngage.recordings.timeline import Event, Segment, Timeline
from tests import media_analysis as analysis
from tests.bots import Bot, MediaSpec
from tests.medianet import MeetingFactory, running_media_server
from tests.support import Server

SYNC = 0.040  # seconds: flash to beep, and a beep to where it belongs
EDGE = 0.25  # seconds near a cut (start, pause, join, leave) where marks are not judged
THUMBNAIL = (0.74, 0.72, 0.98, 0.97)  # where the speaker thumbnail sits (fractions)
FLASH = 200  # mean luma of a frame during a white flash is above this


def marks(first: float) -> tuple[float, ...]:
    return tuple(first + k for k in range(40))


# Small pictures: the bots' software encoder must keep up even on a loaded machine.
HOST_SPEC = MediaSpec(
    tone_hz=440, beeps_at=marks(1.0), flashes_at=marks(1.0), width=320, height=180
)
GUEST_SPEC = MediaSpec(
    tone_hz=880, beeps_at=marks(1.4), flashes_at=marks(1.4), width=320, height=180
)
AUDIO_SPEC = MediaSpec(tone_hz=660, beeps_at=marks(1.6))


def now_us() -> int:
    return time.time_ns() // 1000


@dataclass
class Participant:
    name: str
    bot: Bot
    spec: MediaSpec

    def instants(self) -> list[float]:
        """Wall-clock seconds of the bot's beeps (and flashes)."""
        epoch = self.bot.clock.epoch_wall
        assert epoch is not None, f"{self.name} never sent media"
        return [epoch + t for t in self.spec.beeps_at]


@dataclass
class Log:
    """What the test did, on the wall clock: it becomes the recording's Timeline."""

    rooms: VideoRooms
    meeting_id: str
    raw: Path
    events: list[Event] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    people: dict[str, Participant] = field(default_factory=dict)
    started: int = 0

    def note(self, kind: str, who: Bot, **fields: Any) -> None:
        assert who.participant_id is not None
        self.events.append(Event(now_us(), kind, who.participant_id, **fields))  # type: ignore[arg-type]

    async def record(self, on: bool) -> None:
        await self.rooms.set_recording(self.meeting_id, str(self.raw), on)
        if on:
            self.started = now_us()
        else:
            self.segments.append(Segment(self.started, now_us()))

    async def join(self, link: str, name: str, spec: MediaSpec, **options: Any) -> Bot:
        bot = Bot(link, name=name, media=spec, auto_watch=False, **options)
        await bot.join()
        assert bot.participant_id is not None
        self.people[bot.participant_id] = Participant(name, bot, spec)
        self.note("joined", bot)
        feed = await bot.wait_published()
        self.note("feed-started", bot, feed=feed, feed_kind="camera")
        return bot

    async def leave(self, bot: Bot) -> None:
        feed = bot.published.get("camera")
        await bot.close()
        self.note("feed-stopped", bot, feed=feed, feed_kind="camera")
        self.note("left", bot)

    async def share(self, bot: Bot, on: bool) -> None:
        if on:
            feed = await bot.publish("screen", audio=False, video=True)
        else:
            feed = bot.published["screen"]
            await bot.unpublish("screen")
        self.note("feed-started" if on else "feed-stopped", bot, feed=feed, feed_kind="screen")

    def timeline(self) -> Timeline:
        return Timeline(
            recording_id="rec-test",
            meeting_id=self.meeting_id,
            topic="Recorded test",
            segments=self.segments,
            names={who: person.name for who, person in self.people.items()},
            events=sorted(self.events, key=lambda event: event.at_us),
        )


def janus_client(server: Server) -> tuple[JanusClient, str]:
    """A client of the server's own Janus, and its API secret (ngage's room secret too)."""
    config = server.data_dir / "janus"
    found = re.search(r'api_secret = "([^"]+)"', (config / "janus.jcfg").read_text())
    port = re.search(r"port = (\d+)", (config / "janus.transport.http.jcfg").read_text())
    assert found and port, "cannot read the Janus configuration"
    secret = found.group(1)
    return JanusClient(f"http://127.0.0.1:{port.group(1)}/janus", secret), secret


async def at(start: float, seconds: float) -> None:
    await asyncio.sleep(max(start + seconds - time.monotonic(), 0))


async def hold_meeting(log: Log, start_url: str, join_url: str) -> None:
    host = await log.join(start_url, "Hana Host", HOST_SPEC)
    audio = await log.join(join_url, "Otto Audio", AUDIO_SPEC, video=False)
    await log.rooms.ensure_room(log.meeting_id, "Recorded test")
    await asyncio.sleep(0.5)
    await log.record(True)
    start = time.monotonic()
    await at(start, 1.5)
    guest = await log.join(join_url, "Gita Guest", GUEST_SPEC)
    await at(start, 2.5)
    log.note("speaking", guest)
    await at(start, 3.5)
    await log.share(guest, True)
    await at(start, 5.0)
    log.note("chat", guest, data={"text": "Can you see my screen?", "to": None})
    await at(start, 6.5)
    await log.share(guest, False)
    await at(start, 7.5)
    log.note("stopped-speaking", guest)
    log.note("speaking", host)
    await at(start, 8.0)
    await log.leave(guest)
    await at(start, 8.5)
    await log.record(False)
    await at(start, 10.0)
    await log.record(True)
    await at(start, 10.5)
    log.note("speaking", audio)
    await at(start, 12.0)
    await log.record(False)
    await log.leave(audio)
    await log.leave(host)


async def record_meeting(server: Server, meeting: Meeting, raw: Path) -> Log:
    janus, secret = janus_client(server)
    rooms = VideoRooms(janus, secret)
    log = Log(rooms, meeting.meeting_id, raw)
    try:
        await hold_meeting(log, meeting.start_url, meeting.join_url)
    finally:
        await asyncio.gather(*(person.bot.close() for person in log.people.values()))
        await rooms.close()
        await janus.close()
    return log


@dataclass
class Recording:
    raw: Path
    timeline: Timeline
    people: dict[str, Participant]

    @property
    def clock(self) -> OutputClock:
        return OutputClock(self.timeline.segments)

    def who(self, name: str) -> str:
        return next(who for who, person in self.people.items() if person.name == name)

    def first(self, kind: str, name: str, feed_kind: str | None = None) -> float:
        """Output seconds of the first `kind` event of `name` (of that feed kind)."""
        found = [
            e
            for e in self.timeline.events
            if e.kind == kind and e.participant_id == self.who(name)
            if feed_kind is None or e.feed_kind == feed_kind
        ]
        return self.clock.at(found[0].at_us)

    def judged(self, name: str, present: tuple[float, float] | None = None) -> list[float]:
        """Output seconds of `name`'s marks away from every cut (and inside `present`)."""
        recorded = []
        for instant in self.people[self.who(name)].instants():
            us = instant * 1_000_000
            inside = any(
                s.start_us + EDGE * 1e6 < us < s.end_us - EDGE * 1e6 for s in self.timeline.segments
            )
            at = self.clock.at(us)
            if inside and (present is None or present[0] + EDGE < at < present[1] - EDGE):
                recorded.append(at)
        return recorded


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recording]:
    raw = tmp_path_factory.mktemp("raw")
    with running_media_server() as server:
        factory = MeetingFactory(server, server.new_app("recording-pipeline"))
        meeting = factory(topic="Recorded test")
        log = asyncio.run(record_meeting(server, meeting, raw))
        factory.close()
    yield Recording(raw, log.timeline(), log.people)


@dataclass
class Output:
    directory: Path
    files: list[Produced]
    stages: list[tuple[str, float]]
    seconds: float

    def path(self, kind: object) -> Path:
        return next(item.path for item in self.files if item.kind == kind)


@pytest.fixture(scope="module")
def output(recording: Recording, tmp_path_factory: pytest.TempPathFactory) -> Output:
    directory = tmp_path_factory.mktemp("out")
    stages: list[tuple[str, float]] = []
    started = time.monotonic()
    files = produce(
        recording.raw,
        recording.timeline,
        directory,
        OutputOptions(),
        lambda stage, done: stages.append((stage, done)),
    )
    return Output(directory, files, stages, time.monotonic() - started)


# -- the files ---------------------------------------------------------------------------


def test_the_recording_has_the_expected_raw_streams(recording: Recording) -> None:
    names = sorted(p.name for p in recording.raw.iterdir())
    audio = [n for n in names if "-audio-" in n]
    video = [n for n in names if "-video-" in n]
    # host and audio-only participant twice (before and after the pause), the guest once;
    # video: the host twice, the guest's camera and screen once each
    assert (len(audio), len(video)) == (5, 4), names


def test_every_file_is_made_with_streams_and_length_of_the_recording(
    recording: Recording, output: Output
) -> None:
    kinds = [item.kind for item in output.files]
    assert kinds == [COMPOSITE_VIDEO, AUDIO_ONLY, TIMELINE, CHAT]
    for item in output.files:
        assert item.size_bytes == item.path.stat().st_size > 0
        assert item.path.parent == output.directory
    mp4, m4a = output.path(COMPOSITE_VIDEO), output.path(AUDIO_ONLY)
    assert analysis.codecs(mp4) == [("video", "h264"), ("audio", "aac")]
    assert analysis.codecs(m4a) == [("audio", "aac")]
    recorded = recording.clock.duration
    assert 10.0 < recorded < 11.0
    assert analysis.duration(mp4) == pytest.approx(recorded, abs=0.5)
    assert analysis.duration(m4a) == pytest.approx(recorded, abs=0.5)
    assert analysis.decode_errors(mp4) == "" and analysis.decode_errors(m4a) == ""
    assert sorted(p.name for p in output.directory.iterdir()) == sorted(
        item.path.name for item in output.files
    )  # no temporary files, no work directory left


def test_processing_takes_less_than_the_meeting(recording: Recording, output: Output) -> None:
    # Measured: 3-5x faster than real time on 2 cores; this only catches gross slowness.
    assert output.seconds < recording.clock.duration


def test_progress_is_reported_stage_by_stage(output: Output) -> None:
    stages = [stage for stage, _ in output.stages]
    assert stages[0] == "start" and output.stages[-1] == ("done", 1.0)
    assert {"convert", "audio", "video"} <= set(stages)
    fractions = [done for _, done in output.stages]
    assert fractions == sorted(fractions)


# -- sound -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(output: Output) -> np.ndarray:
    return analysis.audio_samples(output.path(AUDIO_ONLY))


@pytest.mark.parametrize("name", ["Hana Host", "Otto Audio", "Gita Guest"])
def test_each_tone_is_in_the_mix_at_its_offset_and_only_while_present(
    recording: Recording, mixed: np.ndarray, name: str
) -> None:
    person = recording.people[recording.who(name)]
    heard = analysis.tone_onsets(mixed, person.spec.tone_hz)
    present = (0.0, recording.clock.duration)
    if name == "Gita Guest":  # the late joiner who leaves early
        present = (recording.first("joined", name), recording.first("left", name))
    expected = recording.judged(name, present)
    assert len(expected) >= (3 if name == "Gita Guest" else 6)
    misses = {round(t, 3): round(analysis.nearest(t, heard), 3) for t in expected}
    assert all(abs(miss) <= SYNC for miss in misses.values()), misses
    outside = [t for t in heard if not present[0] - SYNC <= t <= present[1] + SYNC]
    assert outside == [], f"{name} heard outside {present}"


def test_the_mp4_carries_the_same_sound(output: Output, mixed: np.ndarray) -> None:
    in_mp4 = analysis.audio_samples(output.path(COMPOSITE_VIDEO))
    assert analysis.tone_onsets(in_mp4, 440) == analysis.tone_onsets(mixed, 440)


# -- picture -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def frames(output: Output) -> analysis.Frames:
    return analysis.video_frames(output.path(COMPOSITE_VIDEO))


def test_every_flash_comes_with_its_beep(
    recording: Recording, output: Output, frames: analysis.Frames, mixed: np.ndarray
) -> None:
    share = (recording.first("feed-started", "Gita Guest", "screen"),)
    share += (recording.first("feed-stopped", "Gita Guest", "screen"),)
    # Right after the picture cuts to another source a flash may be under way already.
    switches = {"speaking", "stopped-speaking", "feed-started", "feed-stopped", "left"}
    changes = [recording.clock.at(e.at_us) for e in recording.timeline.events if e.kind in switches]
    cuts = [0.0, *changes, recording.clock.window(1).start]
    beeps = {hz: analysis.tone_onsets(mixed, hz) for hz in (440, 880)}
    both = sorted(beeps[440] + beeps[880])

    def judged(flash: float, in_share: bool) -> bool:
        # A beep cut short by a pause or a cut is not detected: judge neither side of a cut.
        after_cut = any(abs(flash - cut) < EDGE for cut in cuts)
        return not after_cut and (share[0] < flash < share[1]) == in_share

    # Full frame outside the share: the speaker's camera. (The screen flashes too, but its
    # frames do not start on the flash instants, so it is not a sync reference.)
    full = [f for f in analysis.flash_onsets(frames) if judged(f, in_share=False)]
    small = [f for f in analysis.flash_onsets(frames, THUMBNAIL) if judged(f, in_share=True)]
    offsets = {f: analysis.nearest(f, both) for f in full + small}
    shown = ", ".join(f"{f:.3f}: {offset * 1000:+.0f} ms" for f, offset in offsets.items())
    assert all(abs(offset) <= SYNC for offset in offsets.values()), shown
    host_flashes = [f for f in full if abs(analysis.nearest(f, beeps[440])) <= SYNC]
    guest_flashes = [f for f in full + small if abs(analysis.nearest(f, beeps[880])) <= SYNC]
    assert len(offsets) >= 4 and host_flashes and guest_flashes, shown
    assert len(small) >= 2, "the guest's camera flashes in the thumbnail during the share"


def test_the_screen_share_fills_the_frame_only_while_shared(
    recording: Recording, frames: analysis.Frames
) -> None:
    start = recording.first("feed-started", "Gita Guest", "screen")
    end = recording.first("feed-stopped", "Gita Guest", "screen")

    def directions(first: float, last: float) -> list[int]:
        """Which way the bars run in the frames from `first` to `last` (flashes left out)."""
        chosen = (frames.times >= first) & (frames.times <= last)
        shown = [frame for frame in frames.luma[chosen] if frame.mean() < FLASH]
        return [analysis.bars_direction(frame) for frame in shown]

    during = directions(start + 0.3, end - 0.1)
    assert during.count(1) >= 0.95 * len(during) > 20, during
    before, after = directions(start - 0.9, start - 0.1), directions(end + 0.2, end + 0.9)
    assert before and after and 1 not in before + after
    assert before.count(-1) >= 0.7 * len(before)  # the guest's camera, full frame


def test_an_audio_only_speaker_is_a_name_card(
    recording: Recording, frames: analysis.Frames
) -> None:
    speaking = recording.first("speaking", "Otto Audio")
    card = frames.luma[(frames.times > speaking + 0.2) & (frames.times < speaking + 1.5)]
    assert len(card) > 0
    assert all(analysis.bars_direction(frame) == 0 for frame in card)
    assert all(30 < frame.mean() < 60 for frame in card)  # dark background, white name


# -- companion files ---------------------------------------------------------------------


def test_the_timeline_file_has_the_late_joiner_and_early_leaver(
    recording: Recording, output: Output
) -> None:
    document = analysis.read_json(output.path(TIMELINE))
    guest = next(p for p in document["participants"] if p["name"] == "Gita Guest")
    joined, left = recording.first("joined", "Gita Guest"), recording.first("left", "Gita Guest")
    assert guest["present"] == [[pytest.approx(joined, abs=0.002), pytest.approx(left, abs=0.002)]]
    assert [e["event"] for e in document["events"] if e["name"] == "Gita Guest"] == [
        "joined",
        "speaking",
        "started-sharing",
        "stopped-sharing",
        "stopped-speaking",
        "left",
    ]
    assert document["duration"] == pytest.approx(recording.clock.duration, abs=0.002)


def test_the_chat_file(output: Output) -> None:
    text = output.path(CHAT).read_text()
    assert text == "00:00:05 From Gita Guest to Everyone: Can you see my screen?\n"


# -- idempotency -------------------------------------------------------------------------


def stamps(files: list[Produced]) -> dict[str, tuple[int, int]]:
    return {
        item.path.name: (item.path.stat().st_ino, item.path.stat().st_mtime_ns) for item in files
    }


def test_a_second_call_makes_nothing_and_a_lost_file_is_made_again(
    recording: Recording, output: Output
) -> None:
    before = stamps(output.files)
    again = produce(recording.raw, recording.timeline, output.directory)
    assert again == output.files
    assert stamps(again) == before

    # A crash lost the MP4 (and left a half-written temporary file behind).
    mp4 = output.path(COMPOSITE_VIDEO)
    mp4.unlink()
    (output.directory / f".{mp4.name}.part").write_bytes(b"half a file")
    redone = produce(recording.raw, recording.timeline, output.directory)
    assert [item.kind for item in redone] == [item.kind for item in output.files]
    after = stamps(redone)
    assert after.pop(mp4.name) != before.pop(mp4.name)
    assert after == before  # the others untouched
    assert analysis.decode_errors(mp4) == ""
    assert sorted(p.name for p in output.directory.iterdir()) == sorted(
        item.path.name for item in redone
    )


# -- edge cases (no media server needed) --------------------------------------------------


def bare_timeline(segments: list[Segment]) -> Timeline:
    start = segments[0].start_us if segments else 0
    joined = Event(start - 1_000_000, "joined", "p-ann")
    return Timeline("rec-bare", "m", "Bare", segments, {"p-ann": "Ann O'Neil"}, [joined])


def test_a_recording_without_recorded_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProcessingError, match="no recorded time"):
        produce(tmp_path, bare_timeline([]), tmp_path / "out")
    start = now_us()
    nothing = bare_timeline([Segment(start, start + 50_000)])
    with pytest.raises(ProcessingError, match="no recorded time"):
        produce(tmp_path, nothing, tmp_path / "out")


def test_with_nothing_recorded_the_files_are_silence_and_a_name_card(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "videoroom-1-user-2-3-video-1.mjr").write_bytes(b"MJR00002\x00\x00")
    start = now_us()
    made = produce(tmp_path / "raw", bare_timeline([Segment(start, start + 2_500_000)]), tmp_path)
    assert [item.kind for item in made] == [COMPOSITE_VIDEO, AUDIO_ONLY, TIMELINE]
    mp4, m4a = made[0].path, made[1].path
    assert analysis.duration(mp4) == pytest.approx(2.5, abs=0.1)
    assert np.abs(analysis.audio_samples(m4a)).max() == 0.0
    card = analysis.video_frames(mp4).at(1.0)
    assert analysis.bars_direction(card) == 0 and card.max() > 200  # the name, in white


def test_a_failing_tool_is_a_processing_error(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    start = now_us()
    recorded = bare_timeline([Segment(start, start + 1_000_000)])
    with pytest.raises(ProcessingError, match="ffmpeg exited with"):
        produce(tmp_path / "raw", recorded, tmp_path, OutputOptions(preset="no-such-preset"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".work", "audio_only.m4a", "raw"]
