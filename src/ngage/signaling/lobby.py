"""The guest's side of the waiting room: held until a host lets them in (or not).

A guest is not a member: they see nobody and nobody's media, and their socket
answers only `ping` and `leave` until the host decides.
"""

from __future__ import annotations

import asyncio
import contextlib

from ngage.errors import AdmissionDenied, MeetingEnded
from ngage.signaling import messages
from ngage.signaling.context import Context
from ngage.signaling.handlers import lobby
from ngage.signaling.hub import Inbox, Member
from ngage.signaling.messages import Leave, Ping, ProtocolError
from ngage.signaling.socket import Socket

WAITING_ROOM_TEXT = "Please wait: the host will let you in soon"


async def hold(context: Context, socket: Socket, meeting_id: str, guest: Member) -> bool:
    """True once a host admits the guest; False when they left; AdmissionDenied, MeetingEnded."""
    hub = context.hub
    inbox = await hub.enter_lobby(meeting_id, guest)
    try:
        held = messages.message("waiting-room", message=WAITING_ROOM_TEXT)
        await socket.send(messages.encode(held))
        await lobby.announce(hub, meeting_id)
        decision = await _decision(inbox, socket)
    finally:
        await hub.leave_lobby(meeting_id, guest.participant_id)
        await lobby.announce(hub, meeting_id)
    if decision == "deny":
        raise AdmissionDenied("the host did not let you into this meeting")
    if decision == "ended":
        raise MeetingEnded()
    return decision == "admit"


async def _decision(inbox: Inbox, socket: Socket) -> str:
    """The host's decision, or "left" when the guest goes first."""
    waits = [asyncio.create_task(_decided(inbox)), asyncio.create_task(_until_gone(socket))]
    try:
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        return done.pop().result()
    finally:
        for task in waits:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*waits, return_exceptions=True)


async def _decided(inbox: Inbox) -> str:
    return str((await inbox.get()).get("decision"))


async def _until_gone(socket: Socket) -> str:
    while (frame := await socket.receive()) is not None:
        try:
            message = messages.parse(frame)
        except ProtocolError as error:
            await socket.send(messages.encode(messages.error("bad-message", error.describe())))
            continue
        if isinstance(message, Leave):
            break
        if isinstance(message, Ping):
            await socket.send(messages.encode(messages.message("pong", message.id)))
            continue
        text = "you are in the waiting room until the host lets you in"
        await socket.send(messages.encode(messages.error("waiting", text, message.id)))
    return "left"
