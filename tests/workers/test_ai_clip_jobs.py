"""AI clips through the job system: one GPU job per scene, awaited by the render job.

Real engine, real fal-client against the fake fal; embedded SQLite with in-process workers,
and PostgreSQL with arq workers for the CPU and GPU queues on a real Redis.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reelestate.core.settings import Settings
from reelestate.providers.video_gen.fal_hosts import point_fal_client_at
from reelestate.render.probe import inspect_video
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobKind, JobQueue, JobStatus, RenderJob
from reelestate.workers.arq_worker import ArqJobWorker
from reelestate.workers.execute import JobEnv
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import JobsService, open_env, open_jobs_service
from tests.storage.factories import new_org
from tests.support.fake_fal import FakeFal, run_fake_fal
from tests.support.fal_clips import FalClips, make_fal_clips
from tests.support.services import RedisServer
from tests.workers.conftest import PHOTO, job_settings, wait_status


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> FalClips:
    return make_fal_clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture
def fal(clips: FalClips) -> Iterator[FakeFal]:
    with run_fake_fal(clip=clips.good, queue_positions=(1, 0), running_polls=1) as fake:
        yield fake
    point_fal_client_at(None)


@dataclass
class Jobs:
    env: JobEnv
    service: JobsService
    ctx: TenantContext


def _settings(database_url: str, data: Path, fal: FakeFal, **extra: Any) -> Settings:
    return job_settings(
        database_url,
        data,
        REELESTATE_RENDER_ENGINE="reelestate.render.engine:render_video",
        FAL_KEY=fal.key,
        REELESTATE_FAL_BASE_URL=fal.base_url,
        REELESTATE_VIDEO_GEN_ATTEMPTS=1,
        **extra,
    )


@pytest.fixture(params=["sqlite-inprocess", "postgres-arq"])
async def jobs(request: pytest.FixtureRequest, tmp_path: Path, fal: FakeFal) -> AsyncIterator[Jobs]:
    if request.param == "sqlite-inprocess":
        base: Settings = request.getfixturevalue("sqlite_settings")
        settings = _settings(base.effective_database_url, tmp_path / "data", fal)
        env = open_env(settings)
        pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 1, JobQueue.GPU: 2}, poll_s=0.2)
        await pool.start()
        try:
            async with open_jobs_service(settings, env=env, dispatcher=pool) as service:
                yield Jobs(env, service, new_org(env.db, credits=100))
        finally:
            await pool.stop()
            env.close()
        return
    pg: Settings = request.getfixturevalue("pg_settings")
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    settings = _settings(
        pg.effective_database_url, tmp_path / "data", fal, REDIS_URL=redis_server.url
    )
    env = open_env(settings)
    workers = [ArqJobWorker(env, JobQueue.CPU, 1), ArqJobWorker(env, JobQueue.GPU, 2)]
    tasks = [asyncio.create_task(w.serve()) for w in workers]
    try:
        async with open_jobs_service(settings, env=env) as service:
            yield Jobs(env, service, new_org(env.db, credits=100))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for worker in workers:
            await worker.close()
        env.close()
        redis_server.stop()


def storyboard(tmp_path: Path) -> Path:
    path = tmp_path / "ai.json"
    scene: dict[str, Any] = {"photo": str(PHOTO), "duration": 1.5, "transition": {"kind": "cut"}}
    ai = {"model": "kling-1.6-standard", "prompt": "Slow dolly-in through the kitchen."}
    path.write_text(
        json.dumps(
            {
                "profile": "preview",
                "fps": 24,
                "music": None,
                "flags": {"captions": False},
                "brand": {"intro_card": False, "outro_card": False},
                "scenes": [{**scene, "ai_motion": ai}, scene],
            }
        )
    )
    return path


def clip_jobs(jobs: Jobs) -> list[RenderJob]:
    with jobs.env.db.tenant(jobs.ctx) as session:
        query = select(RenderJob).where(
            RenderJob.kind == JobKind.GENERATE_CLIP,
            RenderJob.organization_id == jobs.ctx.org_id,
        )
        return list(session.scalars(query))


async def render(jobs: Jobs, tmp_path: Path) -> dict[str, Any]:
    version = await import_storyboard(
        jobs.service.env.db, jobs.service.env.blobs, jobs.ctx, storyboard(tmp_path)
    )
    job = await jobs.service.submit_render(jobs.ctx, version.id)
    done = await wait_status(jobs.service, jobs.ctx, job.id, "succeeded", "failed", within_s=180)
    assert done.status == JobStatus.SUCCEEDED, done.error_message
    outputs = done.outputs or {}
    video = jobs.env.blobs.download(jobs.ctx, outputs["video"]["key"], tmp_path / "v.mp4")
    assert inspect_video(video).video_duration == pytest.approx(3.0, abs=0.1)
    return outputs


async def test_a_render_job_waits_for_its_clip_job_on_the_gpu_queue(
    jobs: Jobs, fal: FakeFal, tmp_path: Path
) -> None:
    outputs = await render(jobs, tmp_path)
    [outcome] = outputs["ai_clips"]
    assert outcome["made_by"] == "ai" and outcome["scene"] == 0
    assert outcome["cost_usd"] > 0 and outputs["ai_cost_usd"] == outcome["cost_usd"]
    [child] = clip_jobs(jobs)
    assert child.queue == JobQueue.GPU and child.status == JobStatus.SUCCEEDED
    work = jobs.env.settings.data_dir / "work"
    assert not list(work.glob(f"{child.id}-*")), "the clip job's working folder is gone"
    assert len(fal.of("submit")) == 1


async def test_with_fal_failing_the_render_completes_with_photo_motion_and_the_reason(
    jobs: Jobs, fal: FakeFal, tmp_path: Path
) -> None:
    fal.fail_next("submit", 500, {"detail": "Model overloaded"}, times=5)
    outputs = await render(jobs, tmp_path)
    [outcome] = outputs["ai_clips"]
    assert outcome["made_by"] == "ken_burns"
    assert "Model overloaded" in outcome["fallback_reason"]
    assert outputs["ai_cost_usd"] == 0
    [child] = clip_jobs(jobs)
    assert child.status == JobStatus.FAILED
