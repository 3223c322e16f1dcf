import pytest

from ngage.api.ranges import RangeVerdict, plan_range

W, P, U = RangeVerdict.WHOLE, RangeVerdict.PARTIAL, RangeVerdict.UNSATISFIABLE


@pytest.mark.parametrize(
    ("header", "size", "verdict"),
    [
        (None, 100, W),
        ("", 100, W),
        ("bytes=0-9", 100, P),
        ("bytes=90-", 100, P),
        ("bytes=-10", 100, P),
        ("bytes=0-0,50-60", 100, P),
        ("bytes=100-", 100, U),
        ("bytes=200-300", 100, U),
        ("bytes=-0", 100, U),
        ("bytes=0-", 0, U),
        ("bytes=100-,0-1", 100, P),
        ("bytes=9-3", 100, W),  # malformed: ignored
        ("bytes=abc", 100, W),
        ("bytes=-", 100, W),
        ("items=0-5", 100, W),
        ("bytes=1-2-3", 100, W),
        ("bytes=\xb2-", 100, W),  # Latin-1 superscript two is not a digit here
        ("bytes=0-\xb9", 100, W),
        ("bytes= 0-1 ", 100, P),
    ],
)
def test_plan_range(header: str | None, size: int, verdict: RangeVerdict) -> None:
    assert plan_range(header, size).verdict is verdict


def test_only_satisfiable_parts_are_kept() -> None:
    plan = plan_range("bytes=0-4, 999-, -3", 100)
    assert plan.header == "bytes=0-4,-3"
