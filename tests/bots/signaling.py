"""One participant's signaling WebSocket: requests and replies, and every event it got.

`Channel` knows the envelope of docs/protocol.md (`v`, `type`, `id`/`re`) and nothing of
meetings; `Bot` builds on it. Every server message lands in `events`, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

Message = dict[str, Any]
Predicate = Callable[[Message], bool]
T = TypeVar("T")
PROTOCOL_VERSION = 1
log = logging.getLogger("tests.bots")


class Refused(Exception):
    """The server answered a request with `error`; `code` is the protocol's error code."""

    def __init__(self, reply: Message) -> None:
        self.reply = reply
        self.code: str = reply.get("code", "")
        super().__init__(f"{self.code}: {reply.get('message', '')}")


class Disconnected(Exception):
    """The socket closed before the reply came."""


class Channel:
    """A protocol WebSocket. `connect()`, then `request()`, `send()` and `wait_for()`."""

    def __init__(self, ws_url: str, origin: str, label: str = "bot") -> None:
        self.ws_url, self.origin, self.label = ws_url, origin, label
        self.events: list[Message] = []
        self.close_code: int | None = None
        self.closed = asyncio.Event()
        self.on_message: Callable[[Message], None] = lambda message: None
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, tuple[asyncio.Future[Message], Predicate | None]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()

    async def connect(self) -> None:
        self._ws = await connect(self.ws_url, origin=Origin(self.origin), open_timeout=10)
        self._reader = asyncio.create_task(self._read(self._ws), name=f"{self.label}-reader")

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def send(self, message: Message) -> None:
        """Send one message as is, adding `"v": 1` when missing."""
        await self.send_raw(json.dumps({"v": PROTOCOL_VERSION, **message}))

    async def send_raw(self, frame: str | bytes) -> None:
        """Send any text or binary frame (for malformed-input tests)."""
        if self._ws is None:
            raise Disconnected("not connected")
        try:
            await self._ws.send(frame)
        except ConnectionClosed as exc:
            raise Disconnected(str(exc)) from exc

    def start_request(
        self, request: str, *, also: Predicate | None = None, **fields: Any
    ) -> tuple[asyncio.Future[Message], Message]:
        """A message with a fresh `id`, and the future its reply (`re` == id) resolves.

        `also` accepts a message without `re` as the reply (e.g. a broadcast that
        answers the request). Send the message yourself; await with `reply()`.
        """
        message = {"type": request, "id": f"{self.label}-{next(self._ids)}", **fields}
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[message["id"]] = (future, also)
        return future, message

    async def reply(self, future: asyncio.Future[Message], timeout: float) -> Message:
        """The reply, raising Refused for `error` and Disconnected if the socket closed."""
        try:
            answer = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(
                f"{self.label}: no reply in {timeout} s; {self.recent()}"
            ) from None
        if answer.get("type") == "error":
            raise Refused(answer)
        return answer

    async def request(
        self, request: str, *, timeout: float = 10.0, also: Predicate | None = None, **fields: Any
    ) -> Message:
        """Send a request and return its reply (see `reply` for errors)."""
        future, message = self.start_request(request, also=also, **fields)
        await self.send(message)
        return await self.reply(future, timeout)

    async def refused(self, request: str, *, timeout: float = 10.0, **fields: Any) -> str:
        """Send a request the server must refuse; returns the error's code (a reply that
        is not an error fails the test)."""
        try:
            reply = await self.request(request, timeout=timeout, **fields)
        except Refused as refusal:
            return refusal.code
        raise AssertionError(f"{self.label}: {request} {fields} was accepted: {reply}")

    def find(self, kind: str, predicate: Predicate | None = None, after: int = 0) -> Message | None:
        """The first event of `kind` from index `after` on that satisfies `predicate`."""
        for event in self.events[after:]:
            if event.get("type") == kind and (predicate is None or predicate(event)):
                return event
        return None

    async def wait_for(
        self,
        kind: str,
        predicate: Predicate | None = None,
        timeout: float = 10.0,
        after: int = 0,
    ) -> Message:
        """The first event of `kind` (already received or still to come) matching `predicate`."""
        return await self.wait_until(lambda: self.find(kind, predicate, after), timeout, kind)

    async def wait_until(
        self, check: Callable[[], T | None], timeout: float = 10.0, what: str = "condition"
    ) -> T:
        """The first non-None, non-False value of `check()`, re-checked on every change."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    if (result := check()) is not None and result is not False:
                        return result
                    await changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"{self.label}: no {what} in {timeout} s; {self.recent()}"
            ) from None

    def notify(self) -> None:
        """Wake every `wait_until` (events, frames and state changes call this)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def timed_out(self, what: str, timeout: float) -> AssertionError:
        return AssertionError(f"{self.label}: no {what} in {timeout} s; {self.recent()}")

    def recent(self, count: int = 12) -> str:
        return "last events: " + ", ".join(_summary(event) for event in self.events[-count:])

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                self._receive(json.loads(frame))
        except ConnectionClosed:
            pass
        finally:
            self.close_code = ws.close_code
            self._fail_pending()
            self.closed.set()
            self.notify()

    def _receive(self, message: Message) -> None:
        self.events.append(message)
        self._resolve(message)
        try:
            self.on_message(message)
        except Exception:  # a handler bug must not stop the reader
            log.exception("%s: handling %s failed", self.label, message.get("type"))
        self.notify()

    def _resolve(self, message: Message) -> None:
        for key, (future, also) in list(self._pending.items()):
            if message.get("re") == key or (also is not None and also(message)):
                del self._pending[key]
                if not future.done():
                    future.set_result(message)
                return

    def _fail_pending(self) -> None:
        for future, _ in self._pending.values():
            if not future.done():
                future.set_exception(Disconnected(f"socket closed ({self.close_code})"))
        self._pending.clear()


def _summary(event: Message) -> str:
    detail = event.get("code") or event.get("reason") or ""
    return f"{event.get('type')}{'(' + detail + ')' if detail else ''}"
