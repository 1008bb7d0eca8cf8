"""The chat's storyboard store: versions of one stored storyboard, read back by version id,
only by the organisation they belong to (PostgreSQL with row-level security, and SQLite)."""

from __future__ import annotations

import uuid

import pytest

from reelestate.core.errors import NotFoundError
from reelestate.services import storyboard_flow as flow
from reelestate.services.storyboard_store import StoryboardStore
from reelestate.services.storyboards import StoredPlan
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import ProjectsRepository, StoryboardsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.tools.storyboard_ops import SetCaptionOp
from tests.services.test_storyboard_flow import LISTING, ROOMS, _choices, _script
from tests.support.fixtures import db, pg_settings, pg_url, sqlite_settings
from tests.tools.story_factories import house

__all__ = ["db", "pg_settings", "pg_url", "sqlite_settings"]


def organisation(db: Database) -> TenantContext:
    slug = f"org-{uuid.uuid4().hex[:8]}"
    return OrganisationsRepository(db).create("Oak Realty", slug)


def first_plan() -> StoredPlan:
    script = _script()
    history = flow.plan(LISTING, house(ROOMS), script, _choices())
    return StoredPlan(history=history, script=script, listing=LISTING)


def revised(plan: StoredPlan) -> StoredPlan:
    caption = SetCaptionOp(scene=1, caption="Welcome home")
    history = flow.revise(plan.history, [caption], author="ann")
    return plan.model_copy(update={"history": history})


async def test_versions_of_one_storyboard_with_plan_and_spec(db: Database) -> None:
    ctx = organisation(db)
    store = StoryboardStore(db)
    one = first_plan()
    first = await store.save(ctx, one, previous=None, author="ann", reason="planned")
    two = revised(one)
    second = await store.save(ctx, two, previous=first, author="ann", reason="caption")

    assert second.storyboard_id == first.storyboard_id and second.org_id == ctx.org_id
    assert (first.number, second.number) == (1, 2)
    rows = StoryboardsRepository(db).versions(ctx, first.storyboard_id)
    assert [r.id for r in rows] == [first.storyboard_version_id, second.storyboard_version_id]
    assert [r.version for r in rows] == [1, 2]
    assert StoredPlan.of(rows[0]) == one and StoredPlan.of(rows[1]) == two
    assert rows[1].spec["scenes"][0]["caption"] == "Welcome home"
    assert rows[0].spec["scenes"][0]["caption"] != "Welcome home"
    assert [r.reason for r in rows] == ["planned", "caption"]

    fresh = StoryboardStore(db)
    assert await fresh.load(ctx, first.storyboard_version_id) == one
    assert await fresh.load(ctx, second.storyboard_version_id) == two


async def test_a_new_storyboard_goes_into_the_given_project(db: Database) -> None:
    ctx = organisation(db)
    project = ProjectsRepository(db).create(ctx, "12 Oak Street")
    store = StoryboardStore(db)
    ref = await store.save(
        ctx, first_plan(), previous=None, project_id=project.id, author="ann", reason="planned"
    )
    [board] = StoryboardsRepository(db).for_project(ctx, project.id)
    assert board.id == ref.storyboard_id and board.current_version == 1


async def test_without_a_project_the_storyboard_gets_its_own(db: Database) -> None:
    ctx = organisation(db)
    ref = await StoryboardStore(db).save(
        ctx, first_plan(), previous=None, author="ann", reason="planned"
    )
    board = StoryboardsRepository(db).get(ctx, ref.storyboard_id)
    assert ProjectsRepository(db).get(ctx, board.project_id).title == "12 Oak Street"


async def test_another_organisation_cannot_load_it(db: Database) -> None:
    ann, mallory = organisation(db), organisation(db)
    store = StoryboardStore(db)
    plan = first_plan()
    ref = await store.save(ann, plan, previous=None, author="ann", reason="planned")
    assert await store.load(ann, ref.storyboard_version_id) == plan
    with pytest.raises(NotFoundError):
        await store.load(mallory, ref.storyboard_version_id)
    with pytest.raises(NotFoundError):
        await StoryboardStore(db).load(mallory, ref.storyboard_version_id)
