"""Test participants that join meetings through ngage's signaling, as the browser does.

`Bot` is the participant (aiortc); `MediaSpec` shapes what it sends; `parse_link` turns a
start_url/join_url into where to connect and as whom. See `tests/bots/participant.py`.
"""

from tests.bots.media import FeedStats, MediaSpec
from tests.bots.participant import Bot, use_host_address
from tests.bots.signaling import Disconnected, Refused
from tests.bots.wire import MeetingLink, parse_link

__all__ = [
    "Bot",
    "Disconnected",
    "FeedStats",
    "MediaSpec",
    "MeetingLink",
    "Refused",
    "parse_link",
    "use_host_address",
]
