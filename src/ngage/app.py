"""create_app(settings): wiring only."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from ngage import __version__
from ngage.api import api_routes, downloads, meeting_socket, pages
from ngage.api.access_log import AccessLog
from ngage.api.docs import install_openapi, install_swagger_ui
from ngage.api.errors import install_error_handlers
from ngage.api.services import build_services
from ngage.auth.keys import load_server_keys
from ngage.config import Settings, load_settings
from ngage.media.janus import JanusClient
from ngage.media.plane import JanusMediaPlane
from ngage.store import open_store

STATIC = Path(__file__).parent / "web" / "static"

DESCRIPTION = """Self-hosted nGage Video API. Every request is signed: headers `api-key`,
`timestamp` (Unix seconds) and `Signature` = base64(HMAC-SHA256(api_secret,
api_id + ":" + timestamp)). Errors are `{"transaction_id", "status_desc"}`."""


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await open_store(settings.store_url)
        media = await _open_media(settings)
        services = build_services(settings, store, load_server_keys(settings), media)
        app.state.services = services
        services.events.start()
        # Start-up objects live for the whole process: move them out of the
        # collector's reach so full collections under load stay short.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await services.signaling.close()
            await services.events.close()
            if media is not None:
                await media.close()
            await store.close()

    app = FastAPI(
        title="nGage Video API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        redoc_url=None,
        docs_url=None,
    )
    install_error_handlers(app)
    install_openapi(app)
    install_swagger_ui(app)
    app.include_router(api_routes.router)
    app.include_router(downloads.router)
    app.include_router(pages.router)
    app.include_router(meeting_socket.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if settings.access_log:
        app.add_middleware(AccessLog)
    return app


async def _open_media(settings: Settings) -> JanusMediaPlane | None:
    """The Janus media plane, when this server runs live meetings."""
    if not (settings.media and settings.janus_url and settings.janus_api_secret):
        return None
    secret = settings.janus_api_secret.get_secret_value()
    plane = JanusMediaPlane(JanusClient(settings.janus_url, secret), room_secret=secret)
    await plane.start()
    return plane


def app_from_environment() -> FastAPI:
    """Factory for worker processes: the same settings the CLI built, read again."""
    config_file = os.environ.get("NGAGE_CONFIG_FILE")
    return create_app(load_settings(Path(config_file) if config_file else None))
