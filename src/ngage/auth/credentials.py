"""API credentials: generation, hashing of keys and encryption of secrets at rest."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken

from ngage.errors import NgageError


class SecretUnreadable(NgageError):
    """A stored secret cannot be decrypted: the server key changed."""


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


def new_api_secret() -> str:
    return secrets.token_urlsafe(32)


def format_api_id(number: int) -> str:
    """`NVA` and seven digits, the shape of the spec's `NVA0000012`."""
    return f"NVA{number:07d}"


def hash_api_key(api_key: str) -> str:
    """Keys are random and long, so one SHA-256 is enough to store them unreadably."""
    return hashlib.sha256(api_key.encode()).hexdigest()


class SecretBox:
    """Encrypts API secrets at rest with a key derived from the server key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken as exc:
            raise SecretUnreadable("stored secret cannot be decrypted") from exc
