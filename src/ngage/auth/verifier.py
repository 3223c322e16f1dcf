"""Checking a signed API request: api-key, timestamp window, Signature."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ngage.auth.credentials import SecretBox, hash_api_key
from ngage.auth.signature import sign, signature_matches, timestamp_is_fresh
from ngage.errors import NotAuthorized
from ngage.store import AppRecord, Store


@dataclass(frozen=True)
class Caller:
    """An authenticated API client."""

    api_id: str
    name: str


@dataclass(frozen=True)
class _Known:
    app: AppRecord
    secret: str
    until: float


class RequestVerifier:
    """Verifies the spec's three auth headers against the stored app.

    Decrypted secrets are cached for a few seconds (settings) so a busy client
    does not cost a database read per request; disabling or rotating takes
    effect within that time on every process.
    """

    def __init__(
        self,
        store: Store,
        box: SecretBox,
        window_seconds: int,
        cache_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._box = box
        self._window = window_seconds
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, _Known] = {}

    async def verify(
        self, api_key: str | None, timestamp: str | None, signature: str | None
    ) -> Caller:
        if not api_key or not timestamp or not signature:
            raise NotAuthorized()
        now = self._clock()
        if not timestamp_is_fresh(timestamp, self._window, now):
            raise NotAuthorized()
        known = await self._lookup(hash_api_key(api_key), now)
        expected = sign(known.app.api_id, known.secret, timestamp) if known else ""
        if known is None or not signature_matches(expected, signature) or known.app.disabled:
            raise NotAuthorized()
        return Caller(api_id=known.app.api_id, name=known.app.name)

    async def _lookup(self, key_hash: str, now: float) -> _Known | None:
        cached = self._cache.get(key_hash)
        if cached is not None and cached.until > now:
            return cached
        app = await self._store.find_app_by_key(key_hash)
        if app is None:
            self._cache.pop(key_hash, None)
            return None
        known = _Known(app, self._box.open(app.sealed_secret), now + self._cache_seconds)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key_hash] = known
        return known
