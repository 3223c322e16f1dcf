import pytest

from ngage.api.body import decode_json, transaction_id_of
from ngage.errors import MalformedBody


def test_object() -> None:
    body = decode_json(b'{"transaction_id": "NVA1", "a": 1}')
    assert body.object() == {"transaction_id": "NVA1", "a": 1}
    assert transaction_id_of(body) == "NVA1"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"a": "\xc3"}', "UTF-8"),
        (b"{", "JSON"),
        (b'{"a": 1,}', "JSON"),
        (b"", "JSON"),
        (b"[1]", "JSON object"),
        (b'"x"', "JSON object"),
        (b"null", "JSON object"),
    ],
)
def test_malformed(raw: bytes, fragment: str) -> None:
    with pytest.raises(MalformedBody) as caught:
        decode_json(raw).object()
    assert fragment in caught.value.describe()


def test_transaction_id_only_when_a_string() -> None:
    assert transaction_id_of(decode_json(b'{"transaction_id": 5}')) is None
    assert transaction_id_of(decode_json(b"[]")) is None
