"""Each dispatcher says whether a job handed over now would reach a worker."""

from __future__ import annotations

import asyncio

from reelestate.core.jobs import JobQueue
from reelestate.core.settings import Settings
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env


async def test_the_embedded_pool_is_ready_only_while_its_workers_run(
    sqlite_settings: Settings,
) -> None:
    env = open_env(sqlite_settings)
    pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 1}, poll_s=0.1)
    try:
        assert await pool.ping() == "not started"
        await pool.start()
        assert await pool.ping() is None
        pool._tasks[0].cancel()
        await asyncio.wait([pool._tasks[0]], timeout=5)
        assert await pool.ping() == f"1 of {len(pool._tasks)} workers stopped"
    finally:
        await pool.stop()
        env.close()
