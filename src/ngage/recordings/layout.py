"""Where everything sits in a recording's output: the clock that cuts out pauses, where each
converted stream starts, and who fills the frame when (the speaker view).

Times in a Timeline are wall-clock microseconds; everything here returns output seconds,
where 0 is the start of the first segment and paused time is cut out (an instant inside a
pause maps to the moment recording resumed).

The speaker view: while someone shares a screen the latest share fills the frame and the
active speaker is a thumbnail; otherwise the active speaker fills the frame. The active
speaker is the latest to start speaking among those still speaking, else the last one who
spoke and is still present, else (before anyone spoke) the first present participant with
a camera, else the first present participant. Without a camera (or with it muted) a
participant is shown as a name card.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ngage.recordings.mjr import Media
from ngage.recordings.timeline import Event, Segment, Timeline

Source = Literal["camera", "screen", "card"]
MIN_SHOT = 1.0  # seconds: a speaker shown for less is not cut to
_US = 1_000_000


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


class OutputClock:
    """Maps wall-clock microseconds to output seconds through the recording's segments."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        if not segments:
            raise ValueError("a recording needs at least one segment")
        self.segments = sorted(segments, key=lambda segment: segment.start_us)
        self._offsets: list[float] = []
        total = 0.0
        for segment in self.segments:
            self._offsets.append(total)
            total += max(segment.end_us - segment.start_us, 0) / _US
        self.duration = total

    def at(self, wall_us: float) -> float:
        """Output seconds of a wall-clock instant (pauses collapse onto the resume)."""
        for segment, offset in zip(self.segments, self._offsets, strict=True):
            if wall_us <= segment.start_us:
                return offset
            if wall_us <= segment.end_us:
                return offset + (wall_us - segment.start_us) / _US
        return self.duration

    def segment_of(self, wall_us: int) -> int | None:
        """The segment an instant belongs to: the one holding it, else the next one (a file
        Janus opened just before the recorded start); None after the last."""
        for index, segment in enumerate(self.segments):
            if wall_us <= segment.end_us:
                return index
        return None

    def window(self, index: int) -> Span:
        """A segment's stretch of output time."""
        segment, offset = self.segments[index], self._offsets[index]
        return Span(offset, offset + (segment.end_us - segment.start_us) / _US)


@dataclass(frozen=True)
class Stream:
    """A converted recording: its file, feed and media, and the wall-clock time of its
    time 0 (see `mjr.media_start_us`)."""

    path: Path
    feed: int
    media: Media
    start_us: int


@dataclass(frozen=True)
class Placement:
    """Where a stream goes: its time 0 lands at output `offset`; only `window` is kept."""

    stream: Stream
    offset: float
    window: Span

    @property
    def begin(self) -> float:
        """Output time of the first kept instant."""
        return max(self.offset, self.window.start)

    @property
    def skip(self) -> float:
        """Seconds cut from the stream's start (what Janus caught before the segment)."""
        return max(self.window.start - self.offset, 0.0)


def place(clock: OutputClock, streams: Iterable[Stream]) -> list[Placement]:
    """Each stream on the output timeline; streams that start after the recording are left out."""
    placed = []
    for stream in streams:
        index = clock.segment_of(stream.start_us)
        if index is None:
            continue
        window, segment = clock.window(index), clock.segments[index]
        offset = window.start + (stream.start_us - segment.start_us) / _US
        placed.append(Placement(stream, offset, window))
    return placed


@dataclass(frozen=True)
class Tile:
    """What one area of the frame shows: a participant's camera, screen, or name card."""

    participant_id: str
    source: Source
    feed: int | None = None


@dataclass(frozen=True)
class Shot:
    start: float
    end: float
    tile: Tile


@dataclass(frozen=True)
class Layout:
    """The speaker view over the output: the full frame and the thumbnail, shot by shot."""

    duration: float
    main: list[Shot]
    thumbnail: list[Shot]

    def spans(self, feed: int, thumbnail: bool = False) -> list[Span]:
        """When `feed` is on screen (full frame, or as the thumbnail)."""
        shots = self.thumbnail if thumbnail else self.main
        return [Span(s.start, s.end) for s in shots if s.tile.feed == feed]

    def cards(self, participant_id: str, thumbnail: bool = False) -> list[Span]:
        """When `participant_id` fills an area as a camera or a name card (the card is drawn
        under the camera, so it shows wherever the video has no frame yet)."""
        shots = self.thumbnail if thumbnail else self.main
        tiles = [s for s in shots if s.tile.participant_id == participant_id]
        return [Span(s.start, s.end) for s in tiles if s.tile.source != "screen"]


