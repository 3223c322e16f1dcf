import pytest

from ngage.meetings.transaction import transaction_problem

API = "NVA0000012"


@pytest.mark.parametrize(
    "tx",
    [
        API + "220513063515858",  # the spec's sample: YYMMDDhhmmssSSS
        API + "20220513063515858",  # YYYYMMDDhhmmssSSS
        API + "20241231235959999",
        API + "240229000000000",  # leap day
    ],
)
def test_accepts_both_formats(tx: str) -> None:
    assert transaction_problem(tx, API) is None


@pytest.mark.parametrize(
    ("tx", "fragment"),
    [
        (123, "string"),
        ("NVA0000099220513063515858", "api_id"),
        (API, "timestamp"),
        (API + "2205130635158", "timestamp"),
        (API + "221313063515858", "real date"),  # month 13
        (API + "230229000000000", "real date"),  # not a leap year
        (API + "220513256000000", "real date"),  # hour 25
        (API + "22051306351585x", "timestamp"),
        (API + "２２０５１３０６３５１５８５８", "timestamp"),  # full-width digits
    ],
)
def test_rejects(tx: object, fragment: str) -> None:
    problem = transaction_problem(tx, API)
    assert problem is not None and fragment in problem


def test_without_caller() -> None:
    assert transaction_problem(API + "220513063515858", None) is not None
