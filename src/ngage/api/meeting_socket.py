"""The meeting WebSocket: Starlette's socket adapted to the signaling protocol."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter
from starlette.websockets import WebSocket, WebSocketDisconnect

from ngage.signaling.connection import serve
from ngage.signaling.context import Context

router = APIRouter(include_in_schema=False)


class StarletteSocket:
    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self._closed = False

    async def receive(self) -> str | bytes | None:
        if self._closed:
            return None
        try:
            frame = await self._websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            frame = {"type": "websocket.disconnect"}
        if frame["type"] == "websocket.disconnect":
            self._closed = True
            return None
        text = frame.get("text")
        return text if text is not None else frame.get("bytes") or b""

    async def send(self, text: str) -> None:
        if self._closed:
            return
        try:
            await self._websocket.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError):
            self._closed = True

    async def close(self, code: int, reason: str = "") -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(RuntimeError, OSError):
                await self._websocket.close(code, reason)


@router.websocket("/meetings/ws")
async def meeting_socket(websocket: WebSocket) -> None:
    context: Context = websocket.app.state.services.signaling
    await websocket.accept()
    await serve(context, StarletteSocket(websocket))
