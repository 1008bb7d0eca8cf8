"""Periodic clean-up beside the job system: collecting stored files no row references.

Runs in the web app and in every `reelestate worker`; several at once is harmless (a file is
deleted at most once, and each run re-reads what is referenced), and whichever process is up
keeps the store clean.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from reelestate.core.errors import ReelEstateError
from reelestate.storage.blob_gc import CollectedBlobs, collect_unreferenced
from reelestate.workers.execute import JobEnv

log = logging.getLogger(__name__)


def collect_blobs(env: JobEnv, *, dry_run: bool = False) -> CollectedBlobs:
    return collect_unreferenced(
        env.db,
        env.blobs,
        grace=timedelta(seconds=env.settings.blob_gc_grace_s),
        dry_run=dry_run,
    )


async def blob_gc_loop(env: JobEnv, stopping: asyncio.Event) -> None:
    """Collect every `REELESTATE_BLOB_GC_INTERVAL_S` (first after one interval, so start-up
    stays quick) until `stopping` is set; a run that fails is logged and tried next time."""
    interval = env.settings.blob_gc_interval_s
    if interval <= 0:
        return
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), interval)
        if stopping.is_set():
            return
        try:
            await asyncio.to_thread(collect_blobs, env)
        except (ReelEstateError, SQLAlchemyError, OSError) as exc:
            log.warning("collecting unreferenced files failed: %s", exc)
