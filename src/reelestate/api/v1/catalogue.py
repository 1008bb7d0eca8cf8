"""Brand kits, projects (with their facts) and project media."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from reelestate.api.deps import Services, Tenant
from reelestate.api.services import AppServices
from reelestate.api.v1.schemas import (
    BrandKitIn,
    BrandKitOut,
    Facts,
    MediaOut,
    MediaUploadOut,
    MusicTrackOut,
    Page,
    Problem,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)
from reelestate.core.errors import InvalidInputError, NotFoundError, PhotoError
from reelestate.core.imaging import load_photo
from reelestate.core.scratch import scratch_folder
from reelestate.services import permissions
from reelestate.services.presenter_photo import (
    kit_presenter_key,
    remove_presenter_photo,
    store_presenter_photo,
)
from reelestate.storage.blobs import blob_key
from reelestate.storage.context import TenantContext
from reelestate.storage.models import MediaKind, utcnow
from reelestate.storage.repositories.content import (
    BrandKitsRepository,
    MediaRepository,
    NewMedia,
    ProjectsRepository,
)
from reelestate.storage.schemas import BrandKitView, MediaView
from reelestate.tools.music import kit_music

router = APIRouter()
MB = 1024 * 1024
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
URL_SECONDS = 900
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=100)]


# -- brand kits ----------------------------------------------------------------------------


def kit_out(services: AppServices, ctx: TenantContext, kit: BrandKitView) -> BrandKitOut:
    data = kit.data
    logo = data.get("logo")
    face = kit_presenter_key(ctx, data)
    music = kit_music(data)
    return BrandKitOut(
        id=kit.id,
        name=kit.name,
        primary_color=data.get("primary_color", "#1F3A5F"),
        accent_color=data.get("accent_color", "#F2B134"),
        text_color=data.get("text_color", "#FFFFFF"),
        agent_name=data.get("agent_name"),
        agent_phone=data.get("agent_phone"),
        intro_card=bool(data.get("intro_card", True)),
        outro_card=bool(data.get("outro_card", True)),
        logo_url=services.blobs.signed_url(ctx, logo, URL_SECONDS) if logo else None,
        presenter_photo_url=services.blobs.signed_url(ctx, face, URL_SECONDS) if face else None,
        voice=data.get("voice"),
        voice_model=data.get("voice_model"),
        voice_style=data.get("voice_style"),
        music=MusicTrackOut(
            name=music.name,
            url=services.blobs.signed_url(ctx, str(music.path), URL_SECONDS),
            **music.info.model_dump(
                include={"duration_seconds", "loudness_lufs", "codec", "container"}
                | {"sample_rate", "channels", "size_bytes"}
            ),
        )
        if music
        else None,
    )


def _kit_data(body: BrandKitIn, keep: dict[str, Any] | None = None) -> dict[str, Any]:
    data = body.model_dump(mode="json")
    data["primary_color"] = data["primary_color"].upper()
    data["accent_color"] = data["accent_color"].upper()
    data["text_color"] = data["text_color"].upper()
    for name in ("logo", "music", "presenter_photo"):
        if keep and keep.get(name):
            data[name] = keep[name]
    return data


@router.get("/brand-kits", response_model=list[BrandKitOut], tags=["brand-kits"])
async def brand_kits(ctx: Tenant, services: Services) -> list[BrandKitOut]:
    kits = await asyncio.to_thread(BrandKitsRepository(services.db).all, ctx)
    return [kit_out(services, ctx, k) for k in kits]


@router.post(
    "/brand-kits",
    response_model=BrandKitOut,
    status_code=status.HTTP_201_CREATED,
    tags=["brand-kits"],
)
async def create_brand_kit(body: BrandKitIn, ctx: Tenant, services: Services) -> BrandKitOut:
    kit = await asyncio.to_thread(
        BrandKitsRepository(services.db).create, ctx, body.name, _kit_data(body)
    )
    return kit_out(services, ctx, kit)


@router.get("/brand-kits/{kit_id}", response_model=BrandKitOut, tags=["brand-kits"])
async def brand_kit(kit_id: uuid.UUID, ctx: Tenant, services: Services) -> BrandKitOut:
    kit = await asyncio.to_thread(BrandKitsRepository(services.db).get, ctx, kit_id)
    return kit_out(services, ctx, kit)


@router.put("/brand-kits/{kit_id}", response_model=BrandKitOut, tags=["brand-kits"])
async def update_brand_kit(
    kit_id: uuid.UUID, body: BrandKitIn, ctx: Tenant, services: Services
) -> BrandKitOut:
    repo = BrandKitsRepository(services.db)

    def work() -> BrandKitView:
        old = repo.get(ctx, kit_id)
        return repo.update(ctx, kit_id, name=body.name, data=_kit_data(body, old.data))

    return kit_out(services, ctx, await asyncio.to_thread(work))


@router.delete("/brand-kits/{kit_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["brand-kits"])
async def delete_brand_kit(kit_id: uuid.UUID, ctx: Tenant, services: Services) -> None:
    await asyncio.to_thread(BrandKitsRepository(services.db).delete, ctx, kit_id)


@router.post("/brand-kits/{kit_id}/logo", response_model=BrandKitOut, tags=["brand-kits"])
async def upload_logo(
    kit_id: uuid.UUID, ctx: Tenant, services: Services, file: Annotated[UploadFile, File()]
) -> BrandKitOut:
    """A PNG or JPEG logo (at most 5 MB) for the kit's cards and corner mark."""
    repo = BrandKitsRepository(services.db)
    kit = await asyncio.to_thread(repo.get, ctx, kit_id)
    with scratch_folder(services.settings.scratch_dir, "logo") as tmp:
        stored = await asyncio.to_thread(
            _store_photo,
            services,
            ctx,
            file,
            tmp,
            limit_mb=5,
            types=("image/png", "image/jpeg"),
            min_side=16,
        )
    data = {**kit.data, "logo": stored[0]}
    kit = await asyncio.to_thread(repo.update, ctx, kit_id, name=None, data=data)
    return kit_out(services, ctx, kit)


