"""AI clips as jobs on the GPU queue, and the render job's wait for them.

Generation is slow and rate-limited by the provider, so it runs on its own queue with its own
concurrency (`REELESTATE_GPU_CONCURRENCY`), one job per scene. The render job creates those
child jobs (idempotently, so a retried render does not pay twice), waits for them while
reporting how many are done, and renders whatever came back: a clip where a child succeeded,
the scene's photo motion with the child's error as the reason where it did not. Clips are
stored under a content key in the organisation's blobs, so the same photo, model and prompt
never costs twice.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import FeatureUnavailableError, ReelEstateError
from reelestate.core.hashing import file_sha256
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.providers.video_gen import video_generator
from reelestate.providers.video_gen.base import ClipProgress
from reelestate.providers.video_gen.registry import video_models
from reelestate.render.ai_clips import (
    AiClipOutcome,
    AiSceneRequest,
    ai_requests,
    apply_outcomes,
    clip_cache_key,
    fallback,
    generate_clip,
)
from reelestate.render.progress import RenderProgress
from reelestate.render.spec import RenderSpec
from reelestate.storage.blobs import blob_key, check_key
from reelestate.storage.repositories.jobs import NewJob
from reelestate.storage.schemas import RenderJobView
from reelestate.workers.execute import JobRun
from reelestate.workers.kinds import POLICIES

POLL_S = 1.0


class ClipJobPayload(BaseModel):
    """What a clip job needs: blob keys and parameters, never a path on some machine."""

    model_config = ConfigDict(frozen=True)

    scene: int
    photo: str
    photo_sha256: str
    model: str
    prompt: str
    duration_s: float
    aspect: str
    cache_key: str


def clip_key(run: JobRun, cache_key: str) -> str:
    return blob_key(run.ctx, "ai-clips", f"{cache_key}.mp4")


def _progress_percent(update: ClipProgress, started: float, typical_s: float) -> float:
    if update.state == "uploading":
        return 2.0
    if update.state == "queued":
        return 5.0
    if update.state == "downloading":
        return 95.0
    return min(90.0, 10.0 + 80.0 * (time.monotonic() - started) / max(typical_s, 1.0))


def _message(update: ClipProgress) -> str:
    if update.state == "queued" and update.queue_position is not None:
        return f"waiting at the provider (position {update.queue_position})"
    return {
        "uploading": "sending the photo",
        "queued": "waiting at the provider",
        "running": "generating motion",
        "downloading": "fetching the clip",
    }[update.state]


def generate_clip_job(run: JobRun) -> dict[str, Any]:
    """Handler of `generate_clip` jobs (GPU queue); its working folder goes when it ends."""
    try:
        return _generate_clip(run)
    finally:
        shutil.rmtree(run.workdir, ignore_errors=True)


def _generate_clip(run: JobRun) -> dict[str, Any]:
    payload = ClipJobPayload.model_validate(run.job.payload)
    blobs, key = run.env.blobs, clip_key(run, payload.cache_key)
    if blobs.stat(run.ctx, key) is not None:
        return {"clip": key, "cost_usd": 0.0, "cached": True, "model": payload.model}
    generator = video_generator(run.env.settings)
    if generator is None:
        raise FeatureUnavailableError("AI video is not configured (FAL_KEY is not set).")
    registry = video_models(run.env.settings)
    spec = registry.get(payload.model)
    run.workdir.mkdir(parents=True, exist_ok=True)
    photo = blobs.download(
        run.ctx,
        check_key(run.ctx, payload.photo),
        run.workdir / f"photo{Path(payload.photo).suffix}",
    )
    request = AiSceneRequest(
        scene=payload.scene,
        photo=photo,
        model=payload.model,
        prompt=payload.prompt,
        duration_s=payload.duration_s,
        aspect=payload.aspect,
    )
    started = time.monotonic()

    def on_progress(update: ClipProgress) -> None:
        run.progress(
            RenderProgress(
                stage="generating",
                percent=_progress_percent(update, started, spec.typical_latency_s),
                message=_message(update),
            )
        )

    path, cost, request_id = asyncio.run(
        generate_clip(
            request,
            generator,
            registry,
            run.workdir / "clip",
            on_progress=on_progress,
            should_cancel=lambda: run.cancel.cancelled,
        )
    )
    run.cancel.raise_if_cancelled()
    blobs.put_file(run.ctx, key, path, "video/mp4")
    return {
        "clip": key,
        "cost_usd": cost,
        "cached": False,
        "model": payload.model,
        "request_id": request_id,
    }


def _submit_children(
    run: JobRun, spec: RenderSpec, stored: dict[str, Any], requests: list[AiSceneRequest]
) -> tuple[dict[int, uuid.UUID], list[AiClipOutcome]]:
    policy = POLICIES[JobKind.GENERATE_CLIP]
    children: dict[int, uuid.UUID] = {}
    refused: list[AiClipOutcome] = []
    for request in requests:
        sha = file_sha256(spec.scenes[request.scene].photo)
        cache_key = clip_cache_key(request, sha)
        payload = ClipJobPayload(
            scene=request.scene,
            photo=str(stored["scenes"][request.scene]["photo"]),
            photo_sha256=sha,
            model=request.model,
            prompt=request.prompt,
            duration_s=request.duration_s,
            aspect=request.aspect,
            cache_key=cache_key,
        )
        try:
            child, _ = run.env.jobs.create(
                run.ctx,
                NewJob(
                    kind=JobKind.GENERATE_CLIP,
                    queue=policy.queue,
                    input_hash=cache_key,
                    payload=payload.model_dump(),
                    credits=policy.credits,
                    max_attempts=1,
                    idempotency_key=f"clip:{run.job.id}:{request.scene}:{cache_key[:16]}",
                    project_id=run.job.project_id,
                ),
            )
        except ReelEstateError as exc:
            refused.append(fallback(request, exc.message))
            continue
        children[request.scene] = child.id
    return children, refused


def _outcome(
    run: JobRun, request: AiSceneRequest, child: RenderJobView, folder: Path
) -> AiClipOutcome:
    """What a finished clip job means for its scene: a local clip, or a reason to fall back."""
    outputs = child.outputs or {}
    if child.status != JobStatus.SUCCEEDED or not outputs.get("clip"):
        return fallback(request, child.error_message or f"the clip job ended {child.status.value}")
    local = run.env.blobs.download(
        run.ctx, str(outputs["clip"]), folder / f"ai-clip-{request.scene:03d}.mp4"
    )
    return AiClipOutcome(
        scene=request.scene,
        model=request.model,
        made_by="ai",
        clip=local,
        cost_usd=float(outputs.get("cost_usd") or 0.0),
        cached=bool(outputs.get("cached")),
        request_id=outputs.get("request_id"),
    )


def resolve_clips_by_jobs(
    run: JobRun,
    spec: RenderSpec,
    stored: dict[str, Any],
    folder: Path,
    *,
    percent: tuple[float, float],
) -> tuple[RenderSpec, list[AiClipOutcome]]:
    """Make `spec`'s AI clips through GPU jobs; the spec to render and one outcome per scene.

    `stored` is the same spec with blob keys (what the children fetch); `folder` receives the
    clips. Cancelling the render cancels the children.
    """
    requests = ai_requests(spec)
    if not requests:
        return spec, []
    by_scene = {r.scene: r for r in requests}
    children, outcomes = _submit_children(run, spec, stored, requests)
    pending = dict(children)
    run.progress(
        RenderProgress(
            stage="ai_clips", percent=percent[0], message=f"0 of {len(requests)} AI clips ready"
        )
    )
    while pending:
        if run.cancel.cancelled:
            for job_id in pending.values():
                run.env.jobs.request_cancel(run.ctx, job_id)
            run.cancel.raise_if_cancelled()
        share = 0.0
        for scene, job_id in list(pending.items()):
            child = run.env.jobs.get(run.ctx, job_id)
            if not child.status.terminal:
                share += child.percent / 100.0
                continue
            del pending[scene]
            outcomes.append(_outcome(run, by_scene[scene], child, folder))
        done = len(requests) - len(pending)
        run.progress(
            RenderProgress(
                stage="ai_clips",
                percent=percent[0] + (percent[1] - percent[0]) * (done + share) / len(requests),
                message=f"{done} of {len(requests)} AI clips ready",
            )
        )
        if pending:
            time.sleep(POLL_S)
    outcomes.sort(key=lambda o: o.scene)
    return apply_outcomes(spec, outcomes), outcomes
