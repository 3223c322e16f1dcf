"""`sipp` as the callee of call-out tests: answers one call on the media address.

tests/sipp/callee.xml answers the INVITE (180, then 200 with a PCMU SDP), echoes every
RTP packet back to its sender (`-rtp_echo`), and after `call_seconds` hangs up (BYE).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.medianet import MEDIA_NET

SCENARIOS = Path(__file__).parent / "sipp"
SIP_PORT = 5070
RTP_PORT = 16000
TRUNK = f"sip:{MEDIA_NET}:{SIP_PORT}"


@dataclass
class Callee:
    process: subprocess.Popen[bytes]
    log_path: Path
    messages_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def received(self, method: str) -> bool:
        """Whether sipp's message trace shows it received a `method` request."""
        if not self.messages_path.exists():
            return False
        trace = self.messages_path.read_text(errors="replace")
        for received in trace.split("message received")[1:]:
            first_line = received.split("\n", 1)[-1].lstrip()  # after "[n] bytes :"
            if first_line.startswith(f"{method} sip:"):
                return True
        return False

    async def wait_received(self, method: str, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not self.received(method):
                await asyncio.sleep(0.1)


def sipp_command(directory: Path, call_seconds: float, scenario: str) -> list[str]:
    return [
        "sipp",
        *("-sf", str(SCENARIOS / scenario), "-i", MEDIA_NET, "-p", str(SIP_PORT)),
        *("-mi", MEDIA_NET, "-mp", str(RTP_PORT), "-rtp_echo"),
        *("-m", "1", "-d", str(int(call_seconds * 1000)), "-timeout", "120s", "-nostdin"),
        *("-trace_msg", "-message_file", str(directory / "messages.log")),
    ]


@contextmanager
def running_callee(call_seconds: float, scenario: str = "callee.xml") -> Iterator[Callee]:
    """sipp listening on the media address for one call; killed afterwards.

    `busy.xml` instead answers 486 Busy Here.
    """
    directory = Path(tempfile.mkdtemp(prefix="ngage-sipp-"))
    log_path = directory / "sipp.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            sipp_command(directory, call_seconds, scenario),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=directory,
        )
    try:
        time.sleep(0.3)  # sipp binds its sockets at once: a sipp that cannot shows now
        if process.poll() is not None:
            pytest.fail(f"sipp exited at start:\n{log_path.read_text(errors='replace')}")
        yield Callee(process, log_path, directory / "messages.log")
    finally:
        process.kill()
        process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