@router.post(
    "/brand-kits/{kit_id}/presenter-photo",
    response_model=BrandKitOut,
    tags=["brand-kits"],
    responses={422: {"model": Problem, "description": "Not one frontal face (the reason)."}},
)
async def upload_presenter_photo(
    kit_id: uuid.UUID, ctx: Tenant, services: Services, file: Annotated[UploadFile, File()]
) -> BrandKitOut:
    """The agent's headshot (JPEG, PNG or WebP, at most 10 MB) for the talking presenter:
    exactly one frontal face, big enough, or 422 with the reason."""
    name = file.filename or "photo"
    suffix = PHOTO_TYPES.get((file.content_type or "").split(";")[0].strip().lower())
    if suffix is None:
        raise PhotoError(f"{name} is not a JPEG, PNG or WebP photo.")
    with scratch_folder(services.settings.scratch_dir, "presenter") as tmp:
        local = tmp / f"face{suffix}"
        data = await file.read(10 * MB + 1)
        if len(data) > 10 * MB:
            raise PhotoError(f"{name} is larger than 10 MB.", hint="Send a smaller file.")
        local.write_bytes(data)
        kit = await asyncio.to_thread(
            store_presenter_photo, services.db, services.blobs, ctx, kit_id, local, name=name
        )
    return kit_out(services, ctx, kit)


@router.delete(
    "/brand-kits/{kit_id}/presenter-photo", response_model=BrandKitOut, tags=["brand-kits"]
)
async def remove_kit_presenter_photo(
    kit_id: uuid.UUID, ctx: Tenant, services: Services
) -> BrandKitOut:
    """No presenter photo: asking for a presenter then asks for a photo first."""
    kit = await asyncio.to_thread(remove_presenter_photo, services.db, ctx, kit_id)
    return kit_out(services, ctx, kit)


