"""Storyboards planned from a project's photos and facts, and revised by operations.

A stored version keeps two things: `spec`, the resolved render input (files as blob keys, what a
render job reads), and `plan`, the editable storyboard it came from (history of versions,
script, listing), so an operation can make the next version without any local files.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from reelestate.core.errors import InvalidInputError, StaleVersionError
from reelestate.core.filenames import safe_stem
from reelestate.core.settings import Settings
from reelestate.core.styles import Style
from reelestate.prompts.styles import STYLE_MUSIC
from reelestate.providers.video_gen.registry import video_models
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.render.spec import BrandKit
from reelestate.storage.blobs import BlobStore, check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import (
    BrandKitsRepository,
    MediaRepository,
    ProjectsRepository,
    StoryboardsRepository,
)
from reelestate.storage.schemas import MediaView, StoryboardVersionView
from reelestate.tools.listing import Listing, parse_listing, require_facts
from reelestate.tools.music import kit_music
from reelestate.tools.script import write_script
from reelestate.tools.script_model import Script
from reelestate.tools.storyboard import StoryboardHistory, plan_storyboard, to_render_spec
from reelestate.tools.storyboard_model import MusicTrackRef, StoryboardSettings
from reelestate.tools.storyboard_ops import parse_op

FILE_FIELDS = ("logo", "font")
KIT_ONLY_FIELDS = ("music", "voice", "voice_model", "voice_style")
"""Kit data that is not part of the render's `BrandKit` (it goes into the storyboard)."""


class AppServices(Protocol):
    """What planning needs of the app: its database, blob store, photo analyser and limits."""

    @property
    def settings(self) -> Settings: ...

    @property
    def db(self) -> Database: ...

    @property
    def blobs(self) -> BlobStore: ...

    @property
    def analyser(self) -> Callable[[], PhotoAnalyser]: ...


def brand_data(ctx: TenantContext, brand: dict[str, Any]) -> dict[str, Any]:
    """A stored brand kit as a spec's `brand`: only the organisation's own files survive."""
    skip = (*FILE_FIELDS, *KIT_ONLY_FIELDS)
    data = BrandKit.model_validate({k: v for k, v in brand.items() if k not in skip})
    out = data.model_dump(mode="json")
    for name in FILE_FIELDS:
        key = brand.get(name)
        if isinstance(key, str) and key:
            out[name] = check_key(ctx, key)
    return out


