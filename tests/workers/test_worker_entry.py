from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from reelestate.core.settings import Settings
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.models import JobQueue, JobStatus
from reelestate.workers import render_child
from reelestate.workers.service import open_env, open_jobs_service
from reelestate.workers.worker import serve
from tests.storage.factories import new_org
from tests.support.services import RedisServer
from tests.workers.conftest import FAKE_ENGINE, PHOTO, EngineControl, job_settings, wait_status


@pytest.mark.parametrize("mode", ["embedded", "arq"])
async def test_worker_serves_until_told_to_stop(
    mode: str,
    tmp_path: Path,
    engine: EngineControl,
    storyboard: Path,
    sqlite_settings: Settings,
    pg_settings: Settings,
) -> None:
    del engine
    redis_server: RedisServer | None = None
    if mode == "arq":
        redis_server = RedisServer(tmp_path)
        redis_server.start()
        settings = job_settings(
            pg_settings.effective_database_url, tmp_path / "data", REDIS_URL=redis_server.url
        )
    else:
        settings = job_settings(sqlite_settings.effective_database_url, tmp_path / "data")
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(JobQueue.CPU, 1, settings, stop=stop))
    env = open_env(settings)
    try:
        ctx = new_org(env.db, credits=5)
        async with open_jobs_service(settings, env=env) as service:
            version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
            job = await service.submit_render(ctx, version.id, preview=True)
            done = await wait_status(service, ctx, job.id, "succeeded", "failed")
        assert done.status == JobStatus.SUCCEEDED
    finally:
        stop.set()
        await serving
        env.close()
        if redis_server is not None:
            redis_server.stop()


def test_render_child_speaks_json_lines(
    tmp_path: Path, engine: EngineControl, capsys: pytest.CaptureFixture[str]
) -> None:
    del engine
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"scenes": [{"photo": str(PHOTO), "duration": 1.0}]}))
    args = ["--spec", str(spec), "--out", str(tmp_path / "out"), "--cache", str(tmp_path)]
    assert render_child.main([*args, "--engine", FAKE_ENGINE], watch_parent=False) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [m["type"] for m in lines] == ["progress", "progress", "result"]
    assert Path(lines[-1]["video"]).is_file() and lines[-1]["fps"] == 24
    assert render_child.main([*args, "--engine", "nowhere:x"], watch_parent=False) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["code"] == "configuration_error"
    spec.write_text("{}")
    assert render_child.main([*args, "--engine", FAKE_ENGINE], watch_parent=False) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["code"] == "render_failed"
