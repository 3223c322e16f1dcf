import re
from datetime import UTC, datetime

from ngage.meetings.identifiers import AppIdAllocator, format_app_id, new_meeting_id, new_password


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


class ClockRows:
    """The store's reservation, as its SQL does it: one clock per client."""

    def __init__(self) -> None:
        self.clock: dict[str, int] = {}
        self.reservations = 0

    async def reserve_app_clock(self, api_id: str, now_ms: int, block: int) -> int:
        self.reservations += 1
        self.clock[api_id] = max(self.clock.get(api_id, 0), now_ms - 1) + block
        return self.clock[api_id]


async def test_values_follow_the_clock_and_never_repeat() -> None:
    allocator = AppIdAllocator(ClockRows(), block=4)
    issued = [await allocator.next_ms("NVA0000001", 1000) for _ in range(6)]
    assert issued == [1000, 1001, 1002, 1003, 1004, 1005]
    assert await allocator.next_ms("NVA0000002", 1000) == 1000
    assert await allocator.next_ms("NVA0000001", 5000) == 5000


async def test_processes_sharing_a_store_never_collide() -> None:
    rows = ClockRows()
    processes = [AppIdAllocator(rows, block=8) for _ in range(3)]
    issued = []
    for step in range(300):
        now = 1000 + step // 10  # three processes, far more than 1 per millisecond
        for allocator in processes:
            issued.append(await allocator.next_ms("NVA0000001", now))
    assert len(set(issued)) == len(issued)
    assert min(issued) >= 1000


async def test_a_stale_block_is_not_reused() -> None:
    rows = ClockRows()
    allocator = AppIdAllocator(rows, block=64)
    await allocator.next_ms("NVA0000001", 1000)
    assert await allocator.next_ms("NVA0000001", 9000) == 9000
    assert rows.reservations == 2
