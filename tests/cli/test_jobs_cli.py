from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.storage.context import LOCAL_ORG_CREDITS, TenantContext
from reelestate.storage.db import open_database
from reelestate.storage.models import JobQueue
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env
from tests.support.services import fresh_postgres_database
from tests.workers.conftest import FAKE_ENGINE, PHOTO, REPO

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("REELESTATE_RENDER_ENGINE", FAKE_ENGINE)
    # Child processes import this checkout's sources, whatever the environment installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO / "src"), str(REPO)]))
    monkeypatch.delenv("FAKE_ENGINE_GATE", raising=False)
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(tmp_path / "renders.log"))
    get_settings.cache_clear()
    storyboard = tmp_path / "storyboard.json"
    storyboard.write_text(
        json.dumps({"scenes": [{"photo": str(PHOTO), "duration": 1.5}], "title": "CLI house"})
    )
    return storyboard


def _drain_queue() -> None:
    """Run an embedded worker until no job is queued or running."""

    async def go() -> None:
        env = open_env(get_settings())
        pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 1}, poll_s=0.1)
        await pool.start()
        try:
            for _ in range(600):
                if not env.system.queue_stats():
                    return
                await asyncio.sleep(0.05)
            raise AssertionError("the queue did not drain")
        finally:
            await pool.stop()
            env.close()

    asyncio.run(go())


def test_upgrade_submit_follow_and_cancel_on_the_embedded_database(cli_env: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["db", "current"]).output.strip() == "0011"

    result = runner.invoke(app, ["jobs", "submit", str(cli_env), "--preview"])
    assert result.exit_code == 0, result.output
    job_id = uuid.UUID(result.stdout.splitlines()[0])

    status = json.loads(runner.invoke(app, ["jobs", "status", str(job_id), "--json"]).stdout)
    assert (status["status"], status["kind"], status["attempts"]) == ("queued", "render_preview", 0)
    stats = json.loads(runner.invoke(app, ["jobs", "stats", "--json"]).stdout)
    assert stats["cpu"]["queued"] == 1 and stats["cpu"]["suggested_workers"] == 1
    assert "cpu" in runner.invoke(app, ["jobs", "stats"]).stdout

    _drain_queue()
    result = runner.invoke(app, ["jobs", "status", str(job_id), "--follow", "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().split("\n")
    events = [json.loads(line) for line in lines if line.startswith('{"organization_id"')]
    assert events[0]["type"] == "queued" and events[-1]["type"] == "succeeded"
    final = json.loads(result.stdout[result.stdout.index("{\n") :])
    assert final["status"] == "succeeded" and final["percent"] == 100
    assert set(final["outputs"]) >= {"video", "subtitles", "thumbnail"}
    plain = runner.invoke(app, ["jobs", "status", str(job_id)])
    assert plain.stdout.startswith("succeeded done 100%") and "video:" in plain.stdout
    assert runner.invoke(app, ["jobs", "status", str(job_id), "--follow"]).exit_code == 0

    result = runner.invoke(app, ["jobs", "cancel", str(job_id)])
    assert result.exit_code == 2 and "already succeeded" in result.output

    second = runner.invoke(app, ["jobs", "submit", str(cli_env)]).stdout.splitlines()[0]
    result = runner.invoke(app, ["jobs", "cancel", second])
    assert result.exit_code == 0 and result.stdout.strip() == f"{second} cancelled"
    result = runner.invoke(app, ["jobs", "status", second, "--follow"])
    assert result.exit_code == 1

    db = open_database(get_settings())
    try:
        balance = CreditsRepository(db).balance(TenantContext.local())
    finally:
        db.dispose()
    assert (balance.available, balance.reserved) == (LOCAL_ORG_CREDITS - 1, 0)


def test_bad_ids_and_files_give_clear_errors(cli_env: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["jobs", "status", "not-a-job"])
    assert result.exit_code == 2 and "not a job id" in result.output
    result = runner.invoke(app, ["jobs", "status", str(uuid.uuid4())])
    assert result.exit_code == 2 and "No such job" in result.output
    result = runner.invoke(app, ["jobs", "submit", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "not found" in result.output
    assert cli_env.exists()


def test_upgrade_on_postgres_creates_the_local_organisation(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del cli_env
    with fresh_postgres_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        result = runner.invoke(app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # idempotent
        db = open_database(get_settings())
        try:
            balance = CreditsRepository(db).balance(TenantContext.local())
        finally:
            db.dispose()
        assert balance.available == LOCAL_ORG_CREDITS
        assert runner.invoke(app, ["db", "downgrade", "base"]).exit_code == 0
        assert runner.invoke(app, ["db", "current"]).output.strip() == "base"
