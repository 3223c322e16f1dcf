"""Access log that never writes a token: links carry bearer credentials."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("ngage.access")

_DOWNLOAD_TOKEN = re.compile(r"(/rec/webhook_download/)[^/?]+")


def redact_path(path: str) -> str:
    """Paths are logged without their query string and with download tokens cut out."""
    return _DOWNLOAD_TOKEN.sub(r"\1<token>", path)


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            path = redact_path(scope["path"])
            log.info("%s %s %d %.1fms", scope["method"], path, status, elapsed_ms)
