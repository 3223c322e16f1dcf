"""One handler per client message type (`join` is handled by `ngage.signaling.admission`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ngage.signaling.handlers import (
    breakout,
    callout,
    captions,
    chat,
    lobby,
    media,
    moderation,
    people,
    polls,
    presence,
    questions,
    security,
)
from ngage.signaling.participant import Participant

Handler = Callable[[Participant, Any], Awaitable[None]]

HANDLERS: dict[str, Handler] = {
    "publish": media.publish,
    "unpublish": media.unpublish,
    "watch": media.watch,
    "answer": media.answer,
    "unwatch": media.unwatch,
    "trickle": media.trickle,
    "mute": presence.mute,
    "record": presence.record,
    "chat": chat.chat,
    "hand": presence.hand,
    "reaction": presence.reaction,
    "moderate": moderation.moderate,
    "caption": captions.caption,
    "captioner": captions.captioner,
    "security": security.security,
    "remove": security.remove,
    "admit": lobby.admit,
    "rename": people.rename,
    "cohost": people.cohost,
    "ask": questions.ask,
    "vote": questions.vote,
    "question": questions.host_action,
    "poll": polls.poll,
    "call-out": callout.call_out,
    "breakout": breakout.breakout,
    "end": presence.end,
    "leave": presence.leave,
    "ping": presence.ping,
}

# What a participant may send while waiting for the host to start the meeting: nothing that
# reaches others or the meeting's state, as in Zoom's "waiting for the host" screen.
BEFORE_THE_HOST = frozenset({"mute", "unpublish", "unwatch", "trickle", "leave", "ping"})
