"""What each role may do in a live meeting, decided from the meeting's stored flags.

The flags mirror Zoom's Meeting SDK for Web; the server checks them on every
action, whatever the browser shows.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, replace
from typing import Any

import orjson

from ngage.auth.links import Role
from ngage.errors import NotPermitted
from ngage.meetings.media import FeedKind


@dataclass(frozen=True)
class Rights:
    role: Role
    flags: dict[str, bool]
    # A host made this participant co-host: host controls, but not ending the meeting
    # for all or naming co-hosts (as in Zoom).
    cohost: bool = False

    @property
    def hosting(self) -> bool:
        return self.role == "host" or self.cohost

    def as_cohost(self, cohost: bool) -> Rights:
        return replace(self, cohost=cohost)

    def _flag(self, name: str, default: bool) -> bool:
        return bool(self.flags.get(name, default))

    @property
    def send_video(self) -> bool:
        return self._flag("isSupportAV", True)

    @property
    def send_audio(self) -> bool:
        return not self._flag("disableJoinAudio", False)

    @property
    def share_screen(self) -> bool:
        return self._flag("screenShare", True)

    @property
    def record(self) -> bool:
        return not self._flag("disableRecord", False)

    @property
    def invite(self) -> bool:
        return not self._flag("disableInvite", False)

    @property
    def chat(self) -> bool:
        return self._flag("isSupportChat", True)

    @property
    def moderate(self) -> bool:
        """Mute others, stop their video: a host or co-host, with the meeting controls in view."""
        return self.hosting and self._flag("more_meeting_control", True)

    @property
    def name_cohosts(self) -> bool:
        """Make someone co-host: the host only, with the meeting controls in view."""
        return self.role == "host" and self._flag("more_meeting_control", True)

    @property
    def captions(self) -> bool:
        return self._flag("isSupportCC", True)

    @property
    def secure(self) -> bool:
        """Lock the meeting, admit or remove people: a host or co-host, with the security menu."""
        return self.hosting and self._flag("security_option", True)

    @property
    def questions(self) -> bool:
        return self._flag("isSupportQA", True)

    @property
    def polls(self) -> bool:
        return self._flag("isSupportPolling", True)

    @property
    def call_out(self) -> bool:
        # Inviting by phone is part of inviting: disableInvite turns it off as well.
        return self.invite and not self._flag("disableCallOut", False)

    @property
    def breakout(self) -> bool:
        """Go into breakout rooms (and, as host, run them)."""
        return self._flag("isSupportBreakout", True)

    @property
    def run_breakout(self) -> bool:
        return self.role == "host" and self.breakout

    @property
    def end_meeting(self) -> bool:
        return self.role == "host"


def rights_for(settings_json: str, role: Role) -> Rights:
    """The role's config and view flags from a meeting's stored settings."""
    stored: dict[str, Any] = orjson.loads(settings_json)
    prefix = "host" if role == "host" else "participant"
    flags = {**stored.get(f"config_{prefix}", {}), **stored.get(f"view_{prefix}", {})}
    return Rights(role, {name: bool(value) for name, value in flags.items()})


def check_publish(rights: Rights, kind: FeedKind, media: Set[str]) -> None:
    """NotPermitted when an offer would send what the role may not send."""
    if kind == "screen" and not rights.share_screen:
        raise NotPermitted("screen sharing is not allowed for your role in this meeting")
    if kind == "screen" and "audio" in media:
        raise NotPermitted("a screen share carries video only")
    if kind == "camera" and "video" in media and not rights.send_video:
        raise NotPermitted("video is not allowed for your role in this meeting (audio only)")
    if "audio" in media and not rights.send_audio:
        raise NotPermitted("joining with audio is disabled for your role in this meeting")
    if not media:
        raise NotPermitted("the offer sends no media")


def check_record(rights: Rights) -> None:
    if not rights.record:
        raise NotPermitted("recording is not allowed for your role in this meeting")


def check_chat(rights: Rights) -> None:
    if not rights.chat:
        raise NotPermitted("chat is not allowed for your role in this meeting")


def check_moderate(rights: Rights) -> None:
    if not rights.moderate:
        raise NotPermitted("only the host can control other participants in this meeting")


def check_captions(rights: Rights) -> None:
    if not rights.captions:
        raise NotPermitted("captions are not enabled for your role in this meeting")


def check_secure(rights: Rights) -> None:
    if not rights.secure:
        raise NotPermitted("only the host can change the meeting's security")


def check_questions(rights: Rights) -> None:
    if not rights.questions:
        raise NotPermitted("Q&A is not enabled for your role in this meeting")


def check_polls(rights: Rights) -> None:
    if not rights.polls:
        raise NotPermitted("polls are not enabled for your role in this meeting")


def check_name_cohosts(rights: Rights) -> None:
    if not rights.name_cohosts:
        raise NotPermitted("only the host can make someone co-host")


def check_hosting(rights: Rights, action: str) -> None:
    if not rights.hosting:
        raise NotPermitted(f"only a host or co-host can {action}")


def check_call_out(rights: Rights) -> None:
    if not rights.call_out:
        raise NotPermitted("call-out is not allowed for your role in this meeting")


def check_breakout(rights: Rights) -> None:
    if not rights.breakout:
        raise NotPermitted("breakout rooms are not enabled for your role in this meeting")


def check_run_breakout(rights: Rights) -> None:
    check_breakout(rights)
    if not rights.run_breakout:
        raise NotPermitted("only the host can manage breakout rooms")


def check_end(rights: Rights) -> None:
    if not rights.end_meeting:
        raise NotPermitted("only the host can end the meeting for everyone")
