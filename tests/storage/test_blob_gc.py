"""Collecting unreferenced files never takes one a row still needs: a rendered job's outputs
(and its `render.json`), a brand kit's logo and music, photos of a project, files a storyboard
names; it takes what nothing names once it is past the grace, and partial writes."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from reelestate.storage.blob_gc import collect_unreferenced
from reelestate.storage.blobs import LocalBlobStore, blob_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import MediaKind, RenderJob
from reelestate.storage.repositories.content import (
    BrandKitsRepository,
    MediaRepository,
    NewMedia,
    ProjectsRepository,
)
from reelestate.storage.repositories.jobs import JobsRepository
from tests.storage.factories import new_org, preview_job

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32


def _put(store: LocalBlobStore, ctx: TenantContext, key: str, data: bytes, kind: str) -> str:
    store.put_bytes(ctx, key, data, kind)
    return key


def _age(store: LocalBlobStore, key: str, hours: float = 48) -> None:
    then = time.time() - hours * 3600
    os.utime(store.root / key, (then, then))


def test_only_files_no_row_names_are_collected(db: Database, tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    ctx = new_org(db, credits=10)
    project = ProjectsRepository(db).create(ctx, "house")
    photo = _put(store, ctx, blob_key(ctx, "media", "a" * 40 + ".jpg"), JPEG, "image/jpeg")
    MediaRepository(db).register_many(ctx, project.id, [NewMedia(
        kind=MediaKind.PHOTO, blob_key=photo, content_type="image/jpeg", size_bytes=len(JPEG),
        sha256="a" * 64)])  # fmt: skip
    logo = _put(store, ctx, blob_key(ctx, "media", "b" * 40 + ".jpg"), JPEG, "image/jpeg")
    music = _put(store, ctx, blob_key(ctx, "media", "c" * 40 + ".mp3"), b"ID3" + b"\x00" * 64,
                 "audio/mpeg")  # fmt: skip
    BrandKitsRepository(db).create(ctx, "kit", {"logo": logo, "music": {"path": music}})

    job, _ = JobsRepository(db).create(ctx, preview_job())
    folder = blob_key(ctx, "renders", str(job.id), job.input_hash[:16])
    video = _put(store, ctx, f"{folder}/video.mp4", MP4, "video/mp4")
    meta = _put(store, ctx, f"{folder}/render.json", b"{}", "application/json")
    with db.tenant(ctx) as session:
        session.execute(
            update(RenderJob).where(RenderJob.id == job.id).values(
                outputs={"video": {"key": video, "size": len(MP4)}})
        )  # fmt: skip

    orphan = _put(store, ctx, blob_key(ctx, "media", "d" * 40 + ".jpg"), JPEG, "image/jpeg")
    young_orphan = _put(store, ctx, blob_key(ctx, "media", "e" * 40 + ".jpg"), JPEG,
                        "image/jpeg")  # fmt: skip
    old_link = _put(store, ctx, blob_key(ctx, "telegram", "x1", "video.mp4"), MP4, "video/mp4")
    new_link = _put(store, ctx, blob_key(ctx, "telegram", "x2", "video.mp4"), MP4, "video/mp4")
    partial = store.root / f"{orphan}.tmp-0123"
    partial.write_bytes(JPEG)
    for key in (photo, logo, music, video, meta, orphan, old_link, new_link):
        _age(store, key)
    _age(store, old_link, hours=24 * 8)
    os.utime(partial, (time.time() - 48 * 3600,) * 2)

    grace = timedelta(hours=1)
    seen = collect_unreferenced(db, store, grace=grace, dry_run=True)
    assert sorted(b.key for b in seen.unreferenced) == sorted([orphan, old_link])
    assert store.stat(ctx, orphan) is not None  # a dry run removes nothing

    done = collect_unreferenced(db, store, grace=grace)
    assert sorted(b.key for b in done.unreferenced) == sorted([orphan, old_link])
    assert done.kept_young == 1 and done.partials_removed == 1
    kept = {b.key for b in store.list(ctx, f"org/{ctx.org_id}/")}
    assert kept == {photo, logo, music, video, meta, young_orphan, new_link}
    assert not partial.exists()
