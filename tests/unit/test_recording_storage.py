"""Local recording storage: files handed over once, keys that cannot escape the root."""

from __future__ import annotations

from pathlib import Path

import pytest

from ngage.recordings.storage import LocalStorage


async def test_save_places_the_file_once(tmp_path: Path) -> None:
    source = tmp_path / "work" / "audio_only.m4a"
    source.parent.mkdir()
    source.write_bytes(b"x" * 1000)
    storage = LocalStorage(tmp_path / "recordings")
    assert await storage.save(source, "12345678901/r1/audio_only.m4a") == 1000
    stored = await storage.locate("12345678901/r1/audio_only.m4a")
    assert stored is not None and stored.read_bytes() == b"x" * 1000
    # A retried job makes the file again (a new file renamed into place) and hands it over.
    remade = source.with_name("remade")
    remade.write_bytes(b"changed")
    remade.replace(source)
    assert await storage.save(source, "12345678901/r1/audio_only.m4a") == 1000
    assert sorted(p.name for p in stored.parent.iterdir()) == ["audio_only.m4a"]


@pytest.mark.parametrize("key", ["../secret.key", "/etc/passwd", "a/../../b", ""])
async def test_keys_outside_the_root_are_not_found(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "recordings")
    (tmp_path / "secret.key").write_text("s")
    assert await storage.locate(key) is None


async def test_missing_files_are_not_found(tmp_path: Path) -> None:
    assert await LocalStorage(tmp_path).locate("1/r/none.mp4") is None
