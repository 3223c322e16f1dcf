"""Managing API clients: create, list, rotate the secret, disable."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ngage.auth.credentials import (
    SecretBox,
    format_api_id,
    hash_api_key,
    new_api_key,
    new_api_secret,
)
from ngage.errors import NotFound
from ngage.store import AppRecord, IdCollision, Store


@dataclass(frozen=True)
class IssuedCredentials:
    """Shown once, when an app is created or its secret rotated."""

    api_id: str
    api_key: str | None
    api_secret: str


class AppRegistry:
    def __init__(self, store: Store, box: SecretBox) -> None:
        self._store = store
        self._box = box

    async def create(self, name: str) -> IssuedCredentials:
        api_key, api_secret = new_api_key(), new_api_secret()
        for _ in range(5):
            api_id = format_api_id(await self._store.highest_api_number() + 1)
            record = AppRecord(
                api_id=api_id,
                name=name,
                key_hash=hash_api_key(api_key),
                sealed_secret=self._box.seal(api_secret),
                disabled=False,
                created_at_ms=int(time.time() * 1000),
            )
            try:
                await self._store.add_app(record)
            except IdCollision:
                continue  # another process took this number at the same moment
            return IssuedCredentials(api_id, api_key, api_secret)
        raise IdCollision("could not allocate an api_id")

    async def list_apps(self) -> list[AppRecord]:
        return await self._store.list_apps()

    async def rotate_secret(self, api_id: str) -> IssuedCredentials:
        api_secret = new_api_secret()
        if not await self._store.replace_secret(api_id, self._box.seal(api_secret)):
            raise NotFound(f"no app {api_id}")
        return IssuedCredentials(api_id, None, api_secret)

    async def disable(self, api_id: str) -> None:
        if not await self._store.disable_app(api_id):
            raise NotFound(f"no app {api_id}")
