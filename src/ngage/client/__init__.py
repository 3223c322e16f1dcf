"""The Python SDK for the nGage Video API.

from ngage.client import Client, MeetingConfig

with Client() as client:   # NGAGE_BASE_URL, NGAGE_API_ID, NGAGE_API_KEY, NGAGE_API_SECRET
    meeting = client.create_meeting(
        topic="Weekly sync", host_name="Ana", participant_name="Guest",
        participant=MeetingConfig(screenShare=False),
    )
    print(meeting.join_url, meeting.password)
"""

from ngage.client.aio import AsyncClient
from ngage.client.errors import (
    ApiError,
    BadRequest,
    DuplicateTransaction,
    InvalidSettings,
    MissingCredentials,
    NgageClientError,
    NotAuthorized,
    ServerError,
    TransportError,
)
from ngage.client.models import Meeting, MeetingConfig, Recording, RecordingFile, ViewConfig
from ngage.client.sync import Client

__all__ = [
    "ApiError",
    "AsyncClient",
    "BadRequest",
    "Client",
    "DuplicateTransaction",
    "InvalidSettings",
    "Meeting",
    "MeetingConfig",
    "MissingCredentials",
    "NgageClientError",
    "NotAuthorized",
    "Recording",
    "RecordingFile",
    "ServerError",
    "TransportError",
    "ViewConfig",
]
