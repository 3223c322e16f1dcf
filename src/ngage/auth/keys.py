"""The server key and the purpose-bound keys derived from it.

The master key comes from settings (`NGAGE_SECRET_KEY`) or from a key file in
the data directory, created once with 0600 permissions.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ngage.config import Settings


@dataclass(frozen=True)
class ServerKeys:
    """One key per purpose, so a key for one use can never validate another."""

    secret_storage: bytes
    meeting_links: bytes
    download_links: bytes

    @classmethod
    def derive(cls, master: bytes) -> ServerKeys:
        return cls(
            secret_storage=_derive(master, b"ngage api secret storage"),
            meeting_links=_derive(master, b"ngage meeting links"),
            download_links=_derive(master, b"ngage download links"),
        )


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def load_server_keys(settings: Settings) -> ServerKeys:
    """Derive the server keys from the configured master key or the key file."""
    if settings.secret_key is not None:
        return ServerKeys.derive(settings.secret_key.get_secret_value().encode())
    return ServerKeys.derive(read_or_create_key_file(settings.key_file))


def read_or_create_key_file(path: Path) -> bytes:
    """Read the master key, creating it (0600, never overwritten) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return base64.b64decode(path.read_bytes().strip())
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(32)) + b"\n")
    return base64.b64decode(path.read_bytes().strip())
