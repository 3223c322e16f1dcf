"""What the signaling protocol needs from a WebSocket; the HTTP layer adapts its own."""

from __future__ import annotations

from typing import Protocol


class Socket(Protocol):
    async def receive(self) -> str | bytes | None:
        """The next frame, or None once the client has gone."""
        ...

    async def send(self, text: str) -> None: ...

    async def close(self, code: int, reason: str = "") -> None: ...
