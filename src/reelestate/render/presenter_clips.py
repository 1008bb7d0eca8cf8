"""A presenter clip from the fallback chain, cached, with its fallbacks written down.

The presenter is an optional layer, never a precondition: the provider asked for is tried
first (D-ID, then HeyGen when it is configured, as the integration notes order them), then
the embedded portrait presenter; if even that fails, the video stays as it was. Each step
that did not work leaves a reason a user can read, and the report says which provider made
the clip, whether it is lip-synced, what it cost and why anything fell back.

Clips are cached by provider, photo, narration and parameters, so a re-render never pays
twice for the same presenter.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import InvalidSpecError, ProviderError, RenderError
from reelestate.core.hashing import file_sha256
from reelestate.core.settings import Settings
from reelestate.providers.avatar import (
    AvatarClip,
    AvatarProviderName,
    AvatarRequest,
    estimate_avatar_cost,
    fallback_chain,
)
from reelestate.render.clip_source import read_clip_info
from reelestate.render.presenter import PresenterLayout

CACHE_FORMAT = 1
PORTRAIT_NOTE = (
    "The presenter is the portrait presenter: your photo moving with the voice, "
    "not a lip-synced avatar."
)


class PresenterChoice(BaseModel):
    """What the user asked for."""

    model_config = ConfigDict(frozen=True)

    photo: Path
    provider: AvatarProviderName = "portrait"
    layout: PresenterLayout = "pip"


class PresenterOutcome(BaseModel):
    """How the presenter ended, for `report.json`, the chat and the job's outputs."""

    model_config = ConfigDict(frozen=True)

    requested: AvatarProviderName
    provider: AvatarProviderName | None
    """Who made the clip on screen; None when the video has no presenter."""
    layout: PresenterLayout
    lip_synced: bool = False
    ai_disclosure: bool = False
    cost_usd: float = Field(default=0.0, ge=0)
    estimated_usd: float = Field(default=0.0, ge=0)
    cached: bool = False
    fallbacks: list[str] = []
    """One reason per provider that was tried and did not give a clip."""

    def notes(self) -> list[str]:
        out = [f"Presenter: {reason}" for reason in self.fallbacks]
        if self.provider == "portrait":
            out.append(PORTRAIT_NOTE)
        if self.provider is None:
            out.append("The video has no presenter.")
        return out


def presenter_cache_key(
    provider: AvatarProviderName, photo_sha: str, audio_sha: str, size: int, accent: str
) -> str:
    """Same provider, photo, narration and parameters: same clip."""
    blob = json.dumps([CACHE_FORMAT, provider, photo_sha, audio_sha, size, accent]).encode()
    return hashlib.sha256(blob).hexdigest()[:40]


def estimate_presenter_cost(choice: PresenterChoice, seconds: float) -> float:
    """What the presenter asked for is expected to cost, shown before anything is paid."""
    return estimate_avatar_cost(choice.provider, seconds)


async def _one(
    name: AvatarProviderName,
    generator: object,
    request: AvatarRequest,
    store: Path,
    key: str,
) -> tuple[AvatarClip, bool]:
    cached = store / f"{key}.mp4"
    if cached.exists():
        return AvatarClip(
            path=cached,
            provider=name,
            lip_synced=name != "portrait",
            generated=name != "portrait",
        ), True
    work = store / f".work-{key}"
    try:
        clip: AvatarClip = await generator.generate(request, work)  # type: ignore[attr-defined]
        await asyncio.to_thread(read_clip_info, clip.path)  # not a video: refused here
        shutil.move(str(clip.path), cached)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return clip.model_copy(update={"path": cached}), False


def make_presenter_clip(
    choice: PresenterChoice, audio: Path, seconds: float, accent: str, settings: Settings
) -> tuple[AvatarClip | None, PresenterOutcome]:
    """Try each provider of the fallback chain; the first clip that probes as a video wins."""
    store = settings.cache_dir / "avatars"
    store.mkdir(parents=True, exist_ok=True)
    photo_sha, audio_sha = file_sha256(choice.photo), file_sha256(audio)
    request = AvatarRequest(photo=choice.photo, audio=audio, audio_seconds=seconds, accent=accent)
    reasons: list[str] = []
    for name, generator in fallback_chain(settings, choice.provider):
        if generator is None:
            env = "DID_API_KEY" if name == "did" else "HEYGEN_API_KEY"
            reasons.append(f"{_label(name)} is not configured ({env} is not set).")
            continue
        key = presenter_cache_key(name, photo_sha, audio_sha, request.size, accent)
        try:
            clip, cached = asyncio.run(_one(name, generator, request, store, key))
        except (ProviderError, InvalidSpecError, RenderError) as exc:
            reasons.append(f"{_label(name)} failed: {exc.message}")
            continue
        return clip, PresenterOutcome(
            requested=choice.provider,
            provider=name,
            layout=choice.layout,
            lip_synced=clip.lip_synced,
            ai_disclosure=clip.generated,
            cost_usd=0.0 if cached else clip.cost_usd,
            estimated_usd=estimate_presenter_cost(choice, seconds),
            cached=cached,
            fallbacks=reasons,
        )
    return None, PresenterOutcome(
        requested=choice.provider, provider=None, layout=choice.layout, fallbacks=reasons
    )


def _label(name: AvatarProviderName) -> str:
    return {"did": "D-ID", "heygen": "HeyGen", "portrait": "The portrait presenter"}[name]
