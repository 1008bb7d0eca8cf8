"""Workers die and Redis restarts (on a private PostgreSQL cluster and redis-server); every
job still finishes once, with one output and one charge."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from reelestate.core.settings import Settings
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.models import JobQueue, JobStatus, LedgerKind
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.workers.arq_worker import ArqJobWorker
from reelestate.workers.dispatch import dispatch_job
from reelestate.workers.execute import JobEnv
from reelestate.workers.render_video import OUTPUT_FILES
from reelestate.workers.service import JobsService, open_env, open_jobs_service
from tests.storage.factories import new_org
from tests.support.services import RedisServer
from tests.workers.conftest import (
    Backend,
    EngineControl,
    job_settings,
    wait_for,
    wait_status,
)


@pytest.fixture
async def arq_setup(
    tmp_path: Path, pg_settings: Settings, engine: EngineControl
) -> AsyncIterator[tuple[Settings, JobEnv, JobsService, RedisServer]]:
    del engine
    server = RedisServer(tmp_path)
    server.start()
    settings = job_settings(
        pg_settings.effective_database_url, tmp_path / "data", REDIS_URL=server.url
    )
    env = open_env(settings)
    try:
        async with open_jobs_service(settings, env=env) as service:
            yield settings, env, service, server
    finally:
        env.close()
        server.stop()


def _spawn_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.effective_database_url,
        "REDIS_URL": settings.redis_url or "",
        "REELESTATE_DATA_DIR": str(settings.data_dir),
        "REELESTATE_RENDER_ENGINE": settings.render_engine,
        "REELESTATE_JOB_HEARTBEAT_S": str(settings.job_heartbeat_s),
        "REELESTATE_JOB_STALE_AFTER_S": str(settings.job_stale_after_s),
        "REELESTATE_JOB_RECOVERY_INTERVAL_S": str(settings.job_recovery_interval_s),
        "REELESTATE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "reelestate.workers.worker", "--queue", "cpu",
         "--concurrency", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


async def test_a_worker_killed_mid_render_is_replaced_and_the_job_finishes_once(
    arq_setup: tuple[Settings, JobEnv, JobsService, RedisServer],
    engine: EngineControl,
    storyboard: Path,
) -> None:
    settings, env, service, _ = arq_setup
    ctx = new_org(env.db, credits=50)
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    job = await service.submit_render(ctx, version.id)
    first = _spawn_worker(settings)
    second: subprocess.Popen[bytes] | None = None
    try:
        await wait_for(
            lambda: env.jobs.get(ctx, job.id).stage == "render" and engine.renders(),
            what="the first worker to be rendering",
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        render_pid = int(engine.renders()[0].split()[0])
        # The render child notices its parent is gone and stops.
        await wait_for(lambda: not _alive(render_pid), what="the orphaned render to stop")
        engine.open_gate()
        second = _spawn_worker(settings)
        done = await wait_status(service, ctx, job.id, "succeeded", "failed", within_s=60)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    assert done.status == JobStatus.SUCCEEDED and done.attempts == 2
    assert len(engine.renders()) == 2
    entries = [e for e in CreditsRepository(env.db).entries(ctx) if e.job_id == job.id]
    assert sorted(e.kind for e in entries) == sorted([LedgerKind.RESERVE, LedgerKind.CAPTURE])
    balance = CreditsRepository(env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (40, 0)
    prefix = (done.outputs or {})["video"]["key"].rsplit("/", 1)[0]
    rendered = env.blobs.list(ctx, f"org/{ctx.org_id}/renders/")
    # Every output file once, plus the render's own spec (`render.json`): one attempt's worth.
    assert len(rendered) == len(OUTPUT_FILES) + 1
    assert all(b.key.startswith(prefix) for b in rendered)
    types = [e.type async for e in service.follow(ctx, job.id)]
    assert types.count("worker_lost") == 1 and types[-1] == "succeeded"


async def test_sigterm_mid_render_hands_the_job_to_another_worker_with_one_output(
    arq_setup: tuple[Settings, JobEnv, JobsService, RedisServer],
    engine: EngineControl,
    storyboard: Path,
) -> None:
    """A scale-down: the worker stops taking jobs, hands its render back and exits in time."""
    settings, env, service, _ = arq_setup
    ctx = new_org(env.db, credits=50)
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    job = await service.submit_render(ctx, version.id)
    first = _spawn_worker(settings)
    second: subprocess.Popen[bytes] | None = None
    try:
        await wait_for(
            lambda: env.jobs.get(ctx, job.id).stage == "render" and engine.renders(),
            what="the first worker to be rendering",
        )
        second = _spawn_worker(settings)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(first.wait, 30) in {0, -signal.SIGTERM}
        engine.open_gate()
        done = await wait_status(service, ctx, job.id, "succeeded", "failed", within_s=60)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    # Handed back, not failed: the attempt the shutdown cut short is not counted.
    assert done.status == JobStatus.SUCCEEDED and done.attempts == 1
    assert len(engine.renders()) == 2
    kinds = [e.kind for e in CreditsRepository(env.db).entries(ctx) if e.job_id == job.id]
    assert sorted(kinds) == sorted([LedgerKind.RESERVE, LedgerKind.CAPTURE])
    balance = CreditsRepository(env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (40, 0)
    rendered = env.blobs.list(ctx, f"org/{ctx.org_id}/renders/")
    assert len(rendered) == len(OUTPUT_FILES) + 1
    types = [e.type async for e in service.follow(ctx, job.id)]
    assert types.count("released") == 1 and types[-1] == "succeeded"


async def test_redis_restarted_mid_job_loses_nothing(
    arq_setup: tuple[Settings, JobEnv, JobsService, RedisServer],
    engine: EngineControl,
    storyboard: Path,
) -> None:
    _, env, service, server = arq_setup
    ctx = new_org(env.db, credits=50)
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    worker = ArqJobWorker(env, JobQueue.CPU, 1)
    serving = asyncio.create_task(worker.serve())
    try:
        running = await service.submit_render(ctx, version.id, preview=True)
        waiting = await service.submit_render(ctx, version.id, preview=True)
        await wait_status(service, ctx, running.id, "running")
        server.stop()  # the queue entry of `waiting` is gone with it
        server.start()
        engine.open_gate()
        for job in (running, waiting):
            done = await wait_status(service, ctx, job.id, "succeeded", "failed", within_s=60)
            assert done.status == JobStatus.SUCCEEDED and done.attempts == 1
        # The worker is connected again and takes new work.
        later = await service.submit_render(ctx, version.id, preview=True)
        assert (await wait_status(service, ctx, later.id, "succeeded")).attempts == 1
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
        await worker.close()
    assert len(engine.renders()) == 3
    balance = CreditsRepository(env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (47, 0)


async def test_duplicate_delivery_runs_the_job_once(
    backend: Backend, engine: EngineControl, storyboard: Path
) -> None:
    service, ctx = backend.service, backend.ctx
    assert service.dispatcher is not None
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    job = await service.submit_render(ctx, version.id)
    await wait_status(service, ctx, job.id, "running")
    # The queue hands the same job over again while it runs...
    await dispatch_job(backend.env, service.dispatcher, ctx, job.id, JobQueue.CPU)
    await dispatch_job(backend.env, service.dispatcher, ctx, job.id, JobQueue.CPU)
    await asyncio.sleep(0.3)
    engine.open_gate()
    done = await wait_status(service, ctx, job.id, "succeeded", "failed")
    # ...and once more after it finished.
    await dispatch_job(backend.env, service.dispatcher, ctx, job.id, JobQueue.CPU)
    await asyncio.sleep(0.3)
    assert done.status == JobStatus.SUCCEEDED and done.attempts == 1
    assert len(engine.renders()) == 1
    kinds = [e.kind for e in CreditsRepository(backend.env.db).entries(ctx) if e.job_id == job.id]
    assert kinds.count(LedgerKind.CAPTURE) == 1
    assert (await service.get(ctx, job.id)).attempts == 1
