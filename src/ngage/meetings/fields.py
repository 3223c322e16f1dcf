"""Field types with the spec's data-type rules (section 2).

Strings are UTF-8 with no control characters 0x00-0x1F. Booleans are JSON
true/false or the exact lowercase strings "true"/"false"; nothing else.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema

_CONTROL = re.compile(r"[\x00-\x1f]")


def literal_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise ValueError("must be true or false")


def check_text(value: object, max_length: int) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters (0x00-0x1F)")
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    return value


def text(max_length: int) -> PlainValidator:
    return PlainValidator(lambda value: check_text(value, max_length))


Flag = Annotated[
    bool,
    PlainValidator(literal_bool),
    WithJsonSchema({"type": "boolean", "description": 'true or false (also "true"/"false")'}),
]
NAME_LENGTH = 100
Name = Annotated[str, text(NAME_LENGTH), WithJsonSchema({"type": "string", "maxLength": 100})]
Topic = Annotated[str, text(200), WithJsonSchema({"type": "string", "maxLength": 200})]
