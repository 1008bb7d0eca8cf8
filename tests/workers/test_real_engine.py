"""One tiny preview through the whole job path with the real render engine."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

from reelestate.core.settings import Settings
from reelestate.render.ffmpeg import find_tools
from reelestate.render.spec import PREVIEW_FPS
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.models import JobQueue, JobStatus
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env, open_jobs_service
from tests.storage.factories import new_org
from tests.workers.conftest import PHOTO, job_settings, wait_status


async def test_the_real_engine_renders_a_job_into_the_blob_store(
    tmp_path: Path, sqlite_settings: Settings
) -> None:
    settings = job_settings(
        sqlite_settings.effective_database_url,
        tmp_path / "data",
        REELESTATE_RENDER_ENGINE="reelestate.render.engine:render_video",
    )
    storyboard = tmp_path / "tiny.json"
    storyboard.write_text(
        json.dumps(
            {
                "fps": 24,
                "music": None,
                "flags": {"captions": False},
                "brand": {"intro_card": False, "outro_card": False},
                "scenes": [{"photo": str(PHOTO), "duration": 1.0, "transition": {"kind": "cut"}}],
            }
        )
    )
    env = open_env(settings)
    pool = InProcessWorkerPool(env, concurrency={JobQueue.CPU: 1}, poll_s=0.2)
    await pool.start()
    try:
        ctx = new_org(env.db, credits=5)
        async with open_jobs_service(settings, env=env, dispatcher=pool) as service:
            version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
            job = await service.submit_render(ctx, version.id, preview=True)
            done = await wait_status(service, ctx, job.id, "succeeded", "failed", within_s=120)
            assert done.status == JobStatus.SUCCEEDED, done.error_message
            outputs = done.outputs or {}
            # A preview renders at its own rate, whatever the storyboard's.
            assert (outputs["width"], outputs["height"], outputs["fps"]) == (540, 960, PREVIEW_FPS)
            video = env.blobs.download(ctx, outputs["video"]["key"], tmp_path / "v.mp4")
    finally:
        await pool.stop()
        env.close()
    probe = await asyncio.to_thread(
        subprocess.run,
        [find_tools().ffprobe, "-v", "error", "-show_entries", "stream=codec_name",
         "-of", "csv=p=0", str(video)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "h264" in probe.stdout.split()
