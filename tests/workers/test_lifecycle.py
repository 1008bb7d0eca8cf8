from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelestate.core.errors import JobStateError, NotFoundError
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.models import JobKind, JobStatus, LedgerKind
from reelestate.storage.repositories.credits import CreditsRepository
from tests.storage.factories import new_org
from tests.workers.conftest import Backend, EngineControl, wait_for, wait_status


async def test_a_preview_render_runs_to_its_outputs(
    backend: Backend, engine: EngineControl, storyboard: Path
) -> None:
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    job = await service.submit_render(ctx, version.id, preview=True)
    assert job.status == JobStatus.QUEUED and job.credits == 1
    done = await wait_status(service, ctx, job.id, "succeeded", "failed")
    assert done.status == JobStatus.SUCCEEDED, done.error_message
    assert (done.attempts, done.percent, done.stage) == (1, 100.0, "done")
    outputs = done.outputs or {}
    assert outputs["video"]["content_type"] == "video/mp4" and outputs["fps"] == 24
    assert engine.renders()[0].endswith("preview")  # the preview profile was forced
    stored = backend.env.blobs.list(ctx, outputs["video"]["key"].rsplit("/", 1)[0])
    assert sorted(b.key.rsplit("/", 1)[1] for b in stored) == [
        "contact-sheet.jpg", "render.json", "thumbnail.jpg", "video.mp4", "video.srt",
    ]  # fmt: skip
    urls = await service.output_urls(ctx, done)
    assert set(urls) == {"video", "subtitles", "thumbnail", "contact_sheet"}
    balance = CreditsRepository(backend.env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (99, 0)
    events = [e async for e in service.follow(ctx, job.id)]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].type == "queued" and events[1].type == "started"
    assert events[-1].type == "succeeded" and events[-1].data == {"outputs": outputs}
    assert {"fetch", "render", "upload"} <= {e.stage for e in events if e.type == "progress"}
    # While the engine renders, the job's stage is `render` and the engine's is a field of its
    # own (the message still names it, as REST clients have read it there).
    rendering = [e for e in events if e.type == "progress" and e.render_stage is not None]
    assert [e.render_stage for e in rendering] == ["frames"] * len(rendering) and rendering
    assert all(e.stage == "render" and e.message == e.render_stage for e in rendering)
    # A listener resuming from the middle gets exactly the rest.
    middle = events[len(events) // 2].seq
    rest = [e.seq async for e in service.follow(ctx, job.id, after_seq=middle)]
    assert rest == [e.seq for e in events if e.seq > middle]


async def test_live_listener_sees_the_whole_story(
    backend: Backend, engine: EngineControl, storyboard: Path
) -> None:
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    job = await service.submit_render(ctx, version.id, preview=True)
    seen = []
    async for event in service.follow(ctx, job.id):
        seen.append(event)
        if event.type == "progress" and event.stage == "render" and event.percent > 5:
            engine.open_gate()
    assert [e.seq for e in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].status == "succeeded"


async def test_user_errors_fail_at_once_and_release_credits(
    backend: Backend, engine: EngineControl, storyboard: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del engine
    monkeypatch.setenv("FAKE_ENGINE_MODE", "user_error")
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    job = await service.submit_render(ctx, version.id)
    done = await wait_status(service, ctx, job.id, "succeeded", "failed")
    assert (done.status, done.error_code, done.attempts) == (JobStatus.FAILED, "invalid_spec", 1)
    assert "Scene 1" in (done.error_message or "")
    balance = CreditsRepository(backend.env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (100, 0)


async def test_transient_errors_are_retried_with_backoff(
    backend: Backend, engine: EngineControl, storyboard: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_ENGINE_MODE", "fail_once")
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    job = await service.submit_render(ctx, version.id)
    done = await wait_status(service, ctx, job.id, "succeeded", "failed")
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)
    assert len(engine.renders()) == 2
    types = [e.type async for e in service.follow(ctx, job.id)]
    assert types.count("retrying") == 1 and types.count("started") == 2
    kinds = [e.kind for e in CreditsRepository(backend.env.db).entries(ctx)]
    assert kinds.count(LedgerKind.CAPTURE) == 1 and LedgerKind.RELEASE not in kinds


async def test_kinds_not_built_yet_fail_with_a_clear_error(backend: Backend) -> None:
    service, ctx = backend.service, backend.ctx
    job = await service.submit(ctx, JobKind.ANALYSE_PHOTOS, payload={"photos": []})
    done = await wait_status(service, ctx, job.id, "failed", "succeeded")
    assert done.error_code == "not_available" and "not available yet" in (done.error_message or "")
    assert CreditsRepository(backend.env.db).balance(ctx).available == 100


@pytest.mark.parametrize("kind", [JobKind.RENDER_INFOGRAPHIC, JobKind.GENERATE_AVATAR])
async def test_card_and_presenter_jobs_refuse_a_bad_payload(
    backend: Backend, kind: JobKind
) -> None:
    service, ctx = backend.service, backend.ctx
    job = await service.submit(ctx, kind, payload={"photos": []})
    done = await wait_status(service, ctx, job.id, "failed", "succeeded")
    assert done.status.value == "failed" and done.error_code == "invalid_input"
    assert CreditsRepository(backend.env.db).balance(ctx).available == 100


def _ffmpeg_running(marker: str) -> bool:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "ffmpeg" in text and marker in text:
            return True
    return False


async def test_cancel_during_render_kills_ffmpeg_and_releases_credits(
    backend: Backend, engine: EngineControl, storyboard: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del engine
    monkeypatch.setenv("FAKE_ENGINE_MODE", "ffmpeg")
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    job = await service.submit_render(ctx, version.id)
    await wait_for(lambda: _ffmpeg_running(str(job.id)), what="FFmpeg to start")
    assert CreditsRepository(backend.env.db).balance(ctx).reserved == 10
    asked = await service.cancel(ctx, job.id)
    assert asked.cancel_requested
    done = await wait_status(service, ctx, job.id, "cancelled", "failed", "succeeded")
    assert done.status == JobStatus.CANCELLED
    await wait_for(lambda: not _ffmpeg_running(str(job.id)), what="FFmpeg to stop")
    balance = CreditsRepository(backend.env.db).balance(ctx)
    assert (balance.available, balance.reserved) == (100, 0)
    with pytest.raises(JobStateError):
        await service.cancel(ctx, job.id)


async def test_cancel_before_start_and_foreign_jobs(
    backend: Backend, engine: EngineControl, storyboard: Path
) -> None:
    service, ctx = backend.service, backend.ctx
    version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
    engine.close_gate()
    blocker = [await service.submit_render(ctx, version.id, preview=True) for _ in range(3)]
    queued = await service.submit_render(ctx, version.id, preview=True)
    cancelled = await service.cancel(ctx, queued.id)
    assert cancelled.status == JobStatus.CANCELLED
    mallory = new_org(backend.env.db, credits=5)
    with pytest.raises(NotFoundError):
        await service.cancel(mallory, blocker[0].id)
    with pytest.raises(NotFoundError):
        [e async for e in service.follow(mallory, blocker[0].id)]
    with pytest.raises(NotFoundError):
        await service.submit_render(mallory, version.id)
    engine.open_gate()
    for job in blocker:
        assert (await wait_status(service, ctx, job.id, "succeeded")).status == JobStatus.SUCCEEDED
    assert (await service.get(ctx, queued.id)).status == JobStatus.CANCELLED
    assert CreditsRepository(backend.env.db).balance(ctx).available == 97
    assert os.environ["FAKE_ENGINE_GATE"]