# -- projects ------------------------------------------------------------------------------


@router.get("/projects", response_model=Page[ProjectOut], tags=["projects"])
async def projects(
    ctx: Tenant, services: Services, offset: Offset = 0, limit: Limit = 20
) -> Page[ProjectOut]:
    """The organisation's projects (everyone's), newest first."""
    rows, total = await asyncio.to_thread(
        ProjectsRepository(services.db).page, ctx, offset=offset, limit=limit
    )
    return Page[ProjectOut](
        items=[ProjectOut.model_validate(r) for r in rows],
        total=total,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if offset + limit < total else None,
    )


@router.post(
    "/projects", response_model=ProjectOut, status_code=status.HTTP_201_CREATED, tags=["projects"]
)
async def create_project(body: ProjectIn, ctx: Tenant, services: Services) -> ProjectOut:
    project = await asyncio.to_thread(
        ProjectsRepository(services.db).create,
        ctx,
        body.title,
        body.facts,
        brand_kit_id=body.brand_kit_id,
    )
    return ProjectOut.model_validate(project)


@router.get("/projects/{project_id}", response_model=ProjectOut, tags=["projects"])
async def project(project_id: uuid.UUID, ctx: Tenant, services: Services) -> ProjectOut:
    row = await asyncio.to_thread(ProjectsRepository(services.db).get, ctx, project_id)
    return ProjectOut.model_validate(row)


@router.patch("/projects/{project_id}", response_model=ProjectOut, tags=["projects"])
async def update_project(
    project_id: uuid.UUID, body: ProjectPatch, ctx: Tenant, services: Services
) -> ProjectOut:
    row = await asyncio.to_thread(
        ProjectsRepository(services.db).update,
        ctx,
        project_id,
        title=body.title,
        brand_kit_id=body.brand_kit_id,
        clear_brand_kit=body.clear_brand_kit,
    )
    return ProjectOut.model_validate(row)


@router.put("/projects/{project_id}/facts", response_model=ProjectOut, tags=["projects"])
async def set_facts(
    project_id: uuid.UUID, facts: Facts, ctx: Tenant, services: Services
) -> ProjectOut:
    """Replace the listing facts (beds, baths, price, area_sqft, address, highlights...)."""
    row = await asyncio.to_thread(
        ProjectsRepository(services.db).update, ctx, project_id, facts=facts
    )
    return ProjectOut.model_validate(row)


