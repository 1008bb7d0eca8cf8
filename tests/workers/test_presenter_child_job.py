"""A storyboard's lip-synced presenter in a queued render: made by a `generate_avatar` child
job on the GPU queue (against a local D-ID server), composited by the render job, and named
in the job's outputs with the provider that made it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from reelestate.core.settings import Settings
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.models import JobKind, JobQueue, JobStatus, RenderJob
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env, open_jobs_service
from tests.providers.avatar.fake_avatar_server import DID_KEY, FakeAvatarServices
from tests.providers.avatar.material import headshot, voice
from tests.storage.factories import new_org
from tests.workers.conftest import PHOTO, job_settings, wait_status


@pytest.fixture
def server() -> Iterator[FakeAvatarServices]:
    with FakeAvatarServices().running() as service:
        yield service


async def test_a_did_presenter_is_made_by_a_child_job(
    tmp_path: Path, sqlite_settings: Settings, server: FakeAvatarServices
) -> None:
    settings = job_settings(
        sqlite_settings.effective_database_url,
        tmp_path / "data",
        REELESTATE_RENDER_ENGINE="reelestate.render.engine:render_video",
        DID_API_KEY=DID_KEY,
        DID_BASE_URL=server.base_url,
        REELESTATE_AVATAR_TIMEOUT=5,
        REELESTATE_AVATAR_POLL_S=0.01,
    )
    scene = {"photo": str(PHOTO), "duration": 1.5, "motion": {"kind": "static"}}
    board = tmp_path / "board.json"
    board.write_text(
        json.dumps(
            {
                "profile": "preview",
                "fps": 24,
                "music": None,
                "flags": {"captions": False},
                "brand": {"intro_card": False, "outro_card": False},
                "scenes": [scene, scene],
                "voice": {"audio": str(voice(tmp_path / "voice.wav", seconds=1.5))},
                "presenter": {"photo": str(headshot(tmp_path / "me.jpg")), "provider": "did"},
            }
        )
    )
    env = open_env(settings)
    pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 1, JobQueue.GPU: 1}, poll_s=0.2)
    await pool.start()
    try:
        async with open_jobs_service(settings, env=env, dispatcher=pool) as service:
            ctx = new_org(env.db, credits=100)
            version = await import_storyboard(env.db, env.blobs, ctx, board)
            assert str(version.spec["presenter"]["photo"]).startswith(f"org/{ctx.org_id}/")
            job = await service.submit_render(ctx, version.id)
            done = await wait_status(service, ctx, job.id, "succeeded", "failed", within_s=180)
            assert done.status == JobStatus.SUCCEEDED, done.error_message
            presenter = (done.outputs or {})["presenter"]
            assert presenter["provider"] == "did" and presenter["lip_synced"] is True
            assert presenter["fallbacks"] == []
            with env.db.tenant(ctx) as session:
                # The SQLite file is the session's (no row-level security): this render's child.
                query = select(RenderJob).where(
                    RenderJob.kind == JobKind.GENERATE_AVATAR,
                    RenderJob.organization_id == ctx.org_id,
                )
                [child] = list(session.scalars(query))
            assert child.status == JobStatus.SUCCEEDED and child.queue == JobQueue.GPU
            assert server.count("/talks") >= 1
    finally:
        await pool.stop()
        env.close()
