"""`generate_avatar` jobs (GPU/remote queue): a presenter clip from a photo and a narration.

Like AI clips: the payload holds blob keys and parameters, never paths; the clip is stored
under a content key (provider, photo, audio, parameters), so the same presenter never costs
twice; D-ID or HeyGen failing falls back to the portrait presenter, and the job's outputs say
which provider made the clip and why the others did not.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reelestate.core.errors import FeatureUnavailableError, InvalidInputError
from reelestate.providers.avatar import AvatarProviderName
from reelestate.render.presenter_clips import PresenterChoice, make_presenter_clip
from reelestate.render.progress import RenderProgress
from reelestate.storage.blobs import blob_key, check_key
from reelestate.workers.execute import JobRun


class AvatarJobPayload(BaseModel):
    model_config = ConfigDict(frozen=True)

    photo: str
    audio: str
    audio_seconds: float = Field(gt=0, le=600)
    provider: AvatarProviderName = "portrait"
    accent: str = "#F2B134"


def generate_avatar_job(run: JobRun) -> dict[str, Any]:
    """Handler of `generate_avatar` jobs; its working folder goes when it ends."""
    try:
        payload = AvatarJobPayload.model_validate(run.job.payload)
    except ValidationError as exc:
        raise InvalidInputError(
            "A presenter job needs a photo, a narration and its length.",
            hint="Send the photo and audio blob keys with `audio_seconds`.",
        ) from exc
    blobs = run.env.blobs
    run.workdir.mkdir(parents=True, exist_ok=True)
    try:
        photo_key, audio_key = check_key(run.ctx, payload.photo), check_key(run.ctx, payload.audio)
        photo = blobs.download(run.ctx, photo_key, run.workdir / f"photo{Path(photo_key).suffix}")
        audio = blobs.download(run.ctx, audio_key, run.workdir / f"voice{Path(audio_key).suffix}")
        run.progress(
            RenderProgress(stage="generating", percent=5.0, message="making the presenter")
        )
        clip, outcome = make_presenter_clip(
            PresenterChoice(photo=photo, provider=payload.provider),
            audio,
            payload.audio_seconds,
            payload.accent,
            run.env.settings,
        )
        if clip is None:
            raise FeatureUnavailableError(
                "No presenter could be made: " + " ".join(outcome.fallbacks)
            )
        key = blob_key(run.ctx, "avatars", f"{clip.path.stem}.mp4")
        if blobs.stat(run.ctx, key) is None:
            blobs.put_file(run.ctx, key, clip.path, "video/mp4")
        return {"clip": key, **outcome.model_dump(mode="json")}
    finally:
        shutil.rmtree(run.workdir, ignore_errors=True)
