"""`/metrics`: the queue gauges follow the job table up and back down, the worker's health port
serves them, and finished jobs are counted by kind and outcome."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from reelestate.core import metrics
from reelestate.core.jobs import JobQueue
from reelestate.services.storyboards import import_storyboard
from reelestate.storage import migrate
from reelestate.workers.execute import JobRun
from reelestate.workers.health_server import answer
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.queue_metrics import register_queue_metrics
from reelestate.workers.readiness import Readiness
from reelestate.workers.service import open_env, open_jobs_service
from tests.storage.factories import new_org
from tests.workers.conftest import job_settings

JOBS = 20


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _cpu(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], state: str) -> float:
    return samples[("reelestate_queue_jobs", (("queue", "cpu"), ("state", state)))]


async def _scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async def probe() -> Readiness:
        raise AssertionError("not asked")

    raw = await answer("/metrics", probe)
    head, body = raw.split(b"\r\n\r\n", 1)
    assert b"200 OK" in head and b"text/plain" in head
    return _samples(body.decode())


async def _wait_scrape(
    check: Callable[[dict[tuple[str, tuple[tuple[str, str], ...]], float]], bool], what: str
) -> None:
    deadline = asyncio.get_running_loop().time() + 30
    while not check(await _scrape()):
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


async def test_queue_gauge_follows_twenty_jobs_up_and_back_to_zero(
    tmp_path: Path, storyboard: Path
) -> None:
    # A database of its own, so the gauge's zero is this test's zero.
    data = tmp_path / "data"
    settings = job_settings(f"sqlite:///{data / 'jobs.sqlite3'}", data)
    data.mkdir()
    migrate.upgrade(settings)
    env = open_env(settings)
    register_queue_metrics(env.system)
    finished = metrics.JOBS_FINISHED.labels("render_preview", "succeeded")
    before = finished._value.get()
    gate = threading.Event()

    def held_render(run: JobRun) -> dict[str, Any]:
        # The gauge is what is tested, not the render: each job holds until the gate opens.
        gate.wait(30)
        return {}

    try:
        # No worker yet: every job waits in the table.
        async with open_jobs_service(settings, env=env) as service:
            ctx = new_org(env.db, credits=100)
            version = await import_storyboard(env.db, env.blobs, ctx, storyboard)
            start = await _scrape()
            for _ in range(JOBS):
                await service.submit_render(ctx, version.id, preview=True)
        up = await _scrape()
        assert (_cpu(start, "queued"), _cpu(up, "queued"), _cpu(up, "running")) == (0, JOBS, 0)
        wanted = ("reelestate_queue_desired_workers", (("queue", "cpu"),))
        # The scaling rule of `jobs stats`: 20 jobs of 45 s, 60 s wait, 2 slots a worker -> 8.
        assert (start[wanted], up[wanted]) == (1, 8)
        assert up[("reelestate_queue_oldest_job_age_seconds", (("queue", "cpu"),))] >= 0

        pool = InProcessWorkerPool(
            env,
            concurrency={JobQueue.CPU: 4},
            handlers={"render_preview": held_render},
            poll_s=0.05,
        )
        await pool.start()
        try:
            await _wait_scrape(
                lambda m: (_cpu(m, "queued"), _cpu(m, "running")) == (JOBS - 4, 4),
                "four jobs running, the rest queued",
            )
            gate.set()
            await _wait_scrape(
                lambda m: _cpu(m, "queued") + _cpu(m, "running") == 0, "the queue to drain"
            )
        finally:
            gate.set()
            await pool.stop()
        down = await _scrape()
        assert down[wanted] == start[wanted]
        assert finished._value.get() - before == JOBS
    finally:
        env.close()
