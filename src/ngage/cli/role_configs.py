"""The `--config` file of `ngage meeting create`: partial role flags, in JSON or TOML.

# meeting.toml: anything left out keeps the SDK's default
[config_participant]
screenShare = false

[view_participant]          # "view_partisipant", the spec's spelling, works too
security_option = false
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TypeVar

from ngage.client import MeetingConfig, ViewConfig

Flags = TypeVar("Flags", MeetingConfig, ViewConfig)

_SECTIONS = ("config_host", "config_participant", "view_host", "view_participant")
_ALIASES = {"view_partisipant": "view_participant"}


class ConfigFileError(ValueError):
    """The file cannot be read, or names an unknown flag or a value that is not a boolean."""


@dataclass(frozen=True)
class RoleConfigs:
    """The four role settings of a Create Meeting request."""

    host: MeetingConfig = MeetingConfig()
    participant: MeetingConfig = MeetingConfig()
    view_host: ViewConfig = ViewConfig()
    view_participant: ViewConfig = ViewConfig()


def load_role_configs(path: Path | None) -> RoleConfigs:
    """The role settings in the file at `path` (a `.json` or `.toml` file), or the defaults."""
    if path is None:
        return RoleConfigs()
    try:
        return role_configs(read_document(path))
    except ConfigFileError as exc:
        raise ConfigFileError(f"{path}: {exc}") from exc


def read_document(path: Path) -> Mapping[str, object]:
    """The top-level object of a JSON or TOML file."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ConfigFileError("the file must end in .json or .toml")
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as exc:  # JSONDecodeError, TOMLDecodeError, UnicodeError
        raise ConfigFileError(str(exc)) from exc
    if not isinstance(document, dict):
        raise ConfigFileError("the file must hold one object")
    return document


def role_configs(document: Mapping[str, object]) -> RoleConfigs:
    """Merge the sections of `document` over the defaults; every problem is named at once."""
    problems: list[str] = []
    sections = _canonical_sections(document, problems)
    configs = RoleConfigs(
        host=_merged(MeetingConfig(), "config_host", sections, problems),
        participant=_merged(MeetingConfig(), "config_participant", sections, problems),
        view_host=_merged(ViewConfig(), "view_host", sections, problems),
        view_participant=_merged(ViewConfig(), "view_participant", sections, problems),
    )
    if problems:
        raise ConfigFileError("; ".join(problems))
    return configs


def _canonical_sections(document: Mapping[str, object], problems: list[str]) -> dict[str, object]:
    sections: dict[str, object] = {}
    for key, value in document.items():
        name = _ALIASES.get(key, key)
        if name not in _SECTIONS:
            problems.append(f"unknown key {key!r} (known: {', '.join(_SECTIONS)})")
        elif name in sections:
            problems.append(f"both {name} and {_alias_of(name)} are given; keep one")
        else:
            sections[name] = value
    return sections


def _alias_of(name: str) -> str:
    return next(alias for alias, canonical in _ALIASES.items() if canonical == name)


def _merged(
    defaults: Flags, name: str, sections: Mapping[str, object], problems: list[str]
) -> Flags:
    given = sections.get(name, {})
    if not isinstance(given, dict):
        problems.append(f"{name} must be an object of flags")
        return defaults
    known = [flag.name for flag in fields(defaults)]
    for flag, value in given.items():
        if flag not in known:
            problems.append(f"unknown flag {name}.{flag} (known: {', '.join(known)})")
        elif not isinstance(value, bool):
            problems.append(f"{name}.{flag} must be true or false, not {value!r}")
    valid = {flag: value for flag, value in given.items() if flag in known}
    return replace(defaults, **valid)
