"""A conversation whose renders go through the job queue (SQLite, in-process workers)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from reelestate.agent.backends.queued import open_queued_backend
from reelestate.agent.runner import Runner
from reelestate.agent.state import storyboard_ref
from reelestate.cli.chat_cmd import run_chat
from reelestate.core.settings import get_settings
from reelestate.render.probe import ffprobe_json
from reelestate.services.storyboards import StoredPlan
from reelestate.storage import migrate
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobStatus
from reelestate.storage.repositories.content import StoryboardsRepository
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.workers.service import open_env
from tests.agent.helpers import FACTS, LISTING1, FileNameAnalyser


@asynccontextmanager
async def queued_runner() -> AsyncIterator[Runner]:
    async with (
        open_queued_backend(get_settings()) as backend,
        Runner.open(
            get_settings(),
            analyser=FileNameAnalyser(),
            renderer=backend,
            final_profile="preview",
            default_length=12,
        ) as runner,
    ):
        yield runner


@pytest.mark.slow
async def test_renders_run_as_jobs_with_credits_and_history() -> None:
    settings = get_settings()
    migrate.upgrade(settings)
    ctx = TenantContext.local()
    env = open_env(settings)
    try:
        before = CreditsRepository(env.db).balance(ctx)
    finally:
        env.close()
    out = io.StringIO()
    lines = [f"photos {LISTING1}", FACTS, "/approve", "/quit"]
    thread = f"q-{uuid.uuid4().hex[:6]}"
    await run_chat(lines, out, queued_runner, thread=thread, user="ann")
    text = out.getvalue()
    video = Path(re.findall(r"^video> (.+)$", text, re.MULTILINE)[-1])
    streams = {s["codec_type"]: s for s in ffprobe_json(video)["streams"]}
    assert (streams["video"]["width"], streams["video"]["height"]) == (540, 960)
    env = open_env(settings)
    try:
        jobs = env.jobs.recent(ctx)
        assert len(jobs) == 2  # the automatic preview and the approved final
        assert all(job.status == JobStatus.SUCCEEDED for job in jobs)
        after = CreditsRepository(env.db).balance(ctx)
        boards = StoryboardsRepository(env.db)
        ids = [j.storyboard_version_id for j in jobs if j.storyboard_version_id is not None]
        rendered = [boards.version(ctx, version) for version in ids]
    finally:
        env.close()
    assert after != before  # both renders were billed
    async with queued_runner() as runner:
        ref = storyboard_ref(await runner.state(thread))
        history = await runner.storyboard(thread)
    assert ref is not None and history is not None
    assert len(rendered) == 2, "each render is a version of the conversation's storyboard"
    for version in rendered:
        assert (
            version.storyboard_id == ref.storyboard_id and version.id != ref.storyboard_version_id
        )
        assert StoredPlan.of(version).history == history
        assert all(not Path(s["photo"]).is_absolute() for s in version.spec["scenes"])
