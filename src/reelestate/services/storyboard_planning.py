"""Version 1 of a project's storyboard, planned from the photos and facts stored with it.

The photos are fetched from the blob store into a scratch folder, analysed (each analysis is
kept on its media row), scripted and planned; the stored plan and spec name the photos by their
blob keys, never by the scratch paths.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from reelestate.core.blocking import in_worker_thread
from reelestate.core.errors import InvalidInputError
from reelestate.core.filenames import safe_stem
from reelestate.core.scratch import scratch_folder
from reelestate.core.styles import Style
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.render.spec import BrandKit
from reelestate.services import storyboard_flow as flow
from reelestate.services.brand_kits import kit_data, kit_voice
from reelestate.services.storyboards import StoredPlan, StoryboardServices, spec_data, store_version
from reelestate.storage.blobs import check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.content import (
    MediaRepository,
    ProjectsRepository,
    StoryboardsRepository,
)
from reelestate.storage.schemas import MediaView, StoryboardVersionView
from reelestate.tools.listing import parse_listing, require_facts
from reelestate.tools.music import kit_music
from reelestate.tools.script import write_script
from reelestate.tools.storyboard import StoryboardHistory


@in_worker_thread
def plan_from_project(
    services: StoryboardServices,
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
    brand = kit_data(services.db, ctx, project.brand_kit_id)
    music = kit_music(brand) if brand else None
    if music is not None:
        music = music.model_copy(update={"path": Path(check_key(ctx, str(music.path)))})
    with scratch_folder(services.settings.scratch_dir, "plan") as folder:
        analyses, local = _analyse_photos(services, ctx, photos, folder)
        script = write_script(listing, analyses, style=style, length_seconds=length_seconds)
        choices = flow.PlanChoices(
            style=script.style,
            length_seconds=script.length_seconds,
            music_track=music,
            **kit_voice(brand),
        )
        planned = flow.plan(
            listing, analyses, script, choices, min_photos=services.settings.min_photos
        )
        history = StoryboardHistory.model_validate(
            _replace_paths(planned.model_dump(mode="json"), local)
        )
    board = StoryboardsRepository(services.db).create(ctx, project_id, title or project.title)
    spec = flow.render_spec(history.current, listing, script, brand=BrandKit())
    by_key = {m.blob_key: m.id for m in photos}
    return store_version(
        services.db,
        ctx,
        board.id,
        spec_data(ctx, spec, brand),
        author=author,
        reason="first plan",
        media_ids=[by_key.get(str(s.photo)) for s in history.current.scenes],
        plan=StoredPlan(history=history, script=script, listing=listing),
    )


def _analyse_photos(
    services: StoryboardServices, ctx: TenantContext, photos: list[MediaView], folder: Path
) -> tuple[list[PhotoAnalysis], dict[str, str]]:
    """The photos' analyses (each also kept on its media row) and local path -> blob key."""
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
    return analyses, local


def _replace_paths(value: Any, keys: dict[str, str]) -> Any:
    """`value` with every string that is a local photo path replaced by its blob key."""
    if isinstance(value, str):
        return keys.get(value, value)
    if isinstance(value, dict):
        return {k: _replace_paths(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_paths(v, keys) for v in value]
    return value
