"""Storyboard files in and out of the blob store.

A stored storyboard version references files by blob key (`org/<org_id>/media/<sha256>.jpg`),
never by a path on some machine. Submitting uploads each file once (content-addressed), and the
worker's fetch stage downloads them and rewrites the keys to local paths before rendering.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reelestate.core.errors import InvalidSpecError
from reelestate.core.hashing import file_sha256
from reelestate.render.spec import RenderSpec, parse_spec
from reelestate.storage.blobs import BlobStore, blob_key, check_key, guess_content_type
from reelestate.storage.context import TenantContext
from reelestate.storage.models import MediaKind
from reelestate.storage.repositories.content import MediaRepository

_KINDS = {"image": MediaKind.PHOTO, "video": MediaKind.VIDEO, "audio": MediaKind.AUDIO}


def file_fields(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (container, field) of a spec dict that names a file."""
    for scene in data.get("scenes") or []:
        yield scene, "photo"
        if scene.get("clip"):
            yield scene, "clip"
    voice = data.get("voice")
    if isinstance(voice, dict):
        yield voice, "audio"
    music = data.get("music")
    if isinstance(music, dict) and music.get("path"):
        yield music, "path"
    brand = data.get("brand")
    if isinstance(brand, dict):
        for name in ("logo", "font"):
            if brand.get(name):
                yield brand, name
    presenter = data.get("presenter")
    if isinstance(presenter, dict) and presenter.get("photo"):
        yield presenter, "photo"


_FIELD_WORDS = {
    "photo": "scene photo",
    "clip": "scene clip",
    "audio": "narration audio",
    "path": "music",
    "logo": "brand logo",
    "font": "brand font",
}


def check_spec_files(spec: RenderSpec, storyboard: Path | None = None) -> None:
    """Every file a (path-resolved) spec names exists, or an error that names the first
    missing one and where relative paths are read from."""
    data = spec.model_dump(mode="json")
    for container, field in file_fields(data):
        path = Path(container[field])
        if not path.is_file():
            where = (
                f" (relative paths are read from {storyboard.parent.resolve()})"
                if storyboard
                else ""
            )
            raise InvalidSpecError(
                f"The storyboard names a file that is not there: {_FIELD_WORDS[field]} "
                f"{path}{where}.",
                hint="Fix the path in the storyboard, relative to the storyboard's own folder "
                "or absolute.",
            )


def store_spec_files(
    spec: RenderSpec,
    ctx: TenantContext,
    blobs: BlobStore,
    media: MediaRepository,
    project_id: uuid.UUID | None = None,
) -> tuple[dict[str, Any], list[uuid.UUID | None]]:
    """Upload the files a (path-resolved) spec uses; returns the spec with blob keys instead of
    paths, and the media id of each scene's photo."""
    data = spec.model_dump(mode="json")
    uploaded: dict[str, tuple[str, uuid.UUID]] = {}
    for container, field in file_fields(data):
        path = Path(container[field])
        if str(path) not in uploaded:
            content_type = guess_content_type(path)
            sha = file_sha256(path)
            key = blob_key(ctx, "media", sha[:40] + path.suffix.lower())
            info = blobs.stat(ctx, key) or blobs.put_file(ctx, key, path, content_type)
            row = media.register(
                ctx,
                kind=_KINDS.get(content_type.split("/")[0], MediaKind.DOCUMENT),
                blob_key=key,
                content_type=content_type,
                size_bytes=info.size,
                sha256=sha,
                filename=path.name,
                project_id=project_id,
            )
            uploaded[str(path)] = (key, row.id)
        container[field] = uploaded[str(path)][0]
    scene_media: list[uuid.UUID | None] = [
        uploaded[str(Path(s.photo))][1] if str(Path(s.photo)) in uploaded else None
        for s in spec.scenes
    ]
    return data, scene_media


def fetch_spec_files(
    data: dict[str, Any],
    ctx: TenantContext,
    blobs: BlobStore,
    folder: Path,
    *,
    preview: bool,
) -> RenderSpec:
    """Download every file a stored spec references into `folder`; the spec with local paths.

    A key outside `ctx`'s organisation is refused (`BlobRejectedError`) before anything is read.
    """
    data = {**data, "scenes": [dict(s) for s in data.get("scenes") or []]}
    for name in ("voice", "music", "brand", "presenter"):
        if isinstance(data.get(name), dict):
            data[name] = dict(data[name])
    local: dict[str, Path] = {}
    for container, field in file_fields(data):
        key = check_key(ctx, str(container[field]))
        if key not in local:
            target = folder / f"{len(local):03d}-{key.rsplit('/', 1)[-1]}"
            local[key] = blobs.download(ctx, key, target)
        container[field] = str(local[key])
    if preview:
        data["profile"] = "preview"
    return parse_spec(data)
