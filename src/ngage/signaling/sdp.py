"""Just enough SDP reading to know what an offer would send."""

from __future__ import annotations

_SILENT_DIRECTIONS = {"a=recvonly", "a=inactive"}


def _sections(sdp: str) -> list[list[str]]:
    sections: list[list[str]] = []
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            sections.append([line])
        elif sections:
            sections[-1].append(line.strip())
    return sections


def _sends(section: list[str]) -> bool:
    fields = section[0][2:].split()
    rejected = len(fields) > 1 and fields[1] == "0"
    return not rejected and not _SILENT_DIRECTIONS.intersection(section)


def sent_media(sdp: str) -> set[str]:
    """The media kinds (`audio`, `video`, ...) an SDP offers to send."""
    return {section[0][2:].split()[0] for section in _sections(sdp) if _sends(section)}


def sent_mids(sdp: str) -> dict[str, str]:
    """The mid of the first sending section of each media kind: {"audio": "0", ...}."""
    mids: dict[str, str] = {}
    for section in _sections(sdp):
        kind = section[0][2:].split()[0]
        mid = next((line[6:] for line in section if line.startswith("a=mid:")), None)
        if _sends(section) and mid is not None:
            mids.setdefault(kind, mid)
    return mids
