"""A lip-synced presenter as a `generate_avatar` child job of the render job (GPU/remote queue).

D-ID and HeyGen take minutes and are rate-limited, so, like AI clips, the render job asks the
GPU queue for the clip instead of waiting on the provider in its own slot: the narration is
uploaded, one child job is created (idempotently: a retried render does not pay twice), the
render job waits for it (cancelling the render cancels the child) and composites the clip it
returns. The child itself falls back to the portrait presenter when the service fails; when no
child can run (no credits, the job failed), the portrait presenter is made here and the reason
is kept. The portrait presenter alone needs no child: it is drawn in place.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from reelestate.core.errors import ReelEstateError
from reelestate.core.hashing import file_sha256
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.providers.avatar import AvatarClip
from reelestate.render.present import choice_of, place_clip, spoken_voice, with_presenter
from reelestate.render.presenter_clips import PresenterOutcome
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec
from reelestate.storage.blobs import blob_key, check_key, guess_content_type
from reelestate.storage.repositories.jobs import NewJob
from reelestate.workers.execute import JobRun
from reelestate.workers.kinds import POLICIES

POLL_S = 1.0


def _portrait(
    run: JobRun, result: RenderResult, spec: RenderSpec, reason: str, work: Path
) -> tuple[RenderResult, PresenterOutcome | None]:
    """The portrait presenter drawn here, with why the lip-synced one is not on the video."""
    assert spec.presenter is not None
    portrait = spec.model_copy(
        update={"presenter": spec.presenter.model_copy(update={"provider": "portrait"})}
    )
    _, outcome = with_presenter(result, portrait, run.env.settings, work)
    assert outcome is not None
    outcome = outcome.model_copy(
        update={
            "requested": spec.presenter.provider,
            "fallbacks": [reason, *outcome.fallbacks],
        }
    )
    return result.model_copy(update={"notes": (*result.notes, *outcome.notes())}), outcome


def present_by_job(
    run: JobRun,
    result: RenderResult,
    spec: RenderSpec,
    stored: dict[str, Any],
    work: Path,
    *,
    percent: tuple[float, float],
) -> tuple[RenderResult, PresenterOutcome | None]:
    """`result` with the spec's presenter on it; a lip-synced one is made by a child job.

    `stored` is the spec as stored (its presenter photo a blob key the child fetches)."""
    choice = choice_of(spec)
    voice = spoken_voice(result, spec)
    photo_key = (stored.get("presenter") or {}).get("photo")
    if (
        choice is None
        or choice.provider == "portrait"
        or voice is None
        or result.voice_start is None
        or not choice.photo.is_file()
        or not isinstance(photo_key, str)
    ):
        return with_presenter(result, spec, run.env.settings, work)
    audio, seconds = voice
    blobs = run.env.blobs
    audio_sha = file_sha256(audio)
    audio_key = blob_key(run.ctx, "media", audio_sha[:40] + audio.suffix.lower())
    if blobs.stat(run.ctx, audio_key) is None:
        blobs.put_file(run.ctx, audio_key, audio, guess_content_type(audio))
    payload = {
        "photo": check_key(run.ctx, photo_key),
        "audio": audio_key,
        "audio_seconds": round(seconds, 3),
        "provider": choice.provider,
        "accent": spec.brand.accent_color,
    }
    input_hash = hashlib.sha256(repr(sorted(payload.items())).encode()).hexdigest()[:40]
    policy = POLICIES[JobKind.GENERATE_AVATAR]
    try:
        child, _ = run.env.jobs.create(
            run.ctx,
            NewJob(
                kind=JobKind.GENERATE_AVATAR,
                queue=policy.queue,
                input_hash=input_hash,
                payload=payload,
                credits=policy.credits,
                max_attempts=1,
                idempotency_key=f"avatar:{run.job.id}:{input_hash[:16]}",
                project_id=run.job.project_id,
            ),
        )
    except ReelEstateError as exc:
        return _portrait(run, result, spec, f"the presenter job was refused: {exc.message}", work)
    run.progress(RenderProgress(stage="render", percent=percent[0], message="making the presenter"))
    while True:
        if run.cancel.cancelled:
            run.env.jobs.request_cancel(run.ctx, child.id)
            run.cancel.raise_if_cancelled()
        child = run.env.jobs.get(run.ctx, child.id)
        if child.status.terminal:
            break
        share = child.percent / 100.0
        run.progress(
            RenderProgress(
                stage="render",
                percent=percent[0] + (percent[1] - percent[0]) * share,
                message="making the presenter",
            )
        )
        time.sleep(POLL_S)
    outputs = child.outputs or {}
    if child.status != JobStatus.SUCCEEDED or not outputs.get("clip"):
        why = child.error_message or f"the presenter job ended {child.status.value}"
        return _portrait(run, result, spec, f"the presenter job failed: {why}", work)
    work.mkdir(parents=True, exist_ok=True)
    local = blobs.download(run.ctx, str(outputs["clip"]), work / "presenter-clip.mp4")
    made = PresenterOutcome.model_validate(
        {k: v for k, v in outputs.items() if k in PresenterOutcome.model_fields}
    ).model_copy(update={"layout": choice.layout})
    assert made.provider is not None
    clip = AvatarClip(
        path=local,
        provider=made.provider,
        lip_synced=made.lip_synced,
        generated=made.ai_disclosure,
    )
    outcome = place_clip(result, spec, choice, clip, made, work)
    return result.model_copy(update={"notes": (*result.notes, *outcome.notes())}), outcome
