"""transaction_id: the caller's api_id followed by a timestamp.

The spec writes the timestamp as YYYYMMDDhhmmssSSS (section 3.2.2) and its own
script as YYMMDDhhmmssSSS (moment's "hh" is a 12-hour clock): both are accepted.
"""

from __future__ import annotations

from datetime import datetime

_FORMATS = {15: "%y%m%d%H%M%S", 17: "%Y%m%d%H%M%S"}


def timestamp_problem(stamp: str) -> str | None:
    """Why `stamp` is not a YYMMDDhhmmssSSS or YYYYMMDDhhmmssSSS timestamp, or None."""
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) not in _FORMATS:
        return "must end with a timestamp YYYYMMDDhhmmssSSS or YYMMDDhhmmssSSS"
    try:
        datetime.strptime(stamp[:-3], _FORMATS[len(stamp)])
    except ValueError:
        return "ends with a timestamp that is not a real date and time"
    return None


def transaction_problem(transaction_id: object, api_id: str | None) -> str | None:
    """Why `transaction_id` is not `api_id + timestamp`, or None when it is."""
    if not isinstance(transaction_id, str):
        return "must be a string"
    if api_id is None or not transaction_id.startswith(api_id):
        return "must start with your api_id"
    return timestamp_problem(transaction_id[len(api_id) :])
