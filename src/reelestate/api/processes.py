"""How many processes `reelestate serve` runs, and why more than one needs Redis and PostgreSQL.

Several processes share nothing in memory, and three things of the web app live in memory on
the embedded defaults: the in-process job queue (a job submitted in one process would wait for
the other's one-second database poll, and two pools would compete for the same jobs), the
progress broadcast a WebSocket listens to (a job running in process A is invisible to a client
connected to process B), and the rate-limit windows (each process would allow the full limit).
With `REDIS_URL` all three move to Redis (arq, pub/sub, a shared window), which every process
reaches alike; with `DATABASE_URL` the database takes writers from many processes (SQLite takes
one at a time and would turn throughput into lock waits). Running the embedded job pool in one
designated process instead would still leave progress and limits split, so more than one
process without those two is refused with the reason rather than served half correct.
"""

from __future__ import annotations

import os

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import Settings


def shared_services(settings: Settings) -> bool:
    """PostgreSQL and Redis: what several processes need to act as one app."""
    return bool(settings.database_url) and bool(settings.redis_url)


def server_processes(settings: Settings, requested: int | None, cpus: int | None = None) -> int:
    """The processes to run: `requested`, or one per core when the shared services are set
    (production) and one on the embedded defaults."""
    if requested is None:
        if not shared_services(settings):
            return 1
        return max(1, cpus if cpus is not None else (os.cpu_count() or 1))
    if requested < 1:
        raise ConfigurationError("--workers must be at least 1.")
    if requested > 1 and not shared_services(settings):
        needed = (("DATABASE_URL", settings.database_url), ("REDIS_URL", settings.redis_url))
        missing = [name for name, value in needed if not value]
        raise ConfigurationError(
            f"--workers {requested} needs {' and '.join(missing)}: on the embedded defaults the "
            "job queue, render progress and rate limits live inside one process.",
            hint="Set DATABASE_URL (PostgreSQL) and REDIS_URL, or serve with --workers 1.",
        )
    return requested
