"""Meeting events from the hub to one participant, and what their own connection does
about the ones that concern them (a new name or co-host role, a permission taken away).

Acting here, on the participant's own connection, keeps other connections out of it:
one participant never reaches into another's state, whichever process serves them.
"""

from __future__ import annotations

from typing import Any

from ngage.signaling import messages
from ngage.signaling.handlers.lobby import guests
from ngage.signaling.hub import Member
from ngage.signaling.participant import Participant
from ngage.signaling.rooms import MOVE, in_my_room, on_move_event

SHARE_STOPPED_TEXT = "the host does not allow participants to share their screen"


async def relay(participant: Participant) -> None:
    if participant.inbox is None:
        return
    while True:
        event = await participant.inbox.get()
        if event.get("type") == MOVE:  # a host moved people between breakout rooms
            await on_move_event(participant, event)
            continue
        if not in_my_room(participant, event):
            continue  # feeds and voices of other breakout rooms are not for this participant
        if not may_receive(participant, str(event.get("type"))):
            continue  # a role without chat or captions neither sends nor reads them
        await _react(participant, event)
        participant.send(event)


def may_receive(participant: Participant, kind: str) -> bool:
    rights = participant.rights
    if kind == "chat":
        return rights.chat
    if kind in ("caption", "captioner"):
        return rights.captions
    if kind == "question":
        return rights.questions
    if kind in ("poll", "poll-results"):
        return rights.polls
    if kind == "lobby":
        return rights.secure
    return True


async def _react(participant: Participant, event: dict[str, Any]) -> None:
    kind = event.get("type")
    if kind == "meeting-started":
        participant.waiting = False
    elif kind == "participant-updated":
        await _updated(participant, event["participant"])
    elif kind == "security" and event.get("allow_share") is False:
        await _stop_sharing(participant)


async def _updated(participant: Participant, public: dict[str, Any]) -> None:
    """Someone else renamed this participant, muted them or made them co-host."""
    if public.get("participant_id") != participant.participant_id:
        return
    was_cohost = participant.member.cohost
    participant.member = Member(**public)
    if participant.member.cohost == was_cohost:
        return
    participant.rights = participant.rights.as_cohost(participant.member.cohost)
    if participant.rights.secure:  # a new co-host sees who is waiting
        hub, meeting_id = participant.context.hub, participant.meeting_id
        participant.send(messages.message("lobby", guests=await guests(hub, meeting_id)))


async def _stop_sharing(participant: Participant) -> None:
    sharing = "screen" in participant.published or "screen" in participant.starting
    if sharing and not participant.member.hosting:
        await participant.stop_feed("screen")
        participant.send(messages.message("share-stopped", message=SHARE_STOPPED_TEXT))
