"""JanusSession pairs asynchronous Janus answers with their requests.

The Janus HTTP API is faked at its boundary (JanusClient): these tests drive the
event long poll by hand.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ngage.errors import MediaError, MediaUnavailable
from ngage.media.session import JanusSession


class FakeJanus:
    def __init__(self) -> None:
        self.events: asyncio.Queue[list[dict[str, Any]] | Exception] = asyncio.Queue()
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.reply: dict[str, Any] = {"janus": "ack"}

    async def create_session(self) -> int:
        return 11

    async def attach(self, session_id: int, plugin: str = "") -> int:
        return 22

    async def send(
        self,
        session_id: int,
        handle_id: int,
        transaction: str,
        body: dict[str, Any],
        jsep: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.sent.append((transaction, body))
        return self.reply

    async def poll(self, session_id: int, wait: float = 30.0) -> list[dict[str, Any]]:
        item = await self.events.get()
        if isinstance(item, Exception):
            raise item
        return item

    async def keepalive(self, session_id: int) -> None: ...

    async def destroy_session(self, session_id: int) -> None: ...


async def opened(janus: FakeJanus, lost: list[bool]) -> JanusSession:
    session = JanusSession(janus, lambda: lost.append(True))  # type: ignore[arg-type]
    await session.open()
    return session


def event(transaction: str, data: dict[str, Any], jsep: dict[str, Any] | None = None) -> dict:
    return {
        "janus": "event",
        "transaction": transaction,
        "sender": 22,
        "plugindata": {"data": data},
        **({"jsep": jsep} if jsep else {}),
    }


async def answered(janus: FakeJanus, data: dict[str, Any], jsep: dict[str, Any] | None = None):
    while not janus.sent:
        await asyncio.sleep(0)
    janus.events.put_nowait([event(janus.sent[-1][0], data, jsep)])


async def test_an_async_answer_reaches_its_request() -> None:
    janus, lost = FakeJanus(), []
    session = await opened(janus, lost)
    asking = asyncio.create_task(session.request(22, {"request": "publish"}))
    await answered(janus, {"configured": "ok"}, {"type": "answer", "sdp": "v=0"})
    answer = await asyncio.wait_for(asking, 1)
    assert answer.data == {"configured": "ok"} and answer.jsep == {"type": "answer", "sdp": "v=0"}
    await session.close()


async def test_a_plugin_error_becomes_media_error() -> None:
    janus, lost = FakeJanus(), []
    session = await opened(janus, lost)
    asking = asyncio.create_task(session.request(22, {"request": "join"}))
    await answered(janus, {"error_code": 428, "error": "No such feed"})
    with pytest.raises(MediaError) as caught:
        await asyncio.wait_for(asking, 1)
    assert caught.value.code == 428
    await session.close()


async def test_events_without_a_request_go_to_the_handle_listener() -> None:
    janus, lost = FakeJanus(), []
    session = await opened(janus, lost)
    seen: list[dict[str, Any]] = []
    await session.attach(seen.append)
    janus.events.put_nowait([{"janus": "webrtcup", "sender": 22}, {"janus": "hangup", "sender": 9}])
    while not seen:
        await asyncio.sleep(0)
    assert seen == [{"janus": "webrtcup", "sender": 22}]
    await session.close()


async def test_losing_janus_fails_waiting_requests_and_reports_it() -> None:
    janus, lost = FakeJanus(), []
    session = await opened(janus, lost)
    asking = asyncio.create_task(session.request(22, {"request": "publish"}))
    while not janus.sent:
        await asyncio.sleep(0)
    janus.events.put_nowait(MediaUnavailable("gone"))
    with pytest.raises(MediaUnavailable):
        await asyncio.wait_for(asking, 1)
    assert lost == [True] and session.lost
    with pytest.raises(MediaUnavailable):
        await session.request(22, {"request": "publish"})
    await session.close()


async def test_a_synchronous_reply_needs_no_event() -> None:
    janus, lost = FakeJanus(), []
    janus.reply = {"janus": "success", "plugindata": {"data": {"exists": True}}}
    session = await opened(janus, lost)
    answer = await session.request(22, {"request": "exists"})
    assert answer.data == {"exists": True}
    await session.close()
