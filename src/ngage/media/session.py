"""One Janus session: handles, asynchronous plugin requests and the event long poll.

Janus answers most VideoRoom requests later, as an event carrying the request's
transaction; this module pairs them up so callers simply await an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ngage.errors import MediaError, MediaUnavailable
from ngage.media.janus import VIDEOROOM, JanusClient

log = logging.getLogger("ngage.media")

_KEEPALIVE_SECONDS = 20.0
_SESSION_GONE = 458


@dataclass(frozen=True)
class Answer:
    """A plugin's answer to one request: its data and, for negotiations, an SDP."""

    data: dict[str, Any]
    jsep: dict[str, Any] | None


HandleListener = Callable[[dict[str, Any]], None]


def answer_of(event: dict[str, Any]) -> Answer:
    """The Answer in a Janus event or reply; MediaError for a plugin error."""
    data: dict[str, Any] = (event.get("plugindata") or {}).get("data") or {}
    if "error_code" in data:
        raise MediaError(int(data["error_code"]), str(data.get("error", "unknown")))
    return Answer(data, event.get("jsep"))


class JanusSession:
    """A Janus session whose events are read by one long-poll task."""

    def __init__(self, janus: JanusClient, on_lost: Callable[[], None]) -> None:
        self._janus = janus
        self._on_lost = on_lost
        self._id = 0
        self._pending: dict[str, asyncio.Future[Answer]] = {}
        self._listeners: dict[int, HandleListener] = {}
        self._poller: asyncio.Task[None] | None = None
        self.lost = False

    async def open(self) -> None:
        self._id = await self._janus.create_session()
        self._poller = asyncio.create_task(self._poll_forever())

    async def attach(self, listener: HandleListener, plugin: str = VIDEOROOM) -> int:
        handle = await self._janus.attach(self._id, plugin)
        self._listeners[handle] = listener
        return handle

    async def detach(self, handle: int) -> None:
        self._listeners.pop(handle, None)
        with contextlib.suppress(MediaError, MediaUnavailable):
            await self._janus.detach(self._id, handle)

    async def request(
        self,
        handle: int,
        body: dict[str, Any],
        jsep: dict[str, Any] | None = None,
        timeout: float = 10.0,
    ) -> Answer:
        """Send a plugin request and wait for its answer (sync or async)."""
        if self.lost:
            raise MediaUnavailable("the media server restarted")
        transaction = secrets.token_hex(8)
        waiter: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = waiter
        try:
            reply = await self._janus.send(self._id, handle, transaction, body, jsep)
            if reply.get("janus") != "ack":
                return answer_of(reply)
            async with asyncio.timeout(timeout):
                answer: Answer = await waiter
                return answer
        except TimeoutError as exc:
            raise MediaUnavailable("the media server did not answer in time") from exc
        finally:
            self._pending.pop(transaction, None)

    async def trickle(self, handle: int, candidate: dict[str, Any] | None) -> None:
        await self._janus.trickle(self._id, handle, candidate)

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if not self.lost and self._id:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await self._janus.destroy_session(self._id)
        self._fail_pending(MediaUnavailable("the media session closed"))

    async def _poll_forever(self) -> None:
        last_keepalive = time.monotonic()
        try:
            while True:
                for event in await self._janus.poll(self._id):
                    self._dispatch(event)
                if time.monotonic() - last_keepalive > _KEEPALIVE_SECONDS:
                    await self._janus.keepalive(self._id)
                    last_keepalive = time.monotonic()
        except (MediaUnavailable, MediaError) as error:
            if isinstance(error, MediaError) and error.code != _SESSION_GONE:
                log.warning("media session %s: %s", self._id, error)
            self._lose()

    def _lose(self) -> None:
        self.lost = True
        self._fail_pending(MediaUnavailable("the media server is restarting"))
        self._on_lost()

    def _fail_pending(self, error: Exception) -> None:
        for waiter in self._pending.values():
            if not waiter.done():
                waiter.set_exception(error)

    def _dispatch(self, event: dict[str, Any]) -> None:
        waiter = self._pending.get(str(event.get("transaction", "")))
        if waiter is not None and event.get("janus") == "event":
            self._settle(waiter, event)
            return
        listener = self._listeners.get(int(event.get("sender") or 0))
        if listener is not None:
            listener(event)

    @staticmethod
    def _settle(waiter: asyncio.Future[Answer], event: dict[str, Any]) -> None:
        if waiter.done():
            return
        try:
            waiter.set_result(answer_of(event))
        except MediaError as error:
            waiter.set_exception(error)
