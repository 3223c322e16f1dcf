"""The media test network: the address media tests use, and a server listening on it.

Janus will not do ICE on a loopback interface, so media tests run inside the private
network namespace that `scripts/netns` makes, where 127.0.0.2 lives on a veth interface.
Outside it they fail (never skip) and say how to run them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import ifaddr
import pytest

from ngage.client import Client, Meeting, MeetingConfig, ViewConfig
from tests.support import Credentials, Server, free_port, running_server

MEDIA_NET = "127.0.0.2"
ConfigFlags = MeetingConfig | Mapping[str, bool]
ViewFlags = ViewConfig | Mapping[str, bool]
_IFF_LOOPBACK = 0x8
_JANUS_EXIT_SECONDS = 5


def _is_loopback(interface: str) -> bool:
    flags = Path(f"/sys/class/net/{interface}/flags")
    try:
        return bool(int(flags.read_text(), 16) & _IFF_LOOPBACK)
    except (OSError, ValueError):
        return interface == "lo"


def _interfaces_with(address: str) -> list[str]:
    return [
        adapter.name
        for adapter in ifaddr.get_adapters()
        if any(ip.ip == address for ip in adapter.ips)
    ]


def media_address() -> str:
    """127.0.0.2 when a non-loopback interface carries it here; fails the test otherwise."""
    if any(not _is_loopback(name) for name in _interfaces_with(MEDIA_NET)):
        return MEDIA_NET
    pytest.fail(
        f"media tests need {MEDIA_NET} on a non-loopback interface (Janus will not do ICE on "
        "loopback): run them through scripts/netns, e.g. `scripts/netns .venv/bin/python -m "
        "pytest tests/integration/test_meeting_bots.py` (scripts/test does that)",
        pytrace=False,
    )


def media_settings(address: str, port: int) -> dict[str, str]:
    """`running_server` settings for a server and its Janus on the media address."""
    return {
        "host": address,
        "port": str(port),
        "public_url": f"http://{address}:{port}",
        "janus_ice_interfaces": address,
        "empty_meeting_grace_seconds": "5",
    }


def janus_pids(server: Server) -> list[int]:
    """The Janus processes of `server` (their command lines name its data directory)."""
    found = subprocess.run(
        ["pgrep", "-f", "--", f"{server.data_dir}/janus"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in found.stdout.split()]


def kill_janus(server: Server) -> list[int]:
    """SIGKILL every Janus of `server`; returns their pids."""
    pids = janus_pids(server)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


@contextmanager
def running_media_server(data_dir: Path | None = None, **settings: str) -> Iterator[Server]:
    """`ngage serve` (and the Janus it runs) listening on the media address.

    Fails the test if Janus outlives the server (ngage must stop what it starts).
    """
    address = media_address()
    options = {**media_settings(address, free_port()), **settings}
    with running_server(data_dir, **options) as server:
        yield server
    if leftovers := _outliving_janus(server):
        pytest.fail(f"Janus {leftovers} still ran {_JANUS_EXIT_SECONDS} s after `ngage serve`")


def _outliving_janus(server: Server) -> list[int]:
    """Janus processes of a stopped server that do not exit in time (they are killed)."""
    deadline = time.monotonic() + _JANUS_EXIT_SECONDS
    while janus_pids(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    return kill_janus(server)


class MeetingFactory:
    """Creates meetings on a running server through the SDK, with chosen flags per role.

    `factory(participant={"screenShare": False})` (dicts or MeetingConfig/ViewConfig);
    returns the SDK's `Meeting`: start_url for the host, join_url for participants.
    """

    def __init__(self, server: Server, creds: Credentials) -> None:
        self._client = Client(
            base_url=server.base_url,
            api_id=creds.api_id,
            api_key=creds.api_key,
            api_secret=creds.api_secret,
        )

    def __call__(
        self,
        *,
        host: ConfigFlags | None = None,
        participant: ConfigFlags | None = None,
        view_host: ViewFlags | None = None,
        view_participant: ViewFlags | None = None,
        topic: str = "Media test",
    ) -> Meeting:
        return self._client.create_meeting(
            topic=topic,
            host_name="Host Bot",
            participant_name="Guest Bot",
            host=_config(host),
            participant=_config(participant),
            view_host=_view(view_host),
            view_participant=_view(view_participant),
        )

    @property
    def client(self) -> Client:
        """The SDK client the meetings are created with (for the Recording API)."""
        return self._client

    def close(self) -> None:
        self._client.close()


def _config(flags: ConfigFlags | None) -> MeetingConfig:
    if isinstance(flags, MeetingConfig):
        return flags
    return MeetingConfig(**dict(flags or {}))


def _view(flags: ViewFlags | None) -> ViewConfig:
    if isinstance(flags, ViewConfig):
        return flags
    return ViewConfig(**dict(flags or {}))
