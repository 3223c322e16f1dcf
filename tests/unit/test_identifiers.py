import re
from datetime import UTC, datetime

from ngage.meetings.identifiers import AppIdClock, format_app_id, new_meeting_id, new_password


def test_meeting_ids_are_eleven_digits() -> None:
    ids = {new_meeting_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"[1-9]\d{10}", value) for value in ids)


def test_passwords_are_six_alphanumerics() -> None:
    assert all(re.fullmatch(r"[A-Za-z0-9]{6}", new_password()) for _ in range(500))


def test_app_id_format() -> None:
    at = datetime(2022, 5, 13, 6, 35, 16, 89000, tzinfo=UTC)
    app_id = format_app_id("NVA0000012", int(at.timestamp() * 1000))
    assert app_id == "APP-NVA000001220220513063516089"


def test_clock_never_repeats_for_one_app() -> None:
    clock = AppIdClock()
    issued = [clock.next_ms("NVA0000001", 1000) for _ in range(5)]
    assert issued == [1000, 1001, 1002, 1003, 1004]
    assert clock.next_ms("NVA0000002", 1000) == 1000
    assert clock.next_ms("NVA0000001", 5000) == 5000
