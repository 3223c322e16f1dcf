"""Where finished recording files live, behind a small interface.

`LocalStorage` (the default) keeps them under the recordings directory. An object
store would implement the same two methods; the pipeline only ever writes to a local
work directory and hands finished files over with `save`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Protocol


class RecordingStorage(Protocol):
    async def save(self, source: Path, key: str) -> int:
        """Store a finished file under `key` (idempotent); returns its size in bytes."""
        ...

    async def locate(self, key: str) -> Path | None:
        """A local file to serve for `key`, or None when there is none."""
        ...


def _safe(key: str) -> PurePosixPath:
    relative = PurePosixPath(key)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"not a storage key: {key!r}")
    return relative


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, key: str) -> Path:
        return self._root / _safe(key)

    async def save(self, source: Path, key: str) -> int:
        return await asyncio.to_thread(self._save, source, self._path(key))

    @staticmethod
    def _save(source: Path, target: Path) -> int:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.part")
            partial.unlink(missing_ok=True)
            try:
                os.link(source, partial)  # same file system: instant, no copy
            except OSError:
                shutil.copyfile(source, partial)
            partial.replace(target)
        return target.stat().st_size

    async def locate(self, key: str) -> Path | None:
        try:
            path = self._path(key)
        except ValueError:
            return None
        return path if await asyncio.to_thread(path.is_file) else None
