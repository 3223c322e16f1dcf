"""The TIMELINE and CHAT companion files of a recording."""

from __future__ import annotations

import json

from ngage.recordings.timeline_file import (
    captions_vtt,
    chat_text,
    clock_text,
    polls_csv,
    timeline_document,
    timeline_text,
)
from tests.unit.test_recording_layout import (
    CAM_HOST,
    GUEST,
    HOST,
    SCREEN_GUEST,
    THIRD,
    camera,
    event,
    screen,
    timeline,
    us,
)

PAUSED = [(0.0, 10.0), (15.0, 20.0)]


def test_the_timeline_says_who_joined_left_spoke_and_shared_when() -> None:
    events = [
        event(-5, "joined", HOST),  # before the recording: present from 0, no event
        camera(-5, HOST, CAM_HOST),
        event(2, "joined", GUEST),
        event(3, "speaking", GUEST),
        screen(4, GUEST, SCREEN_GUEST),
        event(6.5, "stopped-speaking", GUEST),
        screen(8, GUEST, SCREEN_GUEST, "feed-stopped"),
        event(12, "left", GUEST),  # during the pause: at the resume instant
        event(16.25, "muted", HOST, data={"audio_muted": True, "video_muted": False}),
        event(25, "left", HOST),  # after the recording
    ]
    document = timeline_document(timeline(events, PAUSED))
    assert (document["recording_id"], document["meeting_id"], document["topic"]) == (
        "rec",
        "m",
        "t",
    )
    assert document["duration"] == 15.0
    assert [(s["start"], s["end"]) for s in document["segments"]] == [(0.0, 10.0), (10.0, 15.0)]
    assert document["segments"][1]["started_at"].endswith("Z")
    assert document["events"] == [
        {"at": 2.0, "event": "joined", "participant_id": GUEST, "name": "Gita"},
        {"at": 3.0, "event": "speaking", "participant_id": GUEST, "name": "Gita"},
        {"at": 4.0, "event": "started-sharing", "participant_id": GUEST, "name": "Gita"},
        {"at": 6.5, "event": "stopped-speaking", "participant_id": GUEST, "name": "Gita"},
        {"at": 8.0, "event": "stopped-sharing", "participant_id": GUEST, "name": "Gita"},
        {"at": 10.0, "event": "left", "participant_id": GUEST, "name": "Gita"},
    ]
    assert document["participants"] == [
        {"participant_id": HOST, "name": "Hana", "present": [[0.0, 15.0]], "speaking": [],
         "sharing": []},
        {"participant_id": GUEST, "name": "Gita", "present": [[2.0, 10.0]],
         "speaking": [[3.0, 6.5]], "sharing": [[4.0, 8.0]]},
    ]  # fmt: skip


def test_the_timeline_file_is_json() -> None:
    text = timeline_text(timeline([event(1, "joined", HOST)]))
    assert json.loads(text)["participants"][0]["present"] == [[1.0, 20.0]]
    assert text.endswith("\n")


def test_chat_lines_look_like_zoom_chat_files() -> None:
    events = [
        event(-3, "chat", HOST, data={"text": "before the recording", "to": None}),
        event(1.2, "joined", GUEST),
        event(5.9, "chat", GUEST, data={"text": "Hello everyone", "to": None}),
        event(12, "chat", HOST, data={"text": "psst", "to": GUEST}),  # in the pause
        event(18, "chat", THIRD, data={"text": "two\nlines", "to": None}),
        event(3700, "chat", HOST, data={"text": "after", "to": None}),
    ]
    assert chat_text(timeline(events, PAUSED)) == (
        "00:00:05 From Gita to Everyone: Hello everyone\n"
        "00:00:10 From Hana to Gita (Direct Message): psst\n"
        "00:00:13 From Tom to Everyone: two\n\tlines\n"
    )


def test_no_chat_no_chat_file() -> None:
    assert chat_text(timeline([event(1, "joined", HOST)])) is None


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.99, 61, 3600 + 62.5)] == [
        "00:00:00",
        "00:00:59",
        "00:01:01",
        "01:01:02",
    ]


def test_wall_times_are_kept_for_the_segments() -> None:
    document = timeline_document(timeline([], [(0.0, 1.0)]))
    assert document["segments"][0]["started_at"] == "2027-01-15T08:00:00.000Z"
    assert us(0) == 1_800_000_000_000_000


def test_captions_become_webvtt_cues() -> None:
    events = [
        event(-2, "caption", HOST, data={"text": "before the recording"}),
        event(1.5, "caption", HOST, data={"text": "Welcome, everyone"}),
        event(3.0, "caption", HOST, data={"text": "Today --> the plan"}),
        event(12, "caption", HOST, data={"text": "said in the pause"}),
    ]
    assert captions_vtt(timeline(events, PAUSED)) == (
        "WEBVTT\n\n"
        "00:00:01.500 --> 00:00:03.000\nHana: Welcome, everyone\n\n"
        "00:00:03.000 --> 00:00:07.000\nHana: Today -> the plan\n\n"
        "00:00:10.000 --> 00:00:14.000\nHana: said in the pause\n"
    )


def test_no_captions_no_cc_file() -> None:
    assert captions_vtt(timeline([event(1, "joined", HOST)])) is None


def test_polls_ended_while_recording_become_csv_rows() -> None:
    result = {
        "title": "Team day",
        "questions": [{"text": "Which day?", "kind": "single", "options": ["Mon", "Fri"]}],
        "voters": 3,
        "counts": [[1, 2]],
    }
    events = [event(4, "poll", HOST, data={"poll": result})]
    assert polls_csv(timeline(events)) == (
        "Poll,Question,Option,Votes,Voters\n"
        "Team day,Which day?,Mon,1,3\n"
        "Team day,Which day?,Fri,2,3\n"
    )
    assert polls_csv(timeline([event(1, "joined", HOST)])) is None
