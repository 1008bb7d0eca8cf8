"""The owner a channel gives `Runner.send` is the owner of every render that turn starts."""

from __future__ import annotations

import uuid

from reelestate.agent.owner import RenderOwner
from reelestate.agent.runner import Runner
from reelestate.core.settings import get_settings
from reelestate.storage.context import TenantContext
from tests.agent.helpers import FACTS, FileNameAnalyser, RecordingRenderer, listing_photos


async def test_each_turns_owner_reaches_the_render_backend() -> None:
    renderer = RecordingRenderer()
    ann = RenderOwner(ctx=TenantContext(org_id=uuid.uuid4()), project_id=uuid.uuid4())
    bob = RenderOwner(ctx=TenantContext(org_id=uuid.uuid4()), captions=False)
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer, final_profile="preview"
    ) as runner:
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos(), owner=ann)]
        assert renderer.requests and set(renderer.owners) == {ann}
        previews = len(renderer.requests)
        [_ async for _ in runner.approve("t1", "ann", owner=bob)]
    assert renderer.finals and renderer.owners[previews:] == [bob]


async def test_without_an_owner_the_backend_chooses() -> None:
    renderer = RecordingRenderer()
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer, final_profile="preview"
    ) as runner:
        [_ async for _ in runner.send("t1", "ann", FACTS, listing_photos())]
        [_ async for _ in runner.approve("t1", "ann")]
    assert renderer.finals and set(renderer.owners) == {None}
