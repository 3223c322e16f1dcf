"""RequestVerifier against an in-memory store: the store is the boundary faked here."""

import os

import pytest

from ngage.auth.credentials import SecretBox, hash_api_key
from ngage.auth.signature import sign
from ngage.auth.verifier import RequestVerifier
from ngage.errors import NotAuthorized
from ngage.store import AppRecord

NOW = 1_700_000_000.0


class AppsOnly:
    def __init__(self, app: AppRecord) -> None:
        self.app = app
        self.lookups = 0

    async def find_app_by_key(self, key_hash: str) -> AppRecord | None:
        self.lookups += 1
        return self.app if key_hash == self.app.key_hash else None


def make(disabled: bool = False, cache: float = 2.0) -> tuple[RequestVerifier, AppsOnly]:
    box = SecretBox(os.urandom(32))
    app = AppRecord("NVA0000001", "t", hash_api_key("key"), box.seal("secret"), disabled, 0)
    store = AppsOnly(app)
    return RequestVerifier(store, box, 300, cache, clock=lambda: NOW), store  # type: ignore[arg-type]


async def test_accepts_a_good_signature() -> None:
    verifier, _ = make()
    ts = str(int(NOW))
    caller = await verifier.verify("key", ts, sign("NVA0000001", "secret", ts))
    assert caller.api_id == "NVA0000001"


@pytest.mark.parametrize(
    ("key", "ts", "signature"),
    [
        ("nope", "1700000000", sign("NVA0000001", "secret", "1700000000")),
        ("key", "1700000000", sign("NVA0000001", "wrong", "1700000000")),
        ("key", "1700000000", sign("NVA0000002", "secret", "1700000000")),
        ("key", "1699999000", sign("NVA0000001", "secret", "1699999000")),
        ("key", "1700001000", sign("NVA0000001", "secret", "1700001000")),
        ("key", "1700000000", sign("NVA0000001", "secret", "1700000001")),
        ("key", "abc", sign("NVA0000001", "secret", "abc")),
        (None, "1700000000", "x"),
        ("key", None, "x"),
        ("key", "1700000000", None),
        ("", "", ""),
    ],
)
async def test_rejects(key: str | None, ts: str | None, signature: str | None) -> None:
    verifier, _ = make()
    with pytest.raises(NotAuthorized) as caught:
        await verifier.verify(key, ts, signature)
    assert caught.value.describe() == "Not Authorized"


async def test_disabled_app_is_rejected() -> None:
    verifier, _ = make(disabled=True)
    ts = str(int(NOW))
    with pytest.raises(NotAuthorized):
        await verifier.verify("key", ts, sign("NVA0000001", "secret", ts))


async def test_credentials_are_cached_briefly() -> None:
    verifier, store = make(cache=2.0)
    ts = str(int(NOW))
    for _ in range(3):
        await verifier.verify("key", ts, sign("NVA0000001", "secret", ts))
    assert store.lookups == 1
