"""Breakout rooms in a live meeting: their shared state, and moving people between rooms.

The plan lives in the hub (setting `breakout`). A participant is never moved by another
participant's connection: the host's connection broadcasts a `breakout-move` event through
the hub, and each connection named in it moves itself (see `relay.relay`), so this
works the same when the participants are served by different processes.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from typing import Any

from ngage.meetings import breakout as plan
from ngage.meetings.breakout import MAIN_ROOM, Breakout, from_state
from ngage.signaling import messages
from ngage.signaling.chatlog import history, visible_to
from ngage.signaling.context import Context
from ngage.signaling.hub import MeetingHub
from ngage.signaling.participant import Participant

BREAKOUT = "breakout"
MOVE = "breakout-move"  # internal: relayed connections act on it, clients never see it
_SETTLE_SECONDS = 10.0  # how long closing waits for everyone to be back before destroying


async def load(hub: MeetingHub, meeting_id: str) -> Breakout:
    return from_state(await hub.setting(meeting_id, BREAKOUT))


async def save(hub: MeetingHub, meeting_id: str, state: Breakout) -> dict[str, Any]:
    """Store the plan; return the `breakout` message that tells everyone."""
    await hub.set_setting(meeting_id, BREAKOUT, state.public())
    return messages.message(BREAKOUT, breakout=state.public())


async def send_moves(hub: MeetingHub, meeting_id: str, moves: dict[str, int]) -> None:
    if moves:
        await hub.broadcast(meeting_id, messages.message(MOVE, moves=moves))


async def move(participant: Participant, room: int, re: str | None = None) -> None:
    """Leave this room's media and enter `room`'s: the client then publishes and watches anew."""
    context, meeting_id = participant.context, participant.meeting_id
    state = await load(context.hub, meeting_id)
    if room != MAIN_ROOM and not (state.is_open and state.has_room(room)):
        return  # the rooms closed meanwhile
    if room != participant.room:
        await _leave_media(participant)
        participant.room_name = state.name_of(room)
        participant.member = replace(participant.member, room=room)
        await context.hub.update(meeting_id, participant.member)
        update = messages.message("participant-updated", participant=participant.member.public())
        await context.hub.broadcast(meeting_id, update)
        context.events.record(meeting_id, "room-changed", participant.participant_id, room=room)
    feeds = [f.public() for f in await context.hub.feeds(meeting_id) if f.room == room]
    chat = await history(participant) if participant.rights.chat else []
    changed = messages.message(
        "room-changed", re, room=room, name=state.name_of(room), feeds=feeds, chat=chat
    )
    participant.send(changed)


async def _leave_media(participant: Participant) -> None:
    for kind in {*participant.published, *participant.starting}:
        await participant.stop_feed(kind)
    await participant.drop_link()


def in_my_room(participant: Participant, event: dict[str, Any]) -> bool:
    """Whether a hub event about feeds, voices, chat, captions or reactions concerns this
    participant's room."""
    if event.get("type") == "feed-added":
        return bool(event["feed"].get("room", MAIN_ROOM) == participant.room)
    if event.get("type") in ("feed-removed", "speaking", "caption", "reaction"):
        return bool(event.get("room", MAIN_ROOM) == participant.room)
    if event.get("type") == "chat":  # private ones arrive by send_to, already addressed
        return visible_to(event["message"], participant.participant_id, participant.room)
    return True


async def on_move_event(participant: Participant, event: dict[str, Any]) -> None:
    """A `breakout-move` from the hub: move if it names this participant."""
    room = event.get("moves", {}).get(participant.participant_id)
    if isinstance(room, int):
        async with participant.turn:
            await move(participant, room)


async def restore(participant: Participant, client_id: str | None) -> None:
    """A browser back with a new participant id (a reconnect) while the rooms are open goes
    back to the room its old id was assigned to."""
    hub, meeting_id = participant.context.hub, participant.meeting_id
    state = await load(hub, meeting_id)
    if client_id is None or state.status != "open" or not participant.rights.breakout:
        return
    client_ids: dict[str, str] = await hub.setting(meeting_id, "client_ids") or {}
    old = [p for p, c in client_ids.items() if c == client_id and state.room_of(p) != MAIN_ROOM]
    if not old or participant.participant_id in old:
        return
    room, after = state.room_of(old[0]), state
    for participant_id in old:
        after = plan.assign(after, participant_id, MAIN_ROOM)
    after = plan.assign(after, participant.participant_id, room)
    await hub.broadcast(meeting_id, await save(hub, meeting_id, after))
    await send_moves(hub, meeting_id, {participant.participant_id: room})


async def finish_closing(context: Context, meeting_id: str) -> None:
    """The countdown is over: everyone back to the main room, then the rooms go."""
    state = await load(context.hub, meeting_id)
    if state.status != "closing":
        return
    await context.hub.broadcast(meeting_id, await save(context.hub, meeting_id, Breakout()))
    members = await context.hub.members(meeting_id)
    away = {m.participant_id: MAIN_ROOM for m in members if m.room != MAIN_ROOM}
    await send_moves(context.hub, meeting_id, away)
    await _settle(context, meeting_id)
    await context.close_breakout_rooms(meeting_id, [room.room for room in state.rooms])


async def _settle(context: Context, meeting_id: str) -> None:
    """Until nobody is in a breakout room (bounded): destroying a room people are still
    in would hang up their streams while their connection moves them."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_SETTLE_SECONDS):
            while any(m.room != MAIN_ROOM for m in await context.hub.members(meeting_id)):
                await asyncio.sleep(0.2)
