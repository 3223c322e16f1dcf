import base64
import hashlib
import hmac

import pytest

from ngage.auth.signature import sign, signature_matches, timestamp_is_fresh, timestamp_seconds


def test_sign_matches_the_spec_pre_request_script() -> None:
    # CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(api_id + ":" + ts, secret))
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"NVA0000012:1652423715", hashlib.sha256).digest()
    ).decode()
    assert sign("NVA0000012", "s3cret", "1652423715") == expected


def test_known_vector_computed_with_openssl() -> None:
    assert sign("NVA0000012", "secret", "1700000000") == (
        "6oxLLWDPUnePC9zdR9jJBqCv0fA1zmqLQ17E6fcavwE="  # openssl dgst -hmac
    )


def test_signature_matches_handles_non_ascii() -> None:
    good = sign("a", "b", "1")
    assert signature_matches(good, good)
    assert not signature_matches(good, good[:-1])
    assert not signature_matches(good, "é" * len(good))


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("1700000000", 1700000000.0), ("1700000000123", 1700000000.123), ("0", 0.0)],
)
def test_timestamp_seconds(header: str, seconds: float) -> None:
    assert timestamp_seconds(header) == pytest.approx(seconds)


@pytest.mark.parametrize("header", ["", "-5", "+5", "1.5", "17e8", "١٢٣", "1" * 17, " 12"])
def test_timestamp_seconds_rejects(header: str) -> None:
    assert timestamp_seconds(header) is None


@pytest.mark.parametrize(
    ("offset", "fresh"), [(0, True), (300, True), (-300, True), (301, False), (-301, False)]
)
def test_window(offset: int, fresh: bool) -> None:
    now = 1_700_000_000.0
    assert timestamp_is_fresh(str(int(now) + offset), 300, now) is fresh
