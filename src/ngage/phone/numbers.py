"""Phone numbers and the SIP URIs they become (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ngage.meetings.media import Dial

# What a caller may dial: digits, a leading +, and the keypad's * and #.
NUMBER_PATTERN = r"^\+?[0-9*#]{3,32}$"
_NUMBER = re.compile(NUMBER_PATTERN)
_TRUNK = re.compile(r"^(?P<scheme>sips?):(?P<host>[^@;\s]+)(?P<params>;.*)?$")


def valid_number(number: str) -> bool:
    return bool(_NUMBER.match(number))


def _trunk_parts(trunk: str) -> tuple[str, str, str]:
    match = _TRUNK.match(trunk)
    if match is None:
        raise ValueError(f"not a SIP trunk URI: {trunk!r}")
    return match["scheme"], match["host"], match["params"] or ""


def callee_uri(number: str, trunk: str) -> str:
    """sip:+15551234567@trunk-host:port: the number as the user part at the trunk."""
    if not valid_number(number):
        raise ValueError(f"not a phone number: {number!r}")
    scheme, host, params = _trunk_parts(trunk)
    user = number.replace("#", "%23")  # '#' is not allowed unescaped in a SIP URI
    return f"{scheme}:{user}@{host}{params}"


def caller_uri(caller_id: str, trunk: str) -> str:
    """The From of ngage's INVITEs: the caller id at the trunk's host."""
    scheme, host, _ = _trunk_parts(trunk)
    return f"{scheme}:{caller_id}@{host}"


def display_name(number: str) -> str:
    """How the phone participant shows in the meeting: only the last digits of the number."""
    return f"Phone ···{number[-4:]}" if len(number) > 4 else f"Phone {number}"


@dataclass(frozen=True)
class Trunk:
    """The SIP trunk calls go out through (from the settings)."""

    uri: str
    caller_id: str = "ngage"
    username: str = ""
    password: str = field(default="", repr=False)  # a secret: never in logs

    def dial(self, number: str, offer_sdp: str) -> Dial:
        return Dial(
            callee_uri=callee_uri(number, self.uri),
            caller_uri=caller_uri(self.caller_id, self.uri),
            display_name=self.caller_id,
            offer_sdp=offer_sdp,
            auth_user=self.username,
            password=self.password,
        )
