"""Runs a private Janus process and restarts it when it dies."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import signal
from pathlib import Path

from ngage.errors import MediaUnavailable
from ngage.media.config import JanusLayout
from ngage.media.install import janus_library_dir, write_config_dir
from ngage.media.janus import JanusClient

log = logging.getLogger("ngage.media")


def _die_with_parent() -> None:
    # Runs in the child before exec: Janus is killed if ngage dies, even by SIGKILL. Not
    # SIGTERM: a Janus shutting down with sessions open can take seconds (or hang), holding
    # its ports against the next ngage; with ngage gone its state is worth nothing anyway.
    # A normal stop still asks Janus politely first (stop()).
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def janus_command(binary: str, layout: JanusLayout) -> list[str]:
    return [binary, "-F", layout.config_dir, "-C", f"{layout.config_dir}/janus.jcfg"]


class JanusSupervisor:
    """Starts Janus, waits until its API answers, and brings it back if it exits."""

    def __init__(self, layout: JanusLayout, binary: str = "janus", log_file: Path | None = None):
        self.layout = layout
        self._binary = binary
        self._log_file = log_file or Path(layout.config_dir) / "janus.log"
        self._process: asyncio.subprocess.Process | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._stopping = False
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def start(self) -> None:
        await asyncio.to_thread(write_config_dir, self.layout, janus_library_dir())
        await self._launch()
        self._watcher = asyncio.create_task(self._watch())

    async def _launch(self) -> None:
        log_handle = await asyncio.to_thread(self._log_file.open, "ab")
        try:
            self._process = await asyncio.create_subprocess_exec(
                *janus_command(self._binary, self.layout),
                stdout=log_handle,
                stderr=asyncio.subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        except OSError as exc:
            raise MediaUnavailable(f"cannot start {self._binary}: {exc}") from exc
        finally:
            log_handle.close()
        await self.wait_ready()

    async def wait_ready(self, timeout: float = 15.0) -> None:
        """Until Janus answers `info`, or MediaUnavailable."""
        client = JanusClient(self.layout.http_url, self.layout.api_secret, timeout=1.0)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    if self._process is not None and self._process.returncode is not None:
                        raise MediaUnavailable("Janus exited while starting; see its log")
                    with contextlib.suppress(MediaUnavailable):
                        await client.info()
                        return
                    await asyncio.sleep(0.05)
        except TimeoutError as exc:
            raise MediaUnavailable("Janus did not start in time; see its log") from exc
        finally:
            await client.close()

    async def _watch(self) -> None:
        delay = 0.2
        while not self._stopping:
            if self._process is None:
                return
            code = await self._process.wait()
            if self._stopping:
                return
            log.error("Janus exited with %s; restarting", code)
            await asyncio.sleep(delay)
            try:
                await self._launch()
                self.restarts += 1
                delay = 0.2
            except MediaUnavailable:
                delay = min(delay * 2, 5.0)

    async def stop(self) -> None:
        self._stopping = True
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
