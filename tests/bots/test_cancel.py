"""/cancel stops the render in progress at once (it does not wait behind the running turn): the
render job ends cancelled, its credits come back, and the storyboard waits for approval again."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from reelestate.agent.backends.queued import QueuedRenderBackend
from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobStatus
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.schemas import RenderJobView
from reelestate.workers.execute import JobEnv
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env, open_jobs_service
from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos
from tests.bots import updates
from tests.bots.harness import ANN, bot_under_test
from tests.storage.factories import new_org

REPO = Path(__file__).parents[2]
FAKE_ENGINE = "tests.workers.fake_engine:render_video"


@dataclass
class Jobs:
    backend: QueuedRenderBackend
    env: JobEnv
    ctx: TenantContext
    """Whose jobs `latest` looks at: the linked person's organisation, once the bot knows it."""

    def latest(self) -> RenderJobView | None:
        jobs = self.env.jobs.recent(self.ctx)
        return jobs[0] if jobs else None

    async def wait_for(self, *statuses: JobStatus, within_s: float = 60.0) -> RenderJobView:
        deadline = time.monotonic() + within_s
        while True:
            job = await asyncio.to_thread(self.latest)
            if job is not None and job.status in statuses:
                return job
            assert time.monotonic() < deadline, f"no job became {statuses}: {job}"
            await asyncio.sleep(0.05)


@asynccontextmanager
async def held_render_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Jobs]:
    """Render jobs on SQLite with in-process workers, whose engine waits until cancelled."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO / "src"), str(REPO)]))
    monkeypatch.setenv("FAKE_ENGINE_GATE", str(tmp_path / "never-opened"))
    monkeypatch.delenv("FAKE_ENGINE_MODE", raising=False)
    settings = Settings(
        REELESTATE_DATA_DIR=tmp_path / "data",  # the bot's database: one organisation for both
        REELESTATE_RENDER_ENGINE=FAKE_ENGINE,
        REELESTATE_JOB_HEARTBEAT_S=0.2,
    )
    migrate.upgrade(settings)
    env = open_env(settings)
    pool = InProcessWorkerPool(env, poll_s=0.2)
    await pool.start()
    try:
        ctx = new_org(env.db)
        async with open_jobs_service(settings, env=env, dispatcher=pool) as service:
            yield Jobs(QueuedRenderBackend(service, ctx), env, ctx)
    finally:
        await pool.stop()
        env.close()


async def test_cancel_stops_the_render_job_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with (
        held_render_jobs(tmp_path, monkeypatch) as jobs,
        bot_under_test(tmp_path, jobs.backend) as t,
    ):
        account = t.bot.channel.accounts.account(ANN)
        assert account is not None
        jobs.ctx = account.context  # the renders are billed to Ann's organisation
        CreditsRepository(jobs.env.db).grant(jobs.ctx, 100, "test grant")
        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Send /cancel to stop it")
        running = await jobs.wait_for(JobStatus.RUNNING)
        assert CreditsRepository(jobs.env.db).balance(jobs.ctx).reserved == 1

        t.send(updates.text(ANN, "/cancel"))
        await t.wait_for_text(ANN, "Render cancelled")
        await t.wait_for_text(ANN, "Render the final video from storyboard version 1")
        assert any("Preview: cancelled" in text for text in t.texts(ANN))

        done = await jobs.wait_for(JobStatus.CANCELLED, JobStatus.FAILED, JobStatus.SUCCEEDED)
        assert (done.id, done.status) == (running.id, JobStatus.CANCELLED)
        balance = CreditsRepository(jobs.env.db).balance(jobs.ctx)
        assert (balance.available, balance.reserved) == (100, 0)
        state = await t.bot.channel.runner.state(f"tg-{ANN}")
        assert state.get("storyboard") is not None and not state.get("previews")


async def test_cancel_with_nothing_rendering_is_an_ordinary_message(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Render the final video")
        t.send(updates.text(ANN, "/cancel"))
        await t.wait_for_text(ANN, "nothing is rendered")
        assert renderer.finals == []
