"""The owner a channel gives `Runner.send` is the owner of every render that turn starts."""

from __future__ import annotations

import uuid

import pytest

from reelestate.agent.owner import RenderOwner
from reelestate.agent.runner import Runner
from reelestate.agent.state import storyboard_ref
from reelestate.core.errors import NotFoundError
from reelestate.core.settings import get_settings
from reelestate.services.storyboard_store import StoryboardStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, open_database
from reelestate.storage.repositories.content import ProjectsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from tests.agent.helpers import FACTS, FileNameAnalyser, RecordingRenderer, listing_photos


def organisation(db: Database, slug: str) -> TenantContext:
    return OrganisationsRepository(db).create(slug.title(), f"{slug}-{uuid.uuid4().hex[:6]}")


async def test_each_turns_owner_reaches_the_render_backend() -> None:
    renderer = RecordingRenderer()
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer, final_profile="preview"
    ) as runner:
        db = open_database(get_settings())
        try:
            ann_ctx, bob_ctx = organisation(db, "ann"), organisation(db, "bob")
            project = ProjectsRepository(db).create(ann_ctx, "12 Oak St")
        finally:
            db.dispose()
        ann = RenderOwner(ctx=ann_ctx, project_id=project.id)
        bob = RenderOwner(ctx=bob_ctx, captions=False)
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos(), owner=ann)]
        assert renderer.requests and set(renderer.owners) == {ann}
        previews = len(renderer.requests)
        [_ async for _ in runner.approve("t1", "ann", owner=bob)]
        ref = storyboard_ref(await runner.state("t1"))
    assert renderer.finals and renderer.owners[previews:] == [bob]
    assert ref is not None and ref.org_id == ann_ctx.org_id, "the storyboard stays in its home"
    assert renderer.requests[0].storyboard_version_id is not None
    assert renderer.finals[-1].storyboard_version_id is None, "bob's render is not of ann's rows"


async def test_another_organisation_cannot_read_the_storyboard() -> None:
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=RecordingRenderer()
    ) as runner:
        db = open_database(get_settings())
        try:
            ann = RenderOwner(ctx=organisation(db, "ann"))
            mallory = RenderOwner(ctx=organisation(db, "mallory"))
        finally:
            db.dispose()
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos(), owner=ann)]
        ref = storyboard_ref(await runner.state("t1"))
        assert ref is not None and await runner.storyboard("t1", owner=ann) is not None
    db = open_database(get_settings())
    try:
        with pytest.raises(NotFoundError):
            await StoryboardStore(db).load(mallory.ctx, ref.storyboard_version_id)
    finally:
        db.dispose()


async def test_without_an_owner_the_backend_chooses() -> None:
    renderer = RecordingRenderer()
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer, final_profile="preview"
    ) as runner:
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos())]
        [_ async for _ in runner.approve("t1", "ann")]
    assert renderer.finals and set(renderer.owners) == {None}