@dataclass
class _Room:
    """Who is in the meeting, speaking, on camera and sharing, as the events go by."""

    video_feeds: frozenset[int]
    present: list[str] = field(default_factory=list)
    speaking: list[str] = field(default_factory=list)
    spoke: list[str] = field(default_factory=list)
    cameras: dict[str, list[int]] = field(default_factory=dict)
    shares: list[tuple[str, int]] = field(default_factory=list)
    video_muted: set[str] = field(default_factory=set)

    def apply(self, event: Event) -> None:
        handler = getattr(self, "_on_" + event.kind.replace("-", "_"), None)
        if handler is not None:
            handler(event)

    def _on_joined(self, event: Event) -> None:
        if event.participant_id not in self.present:
            self.present.append(event.participant_id)

    def _on_left(self, event: Event) -> None:
        who = event.participant_id
        self.present = [p for p in self.present if p != who]
        self._on_stopped_speaking(event)
        self.cameras.pop(who, None)
        self.shares = [share for share in self.shares if share[0] != who]

    def _on_speaking(self, event: Event) -> None:
        who = event.participant_id
        self.speaking = [p for p in self.speaking if p != who] + [who]
        self._spoke(who)

    def _on_stopped_speaking(self, event: Event) -> None:
        self.speaking = [p for p in self.speaking if p != event.participant_id]
        if self.speaking and self.spoke and self.spoke[-1] == event.participant_id:
            self._spoke(self.speaking[-1])  # who still talks takes over

    def _spoke(self, who: str) -> None:
        """`who` is now the active speaker: last in `spoke`, the order the view falls back on."""
        self.spoke = [p for p in self.spoke if p != who] + [who]

    def _on_feed_started(self, event: Event) -> None:
        if event.feed is None or event.feed not in self.video_feeds:
            return
        if event.feed_kind == "screen":
            self.shares.append((event.participant_id, event.feed))
        else:
            self.cameras.setdefault(event.participant_id, []).append(event.feed)

    def _on_feed_stopped(self, event: Event) -> None:
        self.shares = [share for share in self.shares if share[1] != event.feed]
        for feeds in self.cameras.values():
            if event.feed in feeds:
                feeds.remove(event.feed)

    def _on_muted(self, event: Event) -> None:
        muted = event.data.get("video_muted")
        if muted is True:
            self.video_muted.add(event.participant_id)
        elif muted is False:
            self.video_muted.discard(event.participant_id)

    def speaker(self) -> str | None:
        for candidates in (self.speaking, self.spoke):
            for who in reversed(candidates):
                if who in self.present:
                    return who
        with_camera = [who for who in self.present if self.camera(who) is not None]
        first: list[str | None] = [*with_camera, *self.present, None]
        return first[0]

    def camera(self, who: str) -> int | None:
        feeds = self.cameras.get(who)
        return feeds[-1] if feeds and who not in self.video_muted else None

    def tile(self, who: str) -> Tile:
        feed = self.camera(who)
        return Tile(who, "card") if feed is None else Tile(who, "camera", feed)

    def view(self) -> tuple[Tile | None, Tile | None]:
        """(full frame, thumbnail) right now."""
        speaker = self.speaker()
        shares = [share for share in self.shares if share[0] in self.present]
        if shares:
            who, feed = shares[-1]
            return Tile(who, "screen", feed), None if speaker is None else self.tile(speaker)
        return None if speaker is None else self.tile(speaker), None


def _ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: event.at_us)


def _present_from_start(events: list[Event]) -> list[str]:
    """Participants whose first event is not `joined`: they were there before the log began."""
    first: dict[str, str] = {}
    for event in events:
        first.setdefault(event.participant_id, event.kind)
    return [who for who, kind in first.items() if kind != "joined"]


