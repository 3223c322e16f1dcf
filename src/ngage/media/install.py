"""Writing a private Janus configuration directory (blocking: call from a thread)."""

from __future__ import annotations

from pathlib import Path

from ngage.errors import MediaUnavailable
from ngage.media.config import (
    CONFIG_FILES,
    PLUGINS,
    TRANSPORTS,
    JanusLayout,
    plugins_for,
    sip_jcfg,
    videoroom_jcfg,
)


def janus_library_dir(search: tuple[str, ...] = ("/usr/lib/*/janus", "/usr/lib/janus")) -> Path:
    """Debian's Janus module directory (it holds plugins/ and transports/)."""
    for pattern in search:
        for candidate in sorted(Path("/").glob(pattern.lstrip("/"))):
            if (candidate / "plugins" / PLUGINS[0]).exists():
                return candidate
    raise MediaUnavailable("Janus is not installed (apt-get install janus)")


def _link_modules(target: Path, source: Path, names: tuple[str, ...]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.iterdir():  # a module turned off since the last start (SIP)
        if stale.is_symlink() and stale.name not in names:
            stale.unlink()
    for name in names:
        link = target / name
        link.unlink(missing_ok=True)
        link.symlink_to(source / name)


def write_config_dir(layout: JanusLayout, library_dir: Path) -> None:
    """The .jcfg files, plus module folders that hold only the modules ngage uses."""
    root = Path(layout.config_dir)
    root.mkdir(parents=True, exist_ok=True)
    for name, build in CONFIG_FILES.items():
        (root / name).write_text(build(layout))
    (root / "janus.plugin.videoroom.jcfg").write_text(videoroom_jcfg())
    if layout.sip:
        (root / "janus.plugin.sip.jcfg").write_text(sip_jcfg(layout))
    _link_modules(Path(layout.plugins_folder), library_dir / "plugins", plugins_for(layout))
    _link_modules(Path(layout.transports_folder), library_dir / "transports", TRANSPORTS)
    Path(layout.empty_folder).mkdir(exist_ok=True)
    for secret_file in (root / "janus.jcfg",):
        secret_file.chmod(0o600)  # holds the API and admin secrets
