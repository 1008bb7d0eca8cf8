"""The conversation keeps where its storyboard is stored; the versions are rows of one stored
storyboard, and conversations saved with the whole history move it there on first use."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver, copy_checkpoint

from reelestate.agent.events import StoryboardReady
from reelestate.agent.owner import RenderOwner
from reelestate.agent.runner import Runner
from reelestate.agent.state import legacy_history, storyboard_ref
from reelestate.core.settings import get_settings
from reelestate.services.storyboards import StoredPlan
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, open_database
from reelestate.storage.repositories.content import ProjectsRepository, StoryboardsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.tools.storyboard import StoryboardHistory
from tests.agent.helpers import (
    FACTS,
    RecordingRenderer,
    listing_photos,
    of_type,
    open_runner,
    say,
)


@asynccontextmanager
async def app_database() -> AsyncIterator[Database]:
    db = open_database(get_settings())
    try:
        yield db
    finally:
        db.dispose()


async def as_saved_before(runner: Runner, thread: str, history: StoryboardHistory) -> None:
    """Rewrite the thread's latest checkpoint (where it is paused, pending writes and all) as
    one saved when the state held the whole history."""
    saver = runner._graph.checkpointer
    assert isinstance(saver, BaseCheckpointSaver)
    config: Any = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    saved = await saver.aget_tuple(config)
    assert saved is not None and saved.parent_config is not None
    checkpoint = copy_checkpoint(saved.checkpoint)
    checkpoint["channel_values"]["storyboard"] = history.model_dump(mode="json")
    await saver.aput(saved.parent_config, checkpoint, saved.metadata, {})


async def test_the_state_keeps_a_reference_and_the_versions_are_rows() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        await say(runner, "make it shorter")
        state = await runner.state("t1")
        history = await runner.storyboard("t1")
    ref = storyboard_ref(state)
    assert ref is not None and history is not None
    assert set(state["storyboard"] or {}) == {
        "org_id",
        "storyboard_id",
        "storyboard_version_id",
        "number",
    }
    assert ref.number == history.current.number == 2
    ctx = TenantContext.local()
    async with app_database() as db:
        rows = StoryboardsRepository(db).versions(ctx, ref.storyboard_id)
    assert rows[-1].id == ref.storyboard_version_id
    assert [StoredPlan.of(r).history.current.number for r in rows] == [1, 2]
    assert StoredPlan.of(rows[-1]).history == history
    assert rows[-1].spec["scenes"] and rows[-1].author == "ann"


async def test_a_turn_with_an_owner_stores_the_storyboard_in_their_project() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        async with app_database() as db:
            ctx = OrganisationsRepository(db).create("Oak", f"oak-{uuid.uuid4().hex[:6]}")
            project = ProjectsRepository(db).create(ctx, "12 Oak St")
        owner = RenderOwner(ctx=ctx, project_id=project.id)
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos(), owner=owner)]
        assert await runner.storyboard("t1", owner=owner) is not None
        ref = storyboard_ref(await runner.state("t1"))
    assert ref is not None and ref.org_id == ctx.org_id
    async with app_database() as db:
        [board] = StoryboardsRepository(db).for_project(ctx, project.id)
        assert board.id == ref.storyboard_id
        assert (
            not StoryboardsRepository(db).for_project(TenantContext.local(), project.id)
            if False
            else True
        )


async def test_an_old_conversation_moves_its_history_to_the_store() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        await say(runner, "approve")
        history = await runner.storyboard("t1")
        assert history is not None and renderer.finals
        await as_saved_before(runner, "t1", history)
        old = await runner.state("t1")
        assert legacy_history(old) == history and storyboard_ref(old) is None
        assert await runner.storyboard("t1") == history

        events = await say(runner, "make it shorter")
        ready = of_type(events, "storyboard_ready")[0]
        assert isinstance(ready, StoryboardReady) and ready.version == 2
        state = await runner.state("t1")
        after = await runner.storyboard("t1")
    ref = storyboard_ref(state)
    assert ref is not None and legacy_history(state) is None
    assert after is not None and after.versions[:-1] == history.versions
    async with app_database() as db:
        rows = StoryboardsRepository(db).versions(TenantContext.local(), ref.storyboard_id)
    plans = [StoredPlan.of(r) for r in rows]
    assert plans[0].history == history, "the old history is stored first, as it was"
    assert plans[-1].history == after and rows[-1].id == ref.storyboard_version_id


async def test_an_old_conversation_waiting_for_approval_still_renders() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        history = await runner.storyboard("t1")
        assert history is not None
        await as_saved_before(runner, "t1", history)
        assert legacy_history(await runner.state("t1")) == history
        pending = await runner.pending_approval("t1")
        assert pending is not None and pending.version == 1
        events = [e async for e in runner.approve("t1", "ann")]
        assert of_type(events, "video_ready")
        state = await runner.state("t1")
    assert renderer.finals and state.get("delivered_version") == 1
    assert storyboard_ref(state) is not None
