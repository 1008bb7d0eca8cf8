"""Readiness of a process that serves or runs jobs: its dependencies asked for real.

The web app's `/readyz` and a worker's health port answer from the same checks, so an
orchestrator sees a database, blob store or queue outage the same way on either: a query, a
listing, a Redis PING, never "a client object exists".
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from reelestate.render.ffmpeg import find_tools
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database

RETRY_AFTER_S = 5
"""What every 503 (a readiness probe, a problem response) asks clients to wait: dependencies that
drop out (a database restart, a Redis failover) are usually back within a few seconds."""
EXTERNAL_WORKER = "external worker"
"""The queue check of a web app that hands jobs to workers it does not run or reach."""


class Pingable(Protocol):
    async def ping(self) -> str | None:
        """None when ready; otherwise why not, in a few words."""


class Readiness(BaseModel):
    model_config = ConfigDict(frozen=True)

    ready: bool
    checks: dict[str, str]


def _dependency_checks(db: Database, blobs: BlobStore) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        checks["database"] = "ok" if db.ping() else "failed"
    except Exception as exc:
        checks["database"] = f"failed: {type(exc).__name__}"
    local = TenantContext.local()
    try:
        blobs.list(local, f"org/{local.org_id}/health/")
        checks["blobs"] = "ok"
    except Exception as exc:
        checks["blobs"] = f"failed: {type(exc).__name__}"
    try:
        find_tools()
        checks["ffmpeg"] = "ok"
    except Exception as exc:
        checks["ffmpeg"] = f"failed: {type(exc).__name__}"
    return checks


async def check_readiness(db: Database, blobs: BlobStore, queue: Pingable | None) -> Readiness:
    """Database, blob store and FFmpeg (in a thread: their clients block), then the queue."""
    checks = await asyncio.to_thread(_dependency_checks, db, blobs)
    if queue is None:
        checks["queue"] = EXTERNAL_WORKER
    else:
        problem = await queue.ping()
        checks["queue"] = "ok" if problem is None else f"failed: {problem}"
    ready = all(value in {"ok", EXTERNAL_WORKER} for value in checks.values())
    return Readiness(ready=ready, checks=checks)
