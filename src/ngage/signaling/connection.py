"""Serving one participant's WebSocket: join first, then one handler per message.

Transport-neutral: the HTTP layer adapts its WebSocket to `Socket`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ngage.errors import NgageError
from ngage.signaling import lobby, messages
from ngage.signaling.admission import admit, arrive
from ngage.signaling.context import Context
from ngage.signaling.departure import depart
from ngage.signaling.errors import (
    CLOSE_MEETING_ENDED,
    CLOSE_NORMAL,
    CLOSE_REMOVED,
    close_code_before_join,
    error_code,
)
from ngage.signaling.handlers import BEFORE_THE_HOST, HANDLERS
from ngage.signaling.handlers.security import must_wait
from ngage.signaling.messages import Join, ProtocolError
from ngage.signaling.participant import Participant
from ngage.signaling.relay import relay
from ngage.signaling.socket import Socket

log = logging.getLogger("ngage.signaling")


__all__ = ["Socket", "serve"]


async def serve(context: Context, socket: Socket) -> None:
    participant = await _join(context, socket)
    if participant is None:
        return
    try:
        await _run(participant, socket)
    finally:
        await depart(participant)


async def _refuse(socket: Socket, code: str, text: str, re: str | None = None) -> None:
    with contextlib.suppress(Exception):
        await socket.send(messages.encode(messages.error(code, text, re)))
        await socket.close(close_code_before_join(code), code)


async def _join(context: Context, socket: Socket) -> Participant | None:
    frame = await socket.receive()
    if frame is None:
        return None
    try:
        message = messages.parse(frame)
    except ProtocolError as error:
        await _refuse(socket, "bad-message", error.describe(), messages.request_id(frame))
        return None
    if not isinstance(message, Join):
        await _refuse(socket, "not-joined", "the first message must be join", message.id)
        return None
    try:
        return await _enter(context, socket, message)
    except NgageError as error:
        await _refuse(socket, error_code(error)[0], error.detail or error.status_desc, message.id)
        return None


async def _enter(context: Context, socket: Socket, message: Join) -> Participant | None:
    """Into the meeting, through the waiting room when it is on (None: they left there)."""
    arrival = await arrive(context, message)
    meeting_id = arrival.meeting.meeting_id
    if await must_wait(context.hub, meeting_id, message):
        if not await lobby.hold(context, socket, meeting_id, arrival.member):
            return None
    return await admit(context, message, arrival)


async def _run(participant: Participant, socket: Socket) -> None:
    tasks = [
        asyncio.create_task(_read(participant, socket)),
        asyncio.create_task(relay(participant)),
        asyncio.create_task(_write(participant, socket)),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _read(participant: Participant, socket: Socket) -> None:
    while not participant.leaving:
        frame = await socket.receive()
        if frame is None:
            return
        await _handle(participant, frame)
    await socket.close(CLOSE_NORMAL, "left")


async def _handle(participant: Participant, frame: str | bytes) -> None:
    re: str | None = None
    try:
        message = messages.parse(frame)
        re = message.id
        if isinstance(message, Join):
            raise ProtocolError("already joined")
        async with participant.turn:
            if message.type not in BEFORE_THE_HOST:
                participant.require_live()
            await HANDLERS[message.type](participant, message)
    except NgageError as error:
        code, close = error_code(error)
        re = re if re is not None else messages.request_id(frame)
        participant.send(messages.error(code, error.detail or error.status_desc, re))
        if close is not None:
            participant.leaving = True
    except Exception as error:  # a bug must not take the meeting down with it
        log.exception("unexpected %s handling a message", type(error).__name__)
        participant.send(messages.error("server-error", "the server failed on this message", re))


async def _write(participant: Participant, socket: Socket) -> None:
    while True:
        message = await participant.outbox.get()
        await socket.send(messages.encode(message))
        if message.get("type") == "meeting-ended":
            await socket.close(CLOSE_MEETING_ENDED, "meeting ended")
            return
        if message.get("type") == "removed":
            await socket.close(CLOSE_REMOVED, "removed by the host")
            return
