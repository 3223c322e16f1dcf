import os
import stat
from pathlib import Path

import pytest

from ngage.auth.credentials import SecretBox, SecretUnreadable, format_api_id, hash_api_key
from ngage.auth.keys import ServerKeys, read_or_create_key_file


def test_secret_box_round_trip_and_opacity() -> None:
    box = SecretBox(os.urandom(32))
    sealed = box.seal("my-secret")
    assert "my-secret" not in sealed
    assert box.open(sealed) == "my-secret"
    with pytest.raises(SecretUnreadable):
        SecretBox(os.urandom(32)).open(sealed)


def test_key_file_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret.key"
    first = read_or_create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create_key_file(path) == first
    assert len(first) == 32


def test_derived_keys_differ_per_purpose() -> None:
    keys = ServerKeys.derive(b"master")
    assert len({keys.secret_storage, keys.meeting_links, keys.download_links}) == 3
    assert ServerKeys.derive(b"master") == keys


def test_api_ids_and_key_hashes() -> None:
    assert format_api_id(12) == "NVA0000012"
    assert hash_api_key("k") != "k" and len(hash_api_key("k")) == 64