def plan(timeline: Timeline, placements: Sequence[Placement], min_shot: float = MIN_SHOT) -> Layout:
    """The speaker view of a recording, given where its converted streams were placed.

    A speaker shown for less than `min_shot` seconds between two speaker shots is not
    cut to (the previous shot goes on): crosstalk does not make the picture flicker."""
    clock = OutputClock(timeline.segments)
    video = frozenset(p.stream.feed for p in placements if p.stream.media == "video")
    events = _ordered(timeline.events)
    room = _Room(video, present=_present_from_start(events))
    changes: list[tuple[float, tuple[Tile | None, Tile | None]]] = [(0.0, room.view())]
    for index, event in enumerate(events):
        room.apply(event)
        if index + 1 == len(events) or events[index + 1].at_us != event.at_us:
            changes.append((clock.at(event.at_us), room.view()))
    main = _steady(_shots([(at, view[0]) for at, view in changes], clock.duration), min_shot)
    thumbnail = _shots([(at, view[1]) for at, view in changes], clock.duration)
    return Layout(clock.duration, main, _steady(thumbnail, min_shot))


def _shots(changes: list[tuple[float, Tile | None]], duration: float) -> list[Shot]:
    """Consecutive (instant, tile) changes as shots, merged where the tile stays the same."""
    shots: list[Shot] = []
    for (start, tile), (end, _) in zip(changes, [*changes[1:], (duration, None)], strict=True):
        if tile is None or end <= start:
            continue
        if shots and shots[-1].tile == tile and shots[-1].end >= start:
            shots[-1] = Shot(shots[-1].start, end, tile)
        else:
            shots.append(Shot(start, end, tile))
    return shots


def _steady(shots: list[Shot], min_shot: float) -> list[Shot]:
    """Short speaker shots folded into the speaker shot before them (screens stay exact)."""
    kept: list[Shot] = []
    for shot in shots:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.end == shot.start
            and previous.tile.source != "screen"
            and (shot.tile.source != "screen" and shot.end - shot.start < min_shot)
        ):
            kept[-1] = Shot(previous.start, shot.end, previous.tile)
        elif previous is not None and previous.tile == shot.tile and previous.end == shot.start:
            kept[-1] = Shot(previous.start, shot.end, shot.tile)
        else:
            kept.append(shot)
    return kept


@dataclass(frozen=True)
class Activity:
    """One participant's stretches of output time: in the meeting, speaking, sharing."""

    present: list[Span]
    speaking: list[Span]
    sharing: list[Span]


def _is_share(event: Event) -> bool:
    return event.feed_kind == "screen"


def _stretches(
    events: list[Event], opens: set[str], closes: set[str], open_at_start: bool = False
) -> list[tuple[int | None, int | None]]:
    """(start, end) wall times between opening and closing events (None: open-ended)."""
    found: list[tuple[int | None, int | None]] = []
    started: int | None = None
    is_open = open_at_start
    for event in events:
        if event.kind in opens and not is_open:
            started, is_open = event.at_us, True
        elif event.kind in closes and is_open:
            found.append((started, event.at_us))
            started, is_open = None, False
    return [*found, (started, None)] if is_open else found


def _output_spans(clock: OutputClock, stretches: list[tuple[int | None, int | None]]) -> list[Span]:
    spans = []
    for start, end in stretches:
        span = Span(
            0.0 if start is None else clock.at(start),
            clock.duration if end is None else clock.at(end),
        )
        if span.length > 0:
            spans.append(span)
    return spans


def activity(timeline: Timeline) -> dict[str, Activity]:
    """Per participant (in order of first appearance), when they were present, spoke and
    shared a screen, in output seconds."""
    clock = OutputClock(timeline.segments)
    events = _ordered(timeline.events)
    early = set(_present_from_start(events))
    found = {}
    for who in dict.fromkeys(event.participant_id for event in events):
        own = [event for event in events if event.participant_id == who]
        shares = [event for event in own if _is_share(event) or event.kind == "left"]
        found[who] = Activity(
            present=_output_spans(clock, _stretches(own, {"joined"}, {"left"}, who in early)),
            speaking=_output_spans(
                clock, _stretches(own, {"speaking"}, {"stopped-speaking", "left"})
            ),
            sharing=_output_spans(
                clock, _stretches(shares, {"feed-started"}, {"feed-stopped", "left"})
            ),
        )
    return found
