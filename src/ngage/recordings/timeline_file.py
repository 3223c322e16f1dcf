"""The companion files of a recording, as text (pure): the TIMELINE JSON and the CHAT TXT.

Times are seconds of the recording's output (pauses cut out), like the MP4's. Events
from before the recording started or after it stopped are left out; an event during a
pause is placed at the moment recording resumed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from ngage.recordings.layout import OutputClock, Span, activity
from ngage.recordings.timeline import Event, Timeline

_SHARE_EVENTS = {"feed-started": "started-sharing", "feed-stopped": "stopped-sharing"}
_PLAIN_EVENTS = {"joined", "left", "speaking", "stopped-speaking"}


def _seconds(value: float) -> float:
    return round(value, 3)


def _pairs(spans: list[Span]) -> list[list[float]]:
    return [[_seconds(span.start), _seconds(span.end)] for span in spans]


def _iso(wall_us: int) -> str:
    moment = datetime.fromtimestamp(wall_us / 1_000_000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _recorded(clock: OutputClock, events: list[Event]) -> list[Event]:
    first, last = clock.segments[0].start_us, clock.segments[-1].end_us
    ordered = sorted(events, key=lambda event: event.at_us)
    return [event for event in ordered if first <= event.at_us <= last]


def _event_name(event: Event) -> str | None:
    if event.kind in _PLAIN_EVENTS:
        return event.kind
    if event.feed_kind == "screen":
        return _SHARE_EVENTS.get(event.kind)
    return None


def timeline_document(timeline: Timeline) -> dict[str, Any]:
    """Who joined, left, spoke and shared when, for the TIMELINE file."""
    clock = OutputClock(timeline.segments)
    names = timeline.names
    events = []
    for event in _recorded(clock, timeline.events):
        if (name := _event_name(event)) is not None:
            who = event.participant_id
            at = _seconds(clock.at(event.at_us))
            events.append({"at": at, "event": name, "participant_id": who, "name": names.get(who)})
    segments = [
        {"start": _seconds(span.start), "end": _seconds(span.end), "started_at": _iso(s.start_us),
         "ended_at": _iso(s.end_us)}
        for s, span in ((s, clock.window(i)) for i, s in enumerate(clock.segments))
    ]  # fmt: skip
    participants = [
        {"participant_id": who, "name": names.get(who), "present": _pairs(found.present),
         "speaking": _pairs(found.speaking), "sharing": _pairs(found.sharing)}
        for who, found in activity(timeline).items()
    ]  # fmt: skip
    return {
        "recording_id": timeline.recording_id,
        "meeting_id": timeline.meeting_id,
        "topic": timeline.topic,
        "duration": _seconds(clock.duration),
        "segments": segments,
        "participants": participants,
        "events": events,
    }


def timeline_text(timeline: Timeline) -> str:
    return json.dumps(timeline_document(timeline), indent=1, ensure_ascii=False) + "\n"


def clock_text(seconds: float) -> str:
    """HH:MM:SS of a whole number of seconds (rounded down)."""
    whole = int(max(seconds, 0))
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _chat_line(event: Event, at: float, names: dict[str, str]) -> str:
    sender = names.get(event.participant_id, "Unknown")
    to = event.data.get("to")
    audience = "Everyone" if not to else f"{names.get(str(to), 'Unknown')} (Direct Message)"
    lines = str(event.data.get("text", "")).replace("\r\n", "\n").split("\n")
    return f"{clock_text(at)} From {sender} to {audience}: " + "\n\t".join(lines)


def chat_text(timeline: Timeline) -> str | None:
    """The chat as Zoom writes it (`HH:MM:SS From <name> to Everyone: <text>`), one message
    a line (continuation lines indented by a tab); None when nobody chatted."""
    clock = OutputClock(timeline.segments)
    chats = [event for event in _recorded(clock, timeline.events) if event.kind == "chat"]
    if not chats:
        return None
    return "".join(_chat_line(e, clock.at(e.at_us), timeline.names) + "\n" for e in chats)


CUE_SECONDS = 4.0  # a caption stays up this long unless the next one replaces it


def _vtt_time(seconds: float) -> str:
    millis = int(round(max(seconds, 0) * 1000))
    hours, minutes = millis // 3_600_000, millis // 60_000 % 60
    return f"{hours:02d}:{minutes:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def captions_vtt(timeline: Timeline) -> str | None:
    """The captions as WebVTT cues (`Name: text`); None when nobody typed captions."""
    clock = OutputClock(timeline.segments)
    captions = [e for e in _recorded(clock, timeline.events) if e.kind == "caption"]
    if not captions:
        return None
    starts = [clock.at(e.at_us) for e in captions]
    cues = ["WEBVTT", ""]
    for index, event in enumerate(captions):
        end = min(starts[index] + CUE_SECONDS, clock.duration)
        if index + 1 < len(captions):
            end = min(end, starts[index + 1])
        text = str(event.data.get("text", "")).replace("-->", "->")
        name = timeline.names.get(event.participant_id, "Unknown")
        cues += [f"{_vtt_time(starts[index])} --> {_vtt_time(max(end, starts[index]))}",
                 f"{name}: {text}", ""]  # fmt: skip
    return "\n".join(cues)


def polls_csv(timeline: Timeline) -> str | None:
    """Results of the polls ended during the recording, one row per option; None if none."""
    clock = OutputClock(timeline.segments)
    ended = [e for e in _recorded(clock, timeline.events) if e.kind == "poll"]
    if not ended:
        return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Poll", "Question", "Option", "Votes", "Voters"])
    for event in ended:
        poll = event.data.get("poll", {})
        for question, counts in zip(
            poll.get("questions", []), poll.get("counts", []), strict=False
        ):
            for option, votes in zip(question.get("options", []), counts, strict=False):
                writer.writerow([poll.get("title", ""), question.get("text", ""), option, votes,
                                 poll.get("voters", 0)])  # fmt: skip
    return out.getvalue()
