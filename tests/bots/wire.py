"""Pure helpers: meeting links into signaling targets, and ICE candidates out of SDP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit, urlunsplit

Role = Literal["host", "participant"]
_PAGES: dict[str, Role] = {"start": "host", "join": "participant"}


@dataclass(frozen=True)
class MeetingLink:
    """What a start_url or join_url gives a client: where to connect and as whom."""

    ws_url: str
    origin: str
    token: str
    role: Role
    name: str

    @property
    def host(self) -> str:
        return urlsplit(self.ws_url).hostname or ""


def parse_link(url: str) -> MeetingLink:
    """A `.../meetings/start?auth_token=...` (host) or `.../meetings/join?...` link.

    The socket lives next to the page: `ws(s)://<server>/meetings/ws`.
    """
    parts = urlsplit(url)
    folder, _, page = parts.path.rpartition("/")
    if page not in _PAGES or not folder.endswith("/meetings"):
        raise ValueError(f"not a meeting link: {url}")
    query = parse_qs(parts.query)
    scheme = {"http": "ws", "https": "wss"}[parts.scheme]
    return MeetingLink(
        ws_url=urlunsplit((scheme, parts.netloc, f"{folder}/ws", "", "")),
        origin=f"{parts.scheme}://{parts.netloc}",
        token=query.get("auth_token", [""])[0],
        role=_PAGES[page],
        name=query.get("fullname", [""])[0],
    )


def candidates_of(sdp: str) -> list[dict[str, Any]]:
    """The `a=candidate` lines of an SDP as `RTCIceCandidate.toJSON()` objects, in order."""
    session, *sections = ("\n" + sdp.replace("\r\n", "\n")).split("\nm=")
    session_ufrag = _attribute(session, "ice-ufrag")
    found = []
    for index, section in enumerate(sections):
        mid, ufrag = _attribute(section, "mid"), _attribute(section, "ice-ufrag") or session_ufrag
        lines = [line for line in section.splitlines() if line.startswith("a=candidate:")]
        found += [_candidate(line[2:], mid, index, ufrag) for line in lines]
    return _unique(found)


def _attribute(section: str, name: str) -> str | None:
    prefix = f"a={name}:"
    values = [line[len(prefix) :] for line in section.splitlines() if line.startswith(prefix)]
    return values[0] if values else None


def _candidate(text: str, mid: str | None, index: int, ufrag: str | None) -> dict[str, Any]:
    return {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index, "usernameFragment": ufrag}


def _unique(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With BUNDLE one transport's candidates repeat in every m-section: keep the first."""
    seen: set[str] = set()
    unique = []
    for candidate in candidates:
        if candidate["candidate"] not in seen:
            seen.add(candidate["candidate"])
            unique.append(candidate)
    return unique


def without_candidates(sdp: str) -> str:
    """The SDP a trickling browser sends: no candidates, no end-of-candidates."""
    lines = sdp.splitlines()
    kept = [line for line in lines if not line.startswith(("a=candidate:", "a=end-of-candidates"))]
    return "\r\n".join(kept) + "\r\n"
