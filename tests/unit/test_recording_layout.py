"""The recording's output clock, stream placement and speaker view (pure span maths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ngage.recordings.layout import (
    Activity,
    OutputClock,
    Placement,
    Shot,
    Span,
    Stream,
    Tile,
    activity,
    place,
    plan,
)
from ngage.recordings.timeline import Event, Segment, Timeline

T0 = 1_800_000_000_000_000  # wall-clock microseconds
HOST, GUEST, THIRD = "p-host", "p-guest", "p-third"
CAM_HOST, CAM_GUEST, SCREEN_GUEST = 11, 22, 23


def us(seconds: float) -> int:
    return T0 + round(seconds * 1_000_000)


def event(at: float, kind: str, who: str, **fields: Any) -> Event:
    return Event(us(at), kind, who, **fields)  # type: ignore[arg-type]


def camera(at: float, who: str, feed: int, kind: str = "feed-started") -> Event:
    return event(at, kind, who, feed=feed, feed_kind="camera")


def both_on_camera() -> list[Event]:
    """Host and guest in the meeting with their cameras on, before the recording starts."""
    return [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(-5, "joined", GUEST),
        camera(-5, GUEST, CAM_GUEST),
    ]


def screen(at: float, who: str, feed: int, kind: str = "feed-started") -> Event:
    return event(at, kind, who, feed=feed, feed_kind="screen")


def timeline(events: list[Event], segments: list[tuple[float, float]] | None = None) -> Timeline:
    spans = segments or [(0.0, 20.0)]
    return Timeline(
        recording_id="rec",
        meeting_id="m",
        topic="t",
        segments=[Segment(us(a), us(b)) for a, b in spans],
        names={HOST: "Hana", GUEST: "Gita", THIRD: "Tom"},
        events=events,
    )


def videos(*feeds: int) -> list[Placement]:
    """Placements saying these feeds have video (where they sit does not matter here)."""
    return [
        Placement(Stream(Path(f"{feed}.mkv"), feed, "video", us(0)), 0.0, Span(0.0, 20.0))
        for feed in feeds
    ]


def cut(shots: list[Shot]) -> list[tuple[float, float, str, str]]:
    return [
        (round(s.start, 3), round(s.end, 3), s.tile.participant_id, s.tile.source) for s in shots
    ]


# -- the output clock --------------------------------------------------------------------

PAUSED = [(0.0, 10.0), (15.0, 20.0)]  # 5 s of pause cut out: 15 s recorded


def test_the_clock_cuts_out_pauses() -> None:
    clock = OutputClock([Segment(us(a), us(b)) for a, b in PAUSED])
    assert clock.duration == pytest.approx(15.0)
    assert clock.at(us(4.0)) == pytest.approx(4.0)
    assert clock.at(us(12.0)) == pytest.approx(10.0)  # inside the pause: the resume instant
    assert clock.at(us(16.5)) == pytest.approx(11.5)
    assert clock.at(us(-3.0)) == 0.0
    assert clock.at(us(30.0)) == pytest.approx(15.0)
    assert clock.window(1) == Span(10.0, 15.0)


def test_segments_are_taken_in_time_order() -> None:
    clock = OutputClock([Segment(us(15), us(20)), Segment(us(0), us(10))])
    assert clock.at(us(16)) == pytest.approx(11.0)


def test_a_recording_needs_a_segment() -> None:
    with pytest.raises(ValueError, match="segment"):
        OutputClock([])


def test_streams_are_placed_at_their_first_packet_through_pauses() -> None:
    clock = OutputClock([Segment(us(a), us(b)) for a, b in PAUSED])
    late = Stream(Path("late.opus"), 1, "audio", us(2.5))
    early = Stream(Path("early.opus"), 1, "audio", us(14.998))  # opened just before resuming
    after = Stream(Path("after.opus"), 1, "audio", us(20.5))
    placed = {p.stream.path.name: p for p in place(clock, [late, early, after])}
    assert set(placed) == {"late.opus", "early.opus"}
    assert (placed["late.opus"].offset, placed["late.opus"].skip) == (pytest.approx(2.5), 0.0)
    assert placed["late.opus"].window == Span(0.0, 10.0)
    resumed = placed["early.opus"]
    assert resumed.offset == pytest.approx(9.998)
    assert resumed.begin == pytest.approx(10.0) and resumed.skip == pytest.approx(0.002)
    assert resumed.window == Span(10.0, 15.0)


# -- the speaker view --------------------------------------------------------------------


def test_a_lone_host_fills_the_whole_recording() -> None:
    events = [event(-5, "joined", HOST), camera(-4, HOST, CAM_HOST)]
    layout = plan(timeline(events), videos(CAM_HOST))
    assert cut(layout.main) == [(0.0, 20.0, HOST, "camera")]
    assert layout.main[0].tile == Tile(HOST, "camera", CAM_HOST)
    assert layout.thumbnail == []


def test_before_anyone_speaks_the_first_participant_with_a_camera_is_shown() -> None:
    events = [
        event(-5, "joined", HOST),  # no camera: audio only
        event(-4, "joined", GUEST),
        camera(-4, GUEST, CAM_GUEST),
        event(3, "joined", THIRD),
    ]
    assert cut(plan(timeline(events), videos(CAM_GUEST)).main) == [(0.0, 20.0, GUEST, "camera")]


def test_without_any_camera_the_first_present_participant_is_a_name_card() -> None:
    events = [event(-5, "joined", HOST), event(-4, "joined", GUEST)]
    layout = plan(timeline(events), [])
    assert cut(layout.main) == [(0.0, 20.0, HOST, "card")]
    assert layout.cards(HOST) == [Span(0.0, 20.0)]


def test_a_feed_without_video_does_not_count_as_a_camera() -> None:
    events = [event(-5, "joined", HOST), camera(-5, HOST, CAM_HOST), event(-4, "joined", GUEST)]
    events.append(camera(-4, GUEST, CAM_GUEST))
    assert cut(plan(timeline(events), videos(CAM_GUEST)).main)[0][2] == GUEST


def test_the_speaker_fills_the_frame_and_stays_after_falling_silent() -> None:
    events = [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(2, "joined", GUEST),  # late joiner
        camera(2.1, GUEST, CAM_GUEST),
        event(4, "speaking", GUEST),
        event(6, "stopped-speaking", GUEST),
        event(9, "speaking", HOST),
        event(10, "stopped-speaking", HOST),
    ]
    layout = plan(timeline(events), videos(CAM_HOST, CAM_GUEST))
    assert cut(layout.main) == [
        (0.0, 4.0, HOST, "camera"),
        (4.0, 9.0, GUEST, "camera"),
        (9.0, 20.0, HOST, "camera"),
    ]
    assert layout.spans(CAM_GUEST) == [Span(4.0, 9.0)]


def test_overlapping_speech_shows_the_latest_then_the_one_still_speaking() -> None:
    events = [
        *both_on_camera(),
        event(2, "speaking", HOST),
        event(5, "speaking", GUEST),  # talks over the host
        event(8, "stopped-speaking", GUEST),  # the host is still talking
        event(12, "stopped-speaking", HOST),
    ]
    layout = plan(timeline(events), videos(CAM_HOST, CAM_GUEST))
    assert cut(layout.main) == [
        (0.0, 5.0, HOST, "camera"),
        (5.0, 8.0, GUEST, "camera"),
        (8.0, 20.0, HOST, "camera"),
    ]


def test_when_the_speaker_leaves_the_previous_speaker_returns() -> None:
    events = [
        *both_on_camera(),
        event(1, "speaking", HOST),
        event(2, "stopped-speaking", HOST),
        event(3, "speaking", GUEST),
        event(7, "left", GUEST),  # early leaver, mid-sentence
    ]
    layout = plan(timeline(events), videos(CAM_HOST, CAM_GUEST))
    assert cut(layout.main) == [(0.0, 3.0, HOST, "camera"), (3.0, 7.0, GUEST, "camera")] + [
        (7.0, 20.0, HOST, "camera")
    ]


def test_a_screen_share_fills_the_frame_with_the_speaker_as_thumbnail() -> None:
    events = [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(1, "joined", GUEST),
        camera(1, GUEST, CAM_GUEST),
        event(2, "speaking", GUEST),
        screen(4, GUEST, SCREEN_GUEST),
        event(6, "speaking", HOST),
        screen(9, GUEST, SCREEN_GUEST, "feed-stopped"),
    ]
    layout = plan(timeline(events), videos(CAM_HOST, CAM_GUEST, SCREEN_GUEST))
    assert cut(layout.main) == [
        (0.0, 2.0, HOST, "camera"),
        (2.0, 4.0, GUEST, "camera"),
        (4.0, 9.0, GUEST, "screen"),
        (9.0, 20.0, HOST, "camera"),
    ]
    assert cut(layout.thumbnail) == [(4.0, 6.0, GUEST, "camera"), (6.0, 9.0, HOST, "camera")]
    assert layout.spans(SCREEN_GUEST) == [Span(4.0, 9.0)]
    assert layout.spans(CAM_HOST, thumbnail=True) == [Span(6.0, 9.0)]


def test_a_share_ends_when_its_owner_leaves() -> None:
    events = [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(-5, "joined", GUEST),
        screen(3, GUEST, SCREEN_GUEST),
        event(8, "left", GUEST),
    ]
    layout = plan(timeline(events), videos(CAM_HOST, SCREEN_GUEST))
    assert cut(layout.main) == [
        (0.0, 3.0, HOST, "camera"),
        (3.0, 8.0, GUEST, "screen"),
        (8.0, 20.0, HOST, "camera"),
    ]


def test_a_muted_or_stopped_camera_becomes_a_name_card() -> None:
    events = [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(3, "muted", HOST, data={"audio_muted": False, "video_muted": True}),
        event(6, "muted", HOST, data={"audio_muted": False, "video_muted": False}),
        camera(12, HOST, CAM_HOST, "feed-stopped"),
    ]
    layout = plan(timeline(events), videos(CAM_HOST))
    assert cut(layout.main) == [
        (0.0, 3.0, HOST, "camera"),
        (3.0, 6.0, HOST, "card"),
        (6.0, 12.0, HOST, "camera"),
        (12.0, 20.0, HOST, "card"),
    ]
    assert layout.cards(HOST) == [Span(0, 3), Span(3, 6), Span(6, 12), Span(12, 20)]


def test_paused_time_is_cut_out_of_the_shots() -> None:
    events = [
        *both_on_camera(),
        event(4, "speaking", GUEST),
        event(12, "speaking", HOST),  # during the pause: shown from the resume on
    ]
    layout = plan(timeline(events, PAUSED), videos(CAM_HOST, CAM_GUEST))
    assert layout.duration == pytest.approx(15.0)
    assert cut(layout.main) == [
        (0.0, 4.0, HOST, "camera"),
        (4.0, 10.0, GUEST, "camera"),
        (10.0, 15.0, HOST, "camera"),
    ]


def test_a_brief_interjection_does_not_cut_the_picture() -> None:
    events = [
        *both_on_camera(),
        event(2, "speaking", HOST),
        event(5, "speaking", GUEST),
        event(5.4, "speaking", HOST),  # the guest said "yes" for 0.4 s
        event(9, "speaking", GUEST),
    ]
    layout = plan(timeline(events), videos(CAM_HOST, CAM_GUEST))
    assert cut(layout.main) == [(0.0, 9.0, HOST, "camera"), (9.0, 20.0, GUEST, "camera")]
    exact = plan(timeline(events), videos(CAM_HOST, CAM_GUEST), min_shot=0.0)
    assert len(exact.main) == 4


def test_nobody_present_leaves_the_frame_empty() -> None:
    events = [event(5, "joined", HOST), camera(5, HOST, CAM_HOST), event(8, "left", HOST)]
    assert cut(plan(timeline(events), videos(CAM_HOST)).main) == [(5.0, 8.0, HOST, "camera")]


# -- activity ----------------------------------------------------------------------------


def test_activity_of_a_late_joiner_an_early_leaver_and_someone_already_there() -> None:
    events = [
        camera(-5, HOST, CAM_HOST),  # the log began after the host joined
        event(2, "joined", GUEST),
        event(3, "speaking", GUEST),
        screen(4, GUEST, SCREEN_GUEST),
        event(12, "left", GUEST),  # in the pause: leaves at the resume instant
        event(17, "joined", THIRD),
        event(18, "speaking", THIRD),
    ]
    found = activity(timeline(events, PAUSED))
    assert list(found) == [HOST, GUEST, THIRD]
    assert found[HOST] == Activity([Span(0.0, 15.0)], [], [])
    assert found[GUEST] == Activity([Span(2.0, 10.0)], [Span(3.0, 10.0)], [Span(4.0, 10.0)])
    assert found[THIRD] == Activity([Span(12.0, 15.0)], [Span(13.0, 15.0)], [])


def test_activity_rejoining_gives_two_stretches() -> None:
    events = [
        event(1, "joined", GUEST),
        event(3, "left", GUEST),
        event(5, "joined", GUEST),
        event(7, "left", GUEST),
    ]
    assert activity(timeline(events))[GUEST].present == [Span(1.0, 3.0), Span(5.0, 7.0)]
