"""Stopping a render from outside its turn, and conversations shared with a team."""

from __future__ import annotations

import asyncio

import pytest

from reelestate.agent.backends.base import RunningRenders
from reelestate.agent.events import ApprovalRequest, AssistantText
from reelestate.agent.state import jobs_of, listing_of
from reelestate.agent.summaries import RENDER_CANCELLED
from reelestate.core.errors import InvalidInputError
from tests.agent.helpers import (
    FACTS,
    HeldRenderer,
    RecordingRenderer,
    listing_photos,
    of_type,
    open_runner,
    say,
    texts,
)

WAIT_S = 120


async def test_renders_in_progress_are_cancelled_and_the_storyboard_kept() -> None:
    renderer = HeldRenderer()
    async with open_runner(renderer) as runner:
        assert not await runner.cancel_render("t1", "ann"), "nothing runs yet"
        turn = asyncio.create_task(say(runner, FACTS, listing_photos()))
        await asyncio.wait_for(renderer.held.wait(), WAIT_S)
        assert runner.rendering("t1")
        with pytest.raises(InvalidInputError, match="someone else"):
            await runner.cancel_render("t1", "mallory")
        assert await runner.cancel_render("t1", "ann")
        events = await turn
        assert RENDER_CANCELLED in texts(events)
        assert of_type(events, "storyboard_ready"), "the storyboard is shown, kept"
        assert isinstance(events[-1], ApprovalRequest)
        assert [r.kind for r in renderer.cancelled] == ["preview"]
        assert not runner.rendering("t1")
        assert not (await runner.state("t1")).get("previews")

        renderer.held.clear()
        final = asyncio.create_task(say(runner, "render"))
        await asyncio.wait_for(renderer.held.wait(), WAIT_S)
        assert await runner.cancel_render("t1", "ann")
        events = await final
        assert RENDER_CANCELLED in texts(events)
        assert isinstance(events[-1], ApprovalRequest), "Approve starts it again"
        assert jobs_of(await runner.state("t1"))[-1].status == "cancelled"
        assert [r.kind for r in renderer.cancelled] == ["preview", "final"]

        renderer.release()
        events = await say(runner, "render again")
        assert of_type(events, "video_ready")
        said = [e.text for e in events if isinstance(e, AssistantText)]
        assert [t for t in said if t.startswith("Your video is ready: video.mp4, ")]
        assert not [t for t in said if "/" in t], "no server paths in what the assistant says"
        status = texts(await say(runner, "status"))
        assert "final of version 1: succeeded, video.mp4" in status
        assert "cancelled" in status and "/" not in status


async def test_running_renders_forget_finished_ones() -> None:
    renders = RunningRenders()
    done = asyncio.get_running_loop().create_future()
    done.set_result(None)
    with renders.track("t1", done):
        assert not renders.running("t1")
        assert not renders.cancel("t1")
    assert not renders.cancel("t1")


async def test_a_team_thread_is_open_to_colleagues_and_nobody_else() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, "3 bedrooms", user="ann", team="org:oak")
        events = await say(runner, "4 bedrooms", user="ben", team="org:oak")
        assert not of_type(events, "error")
        assert listing_of(await runner.state("t1")).beds == 4
        for user, team in (("eve", "org:elm"), ("eve", None), ("ben", None)):
            refused = await say(runner, "5 bedrooms", user=user, team=team)
            assert refused[0].type == "error"
        assert listing_of(await runner.state("t1")).beds == 4
        with pytest.raises(InvalidInputError):
            await runner.cancel_render("t1", "eve", team="org:elm")

        await say(runner, "3 bedrooms", thread="t2", user="ann")
        assert (await say(runner, "2 baths", thread="t2", user="ben", team="org:oak"))[
            0
        ].type == "error", "a thread begun without a team is its owner's alone"
        await say(runner, "2 baths", thread="t2", user="ann", team="org:oak")
        events = await say(runner, "3 baths", thread="t2", user="ben", team="org:oak")
        assert not of_type(events, "error"), "until its owner speaks for the team"
        assert (await runner.state("t2")).get("team") == "org:oak"
