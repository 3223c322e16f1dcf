"""`ngage serve`: migrate, create a first app on a fresh install, run the ASGI server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import typer
import uvicorn
from rich.panel import Panel

from ngage.auth.keys import load_server_keys
from ngage.cli.apps import show_credentials
from ngage.cli.common import ConfigOption, console, prepare, with_registry
from ngage.cli.example import example_request
from ngage.config import Settings
from ngage.errors import MediaUnavailable
from ngage.media.embedded import EmbeddedJanus
from ngage.recordings.jobs import JobWorkers, RecordingJobs
from ngage.recordings.recovery import recover


def log_config(level: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(uvicorn.config.LOGGING_CONFIG)
    config["loggers"] = {
        **config["loggers"],
        "ngage": {"handlers": ["default"], "level": level.upper(), "propagate": False},
    }
    return config


def _first_app(settings: Settings) -> None:
    async def create_if_none(apps: Any) -> Any:
        return None if await apps.list_apps() else await apps.create("default")

    issued = with_registry(settings, create_if_none)
    if issued is None:
        return
    console.print(Panel.fit("First start: an API client was created for you.", style="green"))
    show_credentials(issued, as_json=False)
    console.print("Try it (paste into a shell):\n")
    print(example_request(issued, settings.base_url) + "\n", flush=True)


def _start_media(settings: Settings) -> EmbeddedJanus | None:
    """Run the private Janus unless media is off or an external Janus is configured.

    Workers learn where it is from the environment, like the rest of the settings.
    """
    if not settings.media:
        return None
    if settings.workers > 1:
        # Meeting state lives in each worker's memory until the Redis hub lands, so a
        # meeting's participants must all reach the same process.
        console.print("[yellow]Live meetings are off: they need NGAGE_WORKERS=1 for now[/yellow]")
        os.environ["NGAGE_MEDIA"] = "false"
        return None
    if settings.janus_url:
        return None
    janus = EmbeddedJanus(settings)
    try:
        janus.start()
    except (MediaUnavailable, TimeoutError, OSError) as error:
        console.print(f"[yellow]Live meetings are off: {error}[/yellow]")
        os.environ["NGAGE_MEDIA"] = "false"
        janus.stop()
        return None
    os.environ["NGAGE_JANUS_URL"] = janus.layout.http_url
    os.environ["NGAGE_JANUS_API_SECRET"] = janus.layout.api_secret
    return janus


def serve(
    config: Path | None = ConfigOption,
    first_app: bool = typer.Option(True, help="Create and print a first API client if none."),
) -> None:
    """Run the nGage API server (NGAGE_HOST, NGAGE_PORT, NGAGE_WORKERS, ...)."""
    settings = prepare(config)
    load_server_keys(settings)  # creates the key file once, before any worker starts
    if first_app:
        _first_app(settings)
    if config is not None:
        os.environ["NGAGE_CONFIG_FILE"] = str(config)
    janus = _start_media(settings)
    workers = _start_jobs(settings, stop_interrupted=janus is not None)
    # uvicorn re-raises SIGTERM after its shutdown; exiting normally lets Janus stop cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        _run_uvicorn(settings)
    finally:
        if workers is not None:
            workers.stop()
        if janus is not None:
            janus.stop()


def _start_jobs(settings: Settings, stop_interrupted: bool) -> JobWorkers | None:
    """Recording jobs: re-queue what a previous run left, then consume here unless told not to."""
    jobs = RecordingJobs(settings)
    requeued = asyncio.run(recover(settings, jobs, stop_interrupted))
    if requeued:
        console.print(f"Resuming {requeued} recording job(s) left by the previous run")
    if not settings.jobs_embedded:
        return None
    workers = JobWorkers(jobs, settings.job_workers)
    workers.start()
    return workers


def _run_uvicorn(settings: Settings) -> None:
    uvicorn.run(
        "ngage.app:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=log_config(settings.log_level),
        log_level=settings.log_level,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        ws_max_size=128 * 1024,
    )
