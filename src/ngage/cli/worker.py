"""`ngage worker`: run recording jobs on a machine of its own."""

from __future__ import annotations

from pathlib import Path

import typer
from huey.consumer import Consumer

from ngage.cli.common import ConfigOption, prepare
from ngage.recordings.jobs import RecordingJobs


def worker(
    config: Path | None = ConfigOption,
    threads: int = typer.Option(1, min=1, max=16, help="Jobs run at once."),
) -> None:
    """Process recordings from the shared queue (NGAGE_REDIS_URL) until stopped.

    `ngage serve` already runs jobs itself; extra workers share the load when several
    machines share the queue, the database and the recordings directory.
    """
    settings = prepare(config)
    jobs = RecordingJobs(settings)
    Consumer(jobs.huey, workers=threads, worker_type="thread", periodic=False).run()
