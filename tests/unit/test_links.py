import pytest

from ngage.auth.links import DownloadLinks, MeetingLinks
from ngage.errors import LinkRejected

KEY = b"k" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_round_trip_binds_meeting_and_role() -> None:
    links = MeetingLinks(KEY, 3600)
    token = links.mint("12345678901", "participant")
    assert links.check(token, "participant").meeting_id == "12345678901"
    with pytest.raises(LinkRejected):
        links.check(token, "host")


def test_tampering_is_rejected() -> None:
    links = MeetingLinks(KEY, 3600)
    token = links.mint("12345678901", "host")
    for index in (0, len(token) // 2, len(token) - 1):
        flipped = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]
        with pytest.raises(LinkRejected):
            links.check(flipped, "host")


def test_another_key_or_purpose_is_rejected() -> None:
    token = MeetingLinks(KEY, 3600).mint("12345678901", "host")
    with pytest.raises(LinkRejected):
        MeetingLinks(b"x" * 32, 3600).check(token, "host")
    with pytest.raises(LinkRejected):
        DownloadLinks(KEY, 3600).check(token)


def test_expiry() -> None:
    clock = Clock()
    links = DownloadLinks(KEY, 60, clock)
    token = links.mint("file-1")
    clock.now += 60
    assert links.check(token) == "file-1"
    clock.now += 1.5
    with pytest.raises(LinkRejected):
        links.check(token)


def test_meeting_link_expiry() -> None:
    clock = Clock()
    links = MeetingLinks(KEY, 120, clock)
    token = links.mint("12345678901", "host")
    clock.now += 200
    with pytest.raises(LinkRejected):
        links.check(token, "host")


@pytest.mark.parametrize("token", ["", "x", "a.b.c", "e30.AAAA.BBBB", "🙂"])
def test_garbage(token: str) -> None:
    with pytest.raises(LinkRejected):
        DownloadLinks(KEY, 60).check(token)


def test_purpose_is_signed_even_with_one_key() -> None:
    download = DownloadLinks(KEY, 3600).mint("12345678901")
    with pytest.raises(LinkRejected):
        MeetingLinks(KEY, 3600).check(download, "host")
    meeting = MeetingLinks(KEY, 3600).mint("12345678901", "host")
    with pytest.raises(LinkRejected):
        DownloadLinks(KEY, 3600).check(meeting)


def test_tokens_are_url_safe_and_short() -> None:
    token = MeetingLinks(KEY, 30 * 24 * 3600).mint("12345678901", "participant")
    assert len(token) < 100
    assert all(c.isalnum() or c in "-_." for c in token)
