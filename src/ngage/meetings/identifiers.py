"""Identifiers handed out with a meeting: meeting_id, password and app_id."""

from __future__ import annotations

import asyncio
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

_ALPHANUMERIC = string.ascii_letters + string.digits


def new_meeting_id() -> str:
    """Eleven digits, never starting with 0 (a leading zero gets lost in spreadsheets)."""
    return str(secrets.randbelow(9 * 10**10) + 10**10)


def new_password() -> str:
    """Six alphanumeric characters, as in the spec's sample ("4u4UEK")."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(6))


def format_app_id(api_id: str, at_ms: int) -> str:
    """ "APP-" + api_id + YYYYMMDDhhmmssSSS (UTC)."""
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    return f"APP-{api_id}{moment:%Y%m%d%H%M%S}{at_ms % 1000:03d}"


class AppIdStore(Protocol):
    async def reserve_app_clock(self, api_id: str, now_ms: int, block: int) -> int: ...


@dataclass
class _Block:
    next_ms: int
    last_ms: int


class AppIdAllocator:
    """Hands out app_id milliseconds that no other process can hand out.

    Each process reserves blocks of milliseconds per client from the store, which
    serialises reservations, so blocks never overlap across processes; inside a
    block values follow the clock. A block is only used while it is current, so an
    app_id is at most one block ahead of the time it was created, except when one
    client creates more than 1000 meetings a second: then values run ahead.
    """

    def __init__(self, store: AppIdStore, block: int = 64) -> None:
        self._store = store
        self._block = block
        self._blocks: dict[str, _Block] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def next_ms(self, api_id: str, now_ms: int) -> int:
        block = self._blocks.get(api_id)
        if block is None or max(now_ms, block.next_ms) > block.last_ms:
            block = await self._reserve(api_id, now_ms)
        issued = max(now_ms, block.next_ms)
        block.next_ms = issued + 1
        return issued

    async def _reserve(self, api_id: str, now_ms: int) -> _Block:
        async with self._locks.setdefault(api_id, asyncio.Lock()):
            block = self._blocks.get(api_id)
            if block is None or max(now_ms, block.next_ms) > block.last_ms:
                last = await self._store.reserve_app_clock(api_id, now_ms, self._block)
                block = _Block(next_ms=last - self._block + 1, last_ms=last)
                self._blocks[api_id] = block
            return block
