"""Just enough SDP reading to know what an offer would send.

Read as Janus reads it (its media types are matched without regard to case, and of several
direction attributes the last would win), but stricter: an offer whose meaning could be
argued is refused rather than guessed, so what the server checks is what Janus does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ngage.errors import BadRequest

_DIRECTIONS = {"sendrecv", "sendonly", "recvonly", "inactive"}
_SILENT = {"recvonly", "inactive"}
_KINDS = {"audio", "video", "application"}  # application: a data channel, not media


@dataclass(frozen=True)
class Section:
    kind: str  # audio, video or application
    port: str
    mid: str | None
    direction: str  # sendrecv unless the section says otherwise

    @property
    def sends(self) -> bool:
        return self.kind != "application" and self.port != "0" and self.direction not in _SILENT


def _section(lines: list[str]) -> Section:
    fields = lines[0][2:].split()
    if len(fields) < 3:
        raise BadRequest([f"malformed media line {lines[0][:40]!r}"])
    kind = fields[0].lower()
    if kind not in _KINDS:
        raise BadRequest([f"unsupported media type {fields[0][:20]!r}"])
    attributes = [line[2:].strip() for line in lines[1:] if line.startswith("a=")]
    directions = [a.lower() for a in attributes if a.lower() in _DIRECTIONS]
    if len(directions) > 1:
        raise BadRequest([f"the {kind} section has more than one direction"])
    mids = [a[4:] for a in attributes if a.lower().startswith("mid:")]
    if len(mids) > 1:
        raise BadRequest([f"the {kind} section has more than one mid"])
    return Section(kind, fields[1], mids[0] if mids else None, (directions or ["sendrecv"])[0])


def sections(sdp: str) -> list[Section]:
    """The media sections of an SDP, in order; BadRequest when one is malformed."""
    grouped: list[list[str]] = []
    for line in sdp.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if line[:2].lower() == "m=":
            grouped.append([line])
        elif grouped:
            grouped[-1].append(line)
    return [_section(lines) for lines in grouped]


def sent_media(sdp: str) -> set[str]:
    """The media kinds (`audio`, `video`) an SDP offers to send. BadRequest unless each
    sending section has a mid and no kind is sent twice: a host mutes a person by blocking
    the mid of their audio, so every stream must be one the server can name."""
    sending = [section for section in sections(sdp) if section.sends]
    kinds = [section.kind for section in sending]
    if len(set(kinds)) < len(kinds):
        raise BadRequest(["an offer sends at most one audio and one video stream"])
    if any(section.mid is None for section in sending):
        raise BadRequest(["every media section of an offer needs a mid"])
    return set(kinds)


def sent_mids(sdp: str) -> dict[str, str]:
    """The mid of the first sending section of each media kind: {"audio": "0", ...}."""
    mids: dict[str, str] = {}
    for section in sections(sdp):
        if section.sends and section.mid is not None:
            mids.setdefault(section.kind, section.mid)
    return mids
