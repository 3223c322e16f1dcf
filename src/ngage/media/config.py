"""Janus configuration written by ngage: pure builders of the .jcfg files.

Only what ngage needs is loaded: the VideoRoom plugin and the HTTP transport,
both APIs bound to 127.0.0.1 and guarded by secrets, so Janus stays private. The SIP
plugin (phone call-out) is loaded only when a SIP trunk is configured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class JanusLayout:
    """Where a private Janus instance lives and listens."""

    config_dir: str
    http_port: int
    admin_port: int
    api_secret: str
    admin_secret: str
    rtp_port_range: str = "20000-40000"
    ice_enforce_list: str = ""
    nat_1_1_mapping: str = ""
    stun_server: str = ""
    debug_level: int = 4
    sip: bool = False  # load the SIP plugin (a trunk is configured)
    sip_local_ip: str = ""  # where the SIP plugin sends SIP and RTP from (empty: Janus picks)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/janus"

    @property
    def plugins_folder(self) -> str:
        return f"{self.config_dir}/plugins"

    @property
    def transports_folder(self) -> str:
        return f"{self.config_dir}/transports"

    @property
    def empty_folder(self) -> str:
        return f"{self.config_dir}/none"


def _value(value: object) -> str:
    # libconfig strings use C-style escapes, which JSON string encoding also produces.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def render(sections: dict[str, dict[str, object]]) -> str:
    """A libconfig (.jcfg) document from {section: {key: value}}."""
    lines: list[str] = []
    for section, values in sections.items():
        lines.append(f"{section}: {{")
        lines.extend(f"\t{key} = {_value(value)}" for key, value in values.items())
        lines.append("}")
    return "\n".join(lines) + "\n"


def _nat(layout: JanusLayout) -> dict[str, object]:
    nat: dict[str, object] = {"nice_debug": False, "ignore_mdns": True}
    if layout.ice_enforce_list:
        nat["ice_enforce_list"] = layout.ice_enforce_list
    if layout.nat_1_1_mapping:
        nat["nat_1_1_mapping"] = layout.nat_1_1_mapping
    if layout.stun_server:
        host, _, port = layout.stun_server.rpartition(":")
        nat["stun_server"], nat["stun_port"] = host, int(port or 3478)
    return nat


def janus_jcfg(layout: JanusLayout) -> str:
    return render(
        {
            "general": {
                "configs_folder": layout.config_dir,
                "plugins_folder": layout.plugins_folder,
                "transports_folder": layout.transports_folder,
                "events_folder": layout.empty_folder,
                "loggers_folder": layout.empty_folder,
                "debug_level": layout.debug_level,
                "server_name": "ngage-janus",
                "api_secret": layout.api_secret,
                "admin_secret": layout.admin_secret,
                "session_timeout": 60,
            },
            "media": {"rtp_port_range": layout.rtp_port_range},
            "nat": _nat(layout),
            "events": {"broadcast": False},
        }
    )


def http_transport_jcfg(layout: JanusLayout) -> str:
    return render(
        {
            "general": {
                "json": "compact",
                "base_path": "/janus",
                "http": True,
                "port": layout.http_port,
                "ip": "127.0.0.1",
                "https": False,
            },
            "admin": {
                "admin_base_path": "/admin",
                "admin_http": True,
                "admin_port": layout.admin_port,
                "admin_ip": "127.0.0.1",
                "admin_https": False,
            },
        }
    )


def videoroom_jcfg() -> str:
    # No static rooms: ngage creates one room per meeting through the API.
    return render({"general": {"string_ids": False}})


def sip_jcfg(layout: JanusLayout) -> str:
    # SIP and its plain RTP leave from sip_local_ip, in the same port range as WebRTC media,
    # so one firewall rule covers both.
    general: dict[str, object] = {
        "keepalive_interval": 120,
        "behind_nat": False,
        "user_agent": "ngage",
        "register_ttl": 3600,
        "rtp_port_range": layout.rtp_port_range,
        "events": False,
    }
    if layout.sip_local_ip:
        general["local_ip"] = general["sdp_ip"] = layout.sip_local_ip
    return render({"general": general})


def plugins_for(layout: JanusLayout) -> tuple[str, ...]:
    return PLUGINS + (SIP_PLUGIN,) if layout.sip else PLUGINS


CONFIG_FILES = {
    "janus.jcfg": janus_jcfg,
    "janus.transport.http.jcfg": http_transport_jcfg,
}
# The shared objects Janus loads, from Debian's janus package; everything else stays off.
PLUGINS = ("libjanus_videoroom.so",)
SIP_PLUGIN = "libjanus_sip.so"
TRANSPORTS = ("libjanus_http.so",)
