"""A brand kit's music bed: uploaded once, checked on arrival, played by its projects' videos.

The file is probed, decoded and measured before it is stored (`music_track_from_file`), so a
text file renamed `.mp3`, a 4-second jingle or a silent export is refused here with the reason
(415 when it is not audio we can decode, 422 otherwise), never halfway through a render.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from reelestate.api.deps import Services, Tenant
from reelestate.api.services import AppServices
from reelestate.api.v1.catalogue import kit_out
from reelestate.api.v1.schemas import BrandKitOut, Problem
from reelestate.core.errors import MusicTrackError
from reelestate.core.scratch import scratch_folder
from reelestate.storage.blobs import blob_key
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.content import BrandKitsRepository
from reelestate.storage.schemas import BrandKitView
from reelestate.tools.music import music_track_from_file

router = APIRouter()
MB = 1024 * 1024
_PROBLEMS: dict[int | str, dict[str, object]] = {
    415: {"model": Problem, "description": "The file is not audio we can decode."},
    422: {"model": Problem, "description": "The track cannot be a music bed (the reason)."},
}


def _save(upload: UploadFile, folder: Path, limit_mb: int) -> tuple[Path, str]:
    """The upload written to `folder` (refused past `limit_mb`); its path and sha256."""
    path = folder / "upload"
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(MB):
            size += len(chunk)
            if size > limit_mb * MB:
                raise MusicTrackError(
                    f"This file is larger than {limit_mb} MB, the limit for music tracks.",
                    hint="Send it as MP3 or M4A, which are about a tenth of the size of WAV.",
                )
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest()


def _store_music(
    services: AppServices, ctx: TenantContext, kit_id: uuid.UUID, upload: UploadFile
) -> BrandKitView:
    repo = BrandKitsRepository(services.db)
    kit = repo.get(ctx, kit_id)
    limit = services.settings.max_music_mb
    with scratch_folder(services.settings.scratch_dir, "music") as tmp:
        path, sha = _save(upload, tmp, limit)
        track = music_track_from_file(path, name=upload.filename or "music", max_mb=limit)
        key = blob_key(ctx, "media", sha[:40] + track.info.suffix)
        if services.blobs.stat(ctx, key) is None:
            services.blobs.put_file(ctx, key, path, track.info.content_type)
    stored = track.model_copy(update={"path": Path(key)})
    data = {**kit.data, "music": stored.model_dump(mode="json")}
    return repo.update(ctx, kit_id, name=None, data=data)


@router.post(
    "/brand-kits/{kit_id}/music",
    response_model=BrandKitOut,
    tags=["brand-kits"],
    responses=_PROBLEMS,
)
async def upload_music(
    kit_id: uuid.UUID,
    ctx: Tenant,
    services: Services,
    file: Annotated[UploadFile, File(description="MP3, M4A/AAC, WAV, OGG/Opus or FLAC")],
) -> BrandKitOut:
    """The kit's music bed (10 s to 15 min): storyboards planned afterwards for the kit's
    projects play it, levelled and ducked under the narration, instead of a generated mood."""
    kit = await asyncio.to_thread(_store_music, services, ctx, kit_id, file)
    return kit_out(services, ctx, kit)


@router.delete("/brand-kits/{kit_id}/music", response_model=BrandKitOut, tags=["brand-kits"])
async def remove_music(kit_id: uuid.UUID, ctx: Tenant, services: Services) -> BrandKitOut:
    """Back to the generated bed of each storyboard's mood (for storyboards planned from now)."""
    repo = BrandKitsRepository(services.db)

    def work() -> BrandKitView:
        kit = repo.get(ctx, kit_id)
        data = {k: v for k, v in kit.data.items() if k != "music"}
        return repo.update(ctx, kit_id, name=None, data=data)

    return kit_out(services, ctx, await asyncio.to_thread(work))
