"""The private Janus that `ngage serve` runs: one per server, shared by all its workers.

The supervisor lives in a background thread with its own event loop, so it works
the same whether uvicorn runs one worker in-process or several worker processes.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from concurrent.futures import Future

from ngage.config import Settings
from ngage.media.config import JanusLayout
from ngage.media.supervisor import JanusSupervisor


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def layout_for(settings: Settings) -> JanusLayout:
    return JanusLayout(
        config_dir=str(settings.janus_dir.resolve()),
        http_port=free_port(),
        admin_port=free_port(),
        api_secret=secrets.token_urlsafe(24),
        admin_secret=secrets.token_urlsafe(24),
        rtp_port_range=settings.janus_rtp_ports,
        ice_enforce_list=settings.janus_ice_interfaces,
        nat_1_1_mapping=settings.janus_public_ip,
        stun_server=settings.janus_stun_server,
        sip=settings.callout_configured,
        sip_local_ip=settings.sip_local_ip,
    )


class EmbeddedJanus:
    """Start with `start()` (blocks until Janus answers), stop with `stop()`."""

    def __init__(self, settings: Settings) -> None:
        self.layout = layout_for(settings)
        self._supervisor = JanusSupervisor(self.layout, binary=settings.janus_binary)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="janus", daemon=True)

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        self._call(self._supervisor.start()).result(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        try:
            self._call(self._supervisor.stop()).result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)

    def _call(self, work: object) -> Future[None]:
        return asyncio.run_coroutine_threadsafe(work, self._loop)  # type: ignore[arg-type]
