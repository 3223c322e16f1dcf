"""A private PostgreSQL cluster for tests: initdb in a temp dir, listening on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import free_port


def _bin_dir() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return versions[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    subprocess.run(_as_postgres(args), check=True, capture_output=True, timeout=120)


@dataclass(frozen=True)
class Cluster:
    port: int
    bin_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://ngage@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy-style URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        _run(
            [
                str(self.bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "ngage",
                name,
            ]
        )
        return self.url(name)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="ngage-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    _run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "ngage", "-E", "UTF8"])
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on"
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ]
    )
    try:
        yield Cluster(port, bin_dir)
    finally:
        subprocess.run(
            _as_postgres(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
