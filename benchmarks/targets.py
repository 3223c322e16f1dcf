"""The three servers under load, each started on 127.0.0.1 and stopped afterwards.

bare      benchmarks/bare_app.py on uvicorn: the framework's floor, no database
sqlite    `ngage serve` on its default store (SQLite in a fresh data directory)
postgres  `ngage serve` on a fresh database of a private PostgreSQL cluster
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from tests.postgres import Cluster, private_cluster
from tests.support import NGAGE, Credentials, Server, free_port, server_env

REPO = Path(__file__).resolve().parent.parent
# `ngage serve` as users start it. Through the console script, uvicorn's spawned
# workers re-import the script as __mp_main__ and so carry the whole CLI (typer,
# alembic, SQLAlchemy): ~98 MB a worker instead of ~65 MB with `python -m
# ngage.cli`, and a bigger heap for every full garbage collection to walk.
NGAGE_SCRIPT = Path(sys.executable).with_name("ngage")


@dataclass
class Target:
    name: str
    base_url: str
    credentials: Credentials
    # Roots of the process trees whose CPU time is the server's, by part:
    # {"app": [uvicorn's supervisor]} and, on PostgreSQL, {"postgresql": [postmaster]}.
    process_roots: dict[str, list[int]]
    log: Callable[[], str]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def server_pids(self) -> list[int]:
        return [pid for roots in self.process_roots.values() for pid in roots]


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Callable[[], str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log()}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def bare_target(workers: int) -> Iterator[Target]:
    creds = Credentials("NVA0000001", secrets.token_urlsafe(24), secrets.token_urlsafe(32))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "BENCH_API_ID": creds.api_id,
        "BENCH_API_KEY": creds.api_key,
        "BENCH_API_SECRET": creds.api_secret,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.bare_app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--no-server-header",
        "--log-level",
        "warning",
    ]
    with tempfile.TemporaryFile() as log_file:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )

        def log() -> str:
            log_file.seek(0)
            return log_file.read().decode(errors="replace")

        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(url, process, log)
            yield Target("bare", url, creds, {"app": [process.pid]}, log)
        finally:
            _stop(process)


@contextmanager
def ngage_server(**settings: str) -> Iterator[Server]:
    """`ngage serve --no-first-app` on a free port with its own data directory."""
    data_dir = Path(tempfile.mkdtemp(prefix="ngage-bench-"))
    port = free_port()
    env = server_env(data_dir, port, **settings)
    command = [str(NGAGE_SCRIPT)] if NGAGE_SCRIPT.exists() else NGAGE
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "serve", "--no-first-app"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, env, process, log_path)
    try:
        _wait_until_ready(server.base_url, process, server.log)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


def _ngage_settings(workers: int, access_log: bool) -> dict[str, str]:
    return {"workers": str(workers), "access_log": str(access_log).lower()}


@contextmanager
def sqlite_target(workers: int, access_log: bool) -> Iterator[Target]:
    with ngage_server(**_ngage_settings(workers, access_log)) as server:
        info = {"sqlite_version": sqlite3.sqlite_version}
        yield _ngage_target("sqlite", server, {}, info)


def _ngage_target(
    name: str, server: Server, other_roots: dict[str, list[int]], info: dict[str, Any]
) -> Target:
    creds = server.new_app(f"bench-{name}")
    roots = {"app": [server.process.pid], **other_roots}
    info["launcher"] = " ".join(str(arg) for arg in server.process.args)  # type: ignore[union-attr]
    return Target(name, server.base_url, creds, roots, server.log, info)


async def _postmaster(cluster: Cluster) -> tuple[int, str]:
    connection = await asyncpg.connect(cluster.url().replace("+asyncpg", ""))
    try:
        data_directory = await connection.fetchval("SHOW data_directory")
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    pid_line = (Path(data_directory) / "postmaster.pid").read_text().split("\n", 1)[0]
    return int(pid_line), str(version)


@contextmanager
def postgres_target(workers: int, access_log: bool) -> Iterator[Target]:
    with private_cluster() as cluster:
        postmaster, version = asyncio.run(_postmaster(cluster))
        database_url = cluster.new_database()
        settings = _ngage_settings(workers, access_log)
        with ngage_server(database_url=database_url, **settings) as server:
            info = {"postgresql_version": version, "postmaster_pid": postmaster}
            yield _ngage_target("postgres", server, {"postgresql": [postmaster]}, info)


STARTERS: dict[str, Callable[[int, bool], Any]] = {
    "bare": lambda workers, _access_log: bare_target(workers),
    "sqlite": sqlite_target,
    "postgres": postgres_target,
}
