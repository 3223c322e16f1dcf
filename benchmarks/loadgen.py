"""Running wrk with create.lua and reading its result line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LUA_SCRIPT = Path(__file__).with_name("create.lua")
MARKER = "WRK_JSON "
TRANSACTION_SENTINEL = "@@TRANSACTION_ID@@"


class LoadError(RuntimeError):
    """wrk could not run, or its run is not valid."""


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise LoadError("wrk is not installed: run `apt-get install -y wrk` (as root), then retry")
    return found


def wrk_version() -> str:
    result = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].strip()


@dataclass(frozen=True)
class Load:
    """What one wrk run sends: where, how hard, and which signed request."""

    url: str
    threads: int
    connections: int
    seconds: float
    lua_args: list[str]

    def command(self) -> list[str]:
        return [
            wrk_path(),
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{self.seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA_SCRIPT),
            self.url,
            "--",
            *self.lua_args,
        ]


@dataclass(frozen=True)
class WrkResult:
    summary: dict[str, Any]
    cpu_seconds: float  # wrk's own user + system time
    output: str

    @property
    def requests(self) -> int:
        return int(self.summary["requests"])

    @property
    def seconds(self) -> float:
        return float(self.summary["duration_us"]) / 1e6

    @property
    def non_2xx(self) -> int:
        return int(self.summary["errors"]["status"])

    @property
    def socket_errors(self) -> int:
        errors = self.summary["errors"]
        return sum(int(errors[kind]) for kind in ("connect", "read", "write", "timeout"))


def _parse(output: str) -> dict[str, Any]:
    for line in output.splitlines():
        if line.startswith(MARKER):
            summary: dict[str, Any] = json.loads(line[len(MARKER) :])
            return summary
    raise LoadError(f"wrk printed no result line:\n{output}")


def run_wrk(load: Load, tick: Callable[[float], None]) -> WrkResult:
    """Run wrk to the end, calling `tick(elapsed_seconds)` while it runs."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(load.command(), stdout=log, stderr=subprocess.STDOUT)
        started = time.monotonic()
        # wait4 rather than Popen.wait: it also gives wrk's own CPU time.
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tick(time.monotonic() - started)
            time.sleep(0.1)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise LoadError(f"wrk exited with {process.returncode}:\n{output}")
    return WrkResult(_parse(output), usage.ru_utime + usage.ru_stime, output)


def split_body(body_json: str) -> tuple[str, str]:
    """The body around its transaction_id value, for create.lua to join per request."""
    prefix, found, suffix = body_json.partition(TRANSACTION_SENTINEL)
    if not found or TRANSACTION_SENTINEL in suffix:
        raise ValueError("the body must hold the transaction_id sentinel exactly once")
    return prefix, suffix
