from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reelestate.core.settings import Settings
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobQueue
from reelestate.storage.schemas import RenderJobView
from reelestate.workers.arq_worker import ArqJobWorker
from reelestate.workers.execute import JobEnv
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import JobsService, open_env, open_jobs_service
from tests.storage.factories import new_org
from tests.support.fixtures import pg_settings, pg_url, sqlite_db, sqlite_settings
from tests.support.services import RedisServer

__all__ = ["pg_settings", "pg_url", "sqlite_db", "sqlite_settings"]

REPO = Path(__file__).parents[2]
PHOTO = REPO / "tests" / "fixtures" / "photos" / "house5" / "kitchen.jpg"
FAKE_ENGINE = "tests.workers.fake_engine:render_video"


def job_settings(database_url: str, data_dir: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "REELESTATE_DATA_DIR": data_dir,
        "REELESTATE_RENDER_ENGINE": FAKE_ENGINE,
        "REELESTATE_JOB_HEARTBEAT_S": 0.2,
        "REELESTATE_JOB_STALE_AFTER_S": 1.5,
        "REELESTATE_JOB_RECOVERY_INTERVAL_S": 0.3,
        "REELESTATE_JOB_RETRY_BASE_S": 0.1,
        **extra,
    }
    return Settings(**values)


@dataclass
class EngineControl:
    gate: Path
    log: Path

    def close_gate(self) -> None:
        self.gate.unlink(missing_ok=True)

    def open_gate(self) -> None:
        self.gate.write_text("open")

    def renders(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EngineControl:
    control = EngineControl(gate=tmp_path / "gate", log=tmp_path / "renders.log")
    control.open_gate()
    # Child processes import this checkout's sources, whatever the environment installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO / "src"), str(REPO)]))
    monkeypatch.setenv("FAKE_ENGINE_GATE", str(control.gate))
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(control.log))
    monkeypatch.delenv("FAKE_ENGINE_MODE", raising=False)
    return control


@pytest.fixture
def storyboard(tmp_path: Path) -> Path:
    path = tmp_path / "storyboard.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "profile": "final",
                "title": "4 Harbour Row",
                "scenes": [
                    {"photo": str(PHOTO), "duration": 1.0, "caption": "Kitchen"},
                    {"photo": str(PHOTO), "duration": 1.0},
                ],
            }
        )
    )
    return path


async def wait_for(
    check: Callable[[], Any], *, within_s: float = 30.0, what: str = "condition"
) -> Any:
    """Poll `check` (sync) in a thread until it returns something truthy."""
    deadline = time.monotonic() + within_s
    while True:
        value = await asyncio.to_thread(check)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def wait_status(
    service: JobsService, ctx: TenantContext, job_id: Any, *statuses: str, within_s: float = 30.0
) -> RenderJobView:
    def check() -> RenderJobView | None:
        job = service.env.jobs.get(ctx, job_id)
        return job if job.status.value in statuses else None

    result: RenderJobView = await wait_for(check, within_s=within_s, what=f"status {statuses}")
    return result


@dataclass
class Backend:
    name: str
    settings: Settings
    env: JobEnv
    service: JobsService
    ctx: TenantContext


@pytest.fixture(params=["sqlite-inprocess", "postgres-arq"])
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, engine: EngineControl
) -> AsyncIterator[Backend]:
    del engine
    if request.param == "sqlite-inprocess":
        base: Settings = request.getfixturevalue("sqlite_settings")
        settings = job_settings(base.effective_database_url, tmp_path / "data")
        env = open_env(settings)
        pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 2, JobQueue.GPU: 1}, poll_s=0.2)
        await pool.start()
        async with open_jobs_service(settings, env=env, dispatcher=pool) as service:
            yield Backend(request.param, settings, env, service, new_org(env.db, credits=100))
        await pool.stop()
        env.close()
        return
    base = request.getfixturevalue("pg_settings")
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    settings = job_settings(
        base.effective_database_url, tmp_path / "data", REDIS_URL=redis_server.url
    )
    env = open_env(settings)
    worker = ArqJobWorker(env, JobQueue.CPU, 2)
    gpu_worker = ArqJobWorker(env, JobQueue.GPU, 1)
    tasks = [asyncio.create_task(worker.serve()), asyncio.create_task(gpu_worker.serve())]
    try:
        async with open_jobs_service(settings, env=env) as service:
            yield Backend(request.param, settings, env, service, new_org(env.db, credits=100))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await worker.close()
        await gpu_worker.close()
        env.close()
        redis_server.stop()
