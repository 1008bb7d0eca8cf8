"""A worker process for one queue: arq on Redis when `REDIS_URL` is set, the database otherwise.

`reelestate worker` runs this; so does `python -m reelestate.workers.worker` (a container
entry point without the command-line app). SIGTERM or SIGINT stops picking jobs and hands
running ones back to the queue. With `REELESTATE_WORKER_HEALTH_PORT` set it also answers
`/healthz`, `/readyz` and `/metrics` there (`workers.health_server`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable

from reelestate.core import tracing
from reelestate.core.jobs import JobQueue
from reelestate.core.logging import configure_logging
from reelestate.core.settings import Settings, get_settings
from reelestate.core.shutdown import CLEAN_UP_S, ExitDeadline
from reelestate.workers.arq_worker import ArqJobWorker
from reelestate.workers.health_server import serve_health
from reelestate.workers.housekeeping import blob_gc_loop
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.queue_metrics import register_queue_metrics
from reelestate.workers.readiness import Readiness, check_readiness
from reelestate.workers.service import open_env

log = logging.getLogger(__name__)


async def serve(
    queue: JobQueue,
    concurrency: int,
    settings: Settings | None = None,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until `stop` is set (by default: until SIGINT or SIGTERM).

    Stopping hands running jobs back within `REELESTATE_SHUTDOWN_GRACE_S`; past it the process
    ends anyway (a job not handed back is recovered from its lapsed heartbeat by another worker).
    """
    settings = settings or get_settings()
    env = open_env(settings)
    register_queue_metrics(env.system)
    tracing.configure(f"reelestate-worker-{queue.value}", settings.otel_exporter_otlp_endpoint)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if stop is None else ()
    stop = stop or asyncio.Event()
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    deadline = ExitDeadline(settings.shutdown_grace_s + CLEAN_UP_S, "the worker")
    housekeeping = asyncio.create_task(blob_gc_loop(env, stop))
    runner: ArqJobWorker | InProcessWorkerPool | None = None

    async def probe() -> Readiness:
        return await check_readiness(env.db, env.blobs, runner)

    health = (
        asyncio.create_task(serve_health(settings.worker_health_host, health_port, probe, stop))
        if (health_port := settings.worker_health_port)
        else None
    )
    try:
        if settings.redis_url:
            worker = runner = ArqJobWorker(env, queue, concurrency)
            serving = asyncio.create_task(worker.serve())
            log.info("worker on the %s queue (arq, %d at a time)", queue.value, concurrency)
            await stop.wait()
            deadline.arm()
            serving.cancel()
            await _within(_stop_arq(serving, worker), settings.shutdown_grace_s)
        else:
            pool = runner = InProcessWorkerPool(env, concurrency={queue: concurrency})
            await pool.start()
            log.info("worker on the %s queue (embedded, %d at a time)", queue.value, concurrency)
            await stop.wait()
            deadline.arm()
            await _within(pool.stop(), settings.shutdown_grace_s)
        await _within(housekeeping, CLEAN_UP_S)
        if health is not None:
            await _within(health, CLEAN_UP_S)
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        env.close()
        tracing.flush()
        deadline.disarm()


async def _stop_arq(serving: asyncio.Task[None], worker: ArqJobWorker) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        await serving
    await worker.close()


async def _within(stopping: Awaitable[None], seconds: float) -> None:
    try:
        await asyncio.wait_for(stopping, seconds)
    except TimeoutError:
        log.warning("handing work back took more than %.0f s; stopping anyway", seconds)


def run(queue: JobQueue, concurrency: int | None = None) -> None:
    configure_logging()
    settings = get_settings()
    default = settings.cpu_concurrency if queue == JobQueue.CPU else settings.gpu_concurrency
    asyncio.run(serve(queue, concurrency or default, settings))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="reelestate-worker")
    parser.add_argument("--queue", choices=[q.value for q in JobQueue], default="cpu")
    parser.add_argument("--concurrency", type=int, default=None)
    args = parser.parse_args(argv)
    run(JobQueue(args.queue), args.concurrency)


if __name__ == "__main__":
    main()
