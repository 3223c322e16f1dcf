"""The services one HTTP process uses, built once at start-up from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ngage.auth.credentials import SecretBox
from ngage.auth.keys import ServerKeys
from ngage.auth.links import DownloadLinks, MeetingLinks
from ngage.auth.verifier import RequestVerifier
from ngage.config import Settings
from ngage.meetings.eventlog import EventLog
from ngage.meetings.lifecycle import MeetingLifecycle
from ngage.meetings.media import MediaPlane
from ngage.meetings.service import MeetingService
from ngage.phone.numbers import Trunk
from ngage.recordings.catalog import RecordingCatalog
from ngage.recordings.control import RecordingControl
from ngage.recordings.jobs import RecordingJobs
from ngage.recordings.storage import LocalStorage
from ngage.signaling.context import Context
from ngage.signaling.hub import LocalHub
from ngage.store import Store


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    verifier: RequestVerifier
    meetings: MeetingService
    meeting_links: MeetingLinks
    recordings: RecordingCatalog
    lifecycle: MeetingLifecycle
    signaling: Context
    events: EventLog


def build_services(
    settings: Settings, store: Store, keys: ServerKeys, media: MediaPlane | None
) -> Services:
    links = MeetingLinks(keys.meeting_links, settings.meeting_link_ttl_seconds)
    verifier = RequestVerifier(
        store,
        SecretBox(keys.secret_storage),
        settings.timestamp_window_seconds,
        settings.credential_cache_seconds,
    )
    downloads = DownloadLinks(keys.download_links, settings.download_ttl_seconds)
    storage = LocalStorage(settings.recordings_dir)
    catalog = RecordingCatalog(store, downloads, settings.base_url, storage)
    meetings = MeetingService(store, links, settings.base_url)
    lifecycle = MeetingLifecycle(store)
    events = EventLog(store)
    jobs = RecordingJobs(settings)
    recordings = RecordingControl(store, media, events, jobs.enqueue, settings.recordings_dir)
    signaling = Context(
        hub=LocalHub(),
        media=media,
        lifecycle=lifecycle,
        meetings=meetings,
        ice_servers=[server.model_dump(exclude_none=True) for server in settings.ice_servers],
        empty_grace_seconds=settings.empty_meeting_grace_seconds,
        events=events,
        recordings=recordings,
        store=store,
        trunk=_trunk(settings),
    )
    return Services(
        settings, store, verifier, meetings, links, catalog, lifecycle, signaling, events
    )


def _trunk(settings: Settings) -> Trunk | None:
    if not settings.callout_configured:
        return None
    password = settings.sip_password.get_secret_value() if settings.sip_password else ""
    return Trunk(settings.sip_trunk, settings.sip_caller_id, settings.sip_username, password)


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services