@router.delete("/projects/{project_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["projects"])
async def delete_project(project_id: uuid.UUID, ctx: Tenant, services: Services) -> None:
    permissions.require(permissions.can_delete_project(ctx.role), "delete a project")
    await asyncio.to_thread(ProjectsRepository(services.db).delete, ctx, project_id)


# -- media ---------------------------------------------------------------------------------


def media_out(services: AppServices, ctx: TenantContext, row: MediaView) -> MediaOut:
    return MediaOut(
        id=row.id,
        kind=row.kind,
        filename=row.filename,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        analysis=row.analysis,
        url=services.blobs.signed_url(ctx, row.blob_key, URL_SECONDS),
    )


def _store_photo(
    services: AppServices,
    ctx: TenantContext,
    upload: UploadFile,
    folder: Path,
    *,
    limit_mb: int,
    types: tuple[str, ...] = tuple(PHOTO_TYPES),
    min_side: int = 240,
) -> tuple[str, str, int, str]:
    """Check one uploaded photo and put it in the blob store; (key, type, size, sha256)."""
    name = upload.filename or "photo"
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type not in types:
        raise PhotoError(
            f"{name} is {content_type or 'of no stated type'}; send {', '.join(types)}."
        )
    path = folder / f"{uuid.uuid4().hex}{PHOTO_TYPES[content_type]}"
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(MB):
            size += len(chunk)
            if size > limit_mb * MB:
                raise PhotoError(
                    f"{name} is larger than {limit_mb} MB.", hint="Send a smaller file."
                )
            digest.update(chunk)
            out.write(chunk)
    try:
        load_photo(
            path,
            max_side=256,
            min_short_side=min_side,
            max_pixels=services.settings.max_image_pixels,
        )
    except PhotoError as exc:
        message = exc.message.replace(path.name, name)
        raise PhotoError(
            message if name in message else f"{name}: {message}", hint=exc.hint
        ) from exc
    sha = digest.hexdigest()
    key = blob_key(ctx, "media", sha[:40] + PHOTO_TYPES[content_type])
    written = services.blobs.modified(ctx, key)
    if not _recently_written(written, services.settings.blob_gc_grace_s):
        services.blobs.put_file(ctx, key, path, content_type)
    return key, content_type, size, sha


def _recently_written(written: datetime | None, gc_grace_s: float) -> bool:
    """Whether a stored copy is young enough to reuse: an older one may be an unreferenced file
    the collector is about to remove, so it is written again (same bytes, fresh age)."""
    return written is not None and written > utcnow() - timedelta(seconds=gc_grace_s / 2)


@router.post(
    "/projects/{project_id}/media",
    response_model=MediaUploadOut,
    status_code=status.HTTP_201_CREATED,
    tags=["media"],
)
async def upload_media(
    project_id: uuid.UUID,
    ctx: Tenant,
    services: Services,
    files: Annotated[list[UploadFile], File(description="JPEG, PNG or WebP photos")],
) -> MediaUploadOut:
    """Add photos to a project (all or none: one bad file refuses the whole batch)."""
    settings = services.settings
    if len(files) > settings.max_photos:
        raise InvalidInputError(
            f"{len(files)} files in one upload; the limit is {settings.max_photos}."
        )
    await asyncio.to_thread(ProjectsRepository(services.db).get, ctx, project_id)

    def work() -> list[MediaOut]:
        with scratch_folder(settings.scratch_dir, "upload") as tmp:
            stored = [
                (f.filename, _store_photo(services, ctx, f, tmp, limit_mb=settings.max_photo_mb))
                for f in files
            ]
        # Every photo of the request in one transaction: a failure (or a kill) before it commits
        # leaves no rows, and the blobs already written are collected later as unreferenced.
        rows = MediaRepository(services.db).register_many(
            ctx,
            project_id,
            [
                NewMedia(
                    kind=MediaKind.PHOTO,
                    blob_key=key,
                    content_type=content_type,
                    size_bytes=size,
                    sha256=sha,
                    filename=(name or "photo")[:255],
                )
                for name, (key, content_type, size, sha) in stored
            ],
        )
        return [media_out(services, ctx, r) for r in rows]

    return MediaUploadOut(items=await asyncio.to_thread(work))


@router.get("/projects/{project_id}/media", response_model=list[MediaOut], tags=["media"])
async def list_media(project_id: uuid.UUID, ctx: Tenant, services: Services) -> list[MediaOut]:
    def work() -> list[MediaOut]:
        ProjectsRepository(services.db).get(ctx, project_id)
        rows = MediaRepository(services.db).for_project(ctx, project_id)
        return [media_out(services, ctx, r) for r in rows]

    return await asyncio.to_thread(work)


@router.delete(
    "/projects/{project_id}/media/{media_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["media"],
    response_class=Response,
)
async def delete_media(
    project_id: uuid.UUID, media_id: uuid.UUID, ctx: Tenant, services: Services
) -> None:
    def work() -> None:
        media = MediaRepository(services.db)
        row = media.get(ctx, media_id)
        if row.project_id != project_id:
            raise NotFoundError("No such file.")
        media.delete(ctx, media_id)

    await asyncio.to_thread(work)