def _replace_paths(value: Any, keys: dict[str, str]) -> Any:
    """`value` with every string that is a local photo path replaced by its blob key."""
    if isinstance(value, str):
        return keys.get(value, value)
    if isinstance(value, dict):
        return {k: _replace_paths(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_paths(v, keys) for v in value]
    return value


def _spec(
    services: AppServices,
    ctx: TenantContext,
    history: StoryboardHistory,
    listing: Listing,
    script: Script,
    brand: dict[str, Any] | None,
) -> dict[str, Any]:
    spec = to_render_spec(history.current, listing, script, brand=BrandKit())
    data = spec.model_dump(mode="json")
    if brand is not None:
        data["brand"] = brand_data(ctx, brand)
    return data


def _brand(
    services: AppServices, ctx: TenantContext, kit_id: uuid.UUID | None
) -> dict[str, Any] | None:
    if kit_id is None:
        return None
    return BrandKitsRepository(services.db).get(ctx, kit_id).data


def kit_voice(brand: dict[str, Any] | None) -> dict[str, Any]:
    """The storyboard voice settings a brand kit asks for (none: the default voice)."""
    if not brand or not brand.get("voice"):
        return {}
    return {
        "voice": brand["voice"],
        "voice_model": brand.get("voice_model"),
        "voice_style": brand.get("voice_style"),
    }


def plan_from_project(
    services: AppServices,
    ctx: TenantContext,
    project_id: uuid.UUID,
    *,
    style: Style,
    length_seconds: float,
    title: str | None,
    author: str,
) -> StoryboardVersionView:
    """Analyse the project's photos, write the script and store storyboard version 1."""
    project = ProjectsRepository(services.db).get(ctx, project_id)
    photos = [m for m in MediaRepository(services.db).for_project(ctx, project_id)
              if m.content_type.startswith("image/")]  # fmt: skip
    minimum = services.settings.min_photos
    if len(photos) < minimum:
        raise InvalidInputError(
            f"The project has {len(photos)} photos; a storyboard needs at least {minimum}.",
            hint="Upload more photos to the project first.",
        )
    listing = require_facts(parse_listing(project.facts))
    brand = _brand(services, ctx, project.brand_kit_id)
    music = kit_music(brand) if brand else None
    if music is not None:
        music = music.model_copy(update={"path": Path(check_key(ctx, str(music.path)))})
    folder = Path(tempfile.mkdtemp(prefix="plan-"))
    try:
        history, script = _plan(
            services, ctx, photos, folder, listing, style, length_seconds, music, kit_voice(brand)
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    boards = StoryboardsRepository(services.db)
    board = boards.create(ctx, project_id, title or project.title)
    spec = _spec(services, ctx, history, listing, script, brand)
    by_key = {m.blob_key: m.id for m in photos}
    return boards.add_version(
        ctx,
        board.id,
        spec,
        author=author,
        reason="first plan",
        media_ids=[by_key.get(str(s.photo)) for s in history.current.scenes],
        plan=_plan_data(history, script, listing),
    )


def _plan(
    services: AppServices,
    ctx: TenantContext,
    photos: list[MediaView],
    folder: Path,
    listing: Listing,
    style: Style,
    length_seconds: float,
    music: MusicTrackRef | None,
    voice: dict[str, Any],
) -> tuple[StoryboardHistory, Script]:
    media = MediaRepository(services.db)
    local: dict[str, str] = {}
    paths: list[Path] = []
    for i, photo in enumerate(photos):
        suffix = Path(photo.blob_key).suffix
        stem = safe_stem(Path(photo.filename or "photo").stem)[:60]
        path = services.blobs.download(ctx, photo.blob_key, folder / f"{i:03d}-{stem}{suffix}")
        local[str(path)] = photo.blob_key
        paths.append(path)
    analyses = services.analyser().analyse(paths)
    for photo, analysis in zip(photos, analyses, strict=True):
        media.set_analysis(ctx, photo.id, _replace_paths(analysis.model_dump(mode="json"), local))
    script = write_script(listing, analyses, style=style, length_seconds=length_seconds)
    settings = StoryboardSettings(
        style=script.style,
        music_mood=STYLE_MUSIC[script.style],
        music_track=music,
        length_seconds=script.length_seconds,
        **voice,
    )
    history = plan_storyboard(listing, analyses, script, settings=settings)
    keyed = StoryboardHistory.model_validate(_replace_paths(history.model_dump(mode="json"), local))
    return keyed, script


def _plan_data(history: StoryboardHistory, script: Script, listing: Listing) -> dict[str, Any]:
    return {
        "history": history.model_dump(mode="json"),
        "script": script.model_dump(mode="json"),
        "listing": listing.model_dump(mode="json"),
    }


def revise(
    services: AppServices,
    ctx: TenantContext,
    storyboard_id: uuid.UUID,
    operations: list[dict[str, Any]],
    *,
    expect_version: int,
    author: str,
    reason: str | None,
) -> StoryboardVersionView:
    """The next version: the current one changed by `operations`, if it is `expect_version`."""
    boards = StoryboardsRepository(services.db)
    board = boards.get(ctx, storyboard_id)
    if board.current_version != expect_version:
        raise StaleVersionError(
            f"The storyboard is at version {board.current_version}, not {expect_version}.",
            hint="Fetch the latest version and apply your change to it.",
        )
    current = boards.numbered(ctx, storyboard_id, board.current_version)
    if not current.plan:
        raise InvalidInputError(
            "This storyboard was imported as a finished spec and cannot be revised here.",
            hint="Plan a new storyboard from the project's photos.",
        )
    history = StoryboardHistory.model_validate(current.plan["history"])
    script = Script.model_validate(current.plan["script"])
    listing = parse_listing(current.plan["listing"])
    parsed = [parse_op(op) for op in operations]
    for op in parsed:
        history = history.apply(
            op, author=author, reason=reason, models=video_models(services.settings)
        )
    project = ProjectsRepository(services.db).get(ctx, board.project_id)
    spec = _spec(
        services, ctx, history, listing, script, _brand(services, ctx, project.brand_kit_id)
    )
    photos = {
        m.blob_key: m.id for m in MediaRepository(services.db).for_project(ctx, board.project_id)
    }
    return boards.add_version(
        ctx,
        storyboard_id,
        spec,
        author=author,
        reason=reason or "; ".join(op.op for op in parsed),
        media_ids=[photos.get(str(s.photo)) for s in history.current.scenes],
        plan=_plan_data(history, script, listing),
        expect_version=expect_version,
    )
