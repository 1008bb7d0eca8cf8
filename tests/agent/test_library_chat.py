"""'use the photos from 12 Oak St' in the chat: the listing's photos join the conversation and
are analysed; an address two listings share is asked about; an unknown one is said plainly."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reelestate.agent.owner import RenderOwner
from reelestate.agent.rules.publishing_talk import publishing_call
from reelestate.agent.runner import Runner
from reelestate.core.settings import get_settings
from reelestate.services.publishing import PublishingService
from reelestate.storage import migrate
from reelestate.storage.blobs import blob_key, open_blob_store
from reelestate.storage.context import TenantContext
from reelestate.storage.db import open_database
from reelestate.storage.models import MediaKind
from reelestate.storage.repositories.content import (
    MediaRepository,
    NewMedia,
    ProjectsRepository,
)
from reelestate.storage.schemas import ProjectView
from tests.agent.helpers import FileNameAnalyser, RecordingRenderer, listing_photos, of_type, texts
from tests.social.helpers import new_connected_org


def _listing(
    svc: PublishingService, ctx: TenantContext, address: str, photos: list[Path]
) -> ProjectView:
    project = ProjectsRepository(svc.db).create(ctx, address, {"address": address})
    items = []
    for photo in photos:
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        key = blob_key(ctx, "media", sha[:40] + ".jpg")
        svc.blobs.put_file(ctx, key, photo, "image/jpeg")
        size = photo.stat().st_size
        items.append(
            NewMedia(kind=MediaKind.PHOTO, blob_key=key, content_type="image/jpeg",
                     size_bytes=size, sha256=sha, filename=photo.name)
        )  # fmt: skip
    MediaRepository(svc.db).register_many(ctx, project.id, items)
    return project


def test_the_phrase_maps_to_the_library_action() -> None:
    assert publishing_call("use the photos from 12 Oak St") == (
        "reuse_photos", {"source": "12 Oak St"}
    )  # fmt: skip
    assert publishing_call("use the kitchen photos from 12 Oak St.") == (
        "reuse_photos", {"source": "12 Oak St", "room": "kitchen"}
    )  # fmt: skip


async def test_use_the_photos_from_an_earlier_listing() -> None:
    settings = get_settings()
    migrate.upgrade(settings)
    db = open_database(settings)
    svc = PublishingService(settings, db, open_blob_store(settings))
    ctx = new_connected_org(svc)
    photos = listing_photos()
    oak = _listing(svc, ctx, "12 Oak Street", photos[:3])
    _listing(svc, ctx, "5 Elm St", photos[3:4])
    _listing(svc, ctx, "9 Elm St", photos[4:5])
    current = ProjectsRepository(db).create(ctx, "New listing")
    owner = RenderOwner(ctx=ctx, project_id=current.id)
    try:
        async with Runner.open(
            settings, analyser=FileNameAnalyser(), renderer=RecordingRenderer(), db=db
        ) as runner:

            async def chat(text: str) -> list:  # type: ignore[type-arg]
                return [e async for e in runner.send("lib1", "ann", text, owner=owner)]

            events = await chat("use the photos from 12 Oak St")
            said = texts(events)
            assert "Added 3 photos from 12 Oak Street" in said and "Analysed" in said
            state = await runner.state("lib1")
            assert len(state["photos"]) == 3 and len(state["analyses"]) == 3
            assert all(p.endswith(".jpg") for p in state["photos"])
            media = MediaRepository(db)
            reused = media.for_project(ctx, current.id)
            assert sorted(m.blob_key for m in reused) == sorted(
                m.blob_key for m in media.for_project(ctx, oak.id)
            )

            [asked] = of_type(await chat("use the photos from Elm St"), "question")
            assert "5 Elm St" in asked.text and "9 Elm St" in asked.text  # type: ignore[union-attr]
            nothing = texts(await chat("use the photos from 99 Nowhere Rd"))
            assert 'No earlier listing with photos matches "99 Nowhere Rd"' in nothing
            assert len((await runner.state("lib1"))["photos"]) == 3
    finally:
        db.dispose()
