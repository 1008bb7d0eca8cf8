"""Scripted conversations with the rule-based brain, end to end through the runner.

The photo analyser reads rooms from file names and the renderer records what it is asked to
render (both at the agent's own interfaces); the graph, tools, storyboard and the SQLite
checkpointer are the real ones. A real render runs in test_chat_cli.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.agent.events import ApprovalRequest, Question, StoryboardReady, VideoReady
from reelestate.agent.runner import Runner
from reelestate.agent.state import listing_of, script_of
from reelestate.core.errors import RenderError
from reelestate.render.timeline import total_seconds
from reelestate.tools.storyboard import to_render_spec
from tests.agent.helpers import (
    FACTS,
    RecordingRenderer,
    listing_photos,
    of_type,
    open_runner,
    say,
    texts,
)


async def assert_final_matches_last_version(runner: Runner, renderer: RecordingRenderer) -> None:
    state = await runner.state("t1")
    history = await runner.storyboard("t1")
    script = script_of(state)
    assert history is not None and script is not None
    expected = to_render_spec(history.current, listing_of(state), script, profile="preview")
    final = renderer.finals[-1].spec
    # The voice may move cuts (its sentences start with their scenes); never the length.
    keep = {"photo", "caption", "motion", "focal_point", "overlay"}
    assert [s.model_dump(include=keep) for s in final.scenes] == [
        s.model_dump(include=keep) for s in expected.scenes
    ]
    assert total_seconds(final) == pytest.approx(total_seconds(expected), abs=1 / 30)
    assert final.facts == expected.facts
    assert final.aspect == expected.aspect


async def test_details_in_one_message_then_approve_renders_the_final() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        first = await say(runner, "", listing_photos())
        question = of_type(first, "question")
        assert isinstance(question[0], Question)
        assert "address" in question[0].missing and "price" in question[0].missing

        events = await say(runner, FACTS)
        ready = of_type(events, "storyboard_ready")
        assert isinstance(ready[0], StoryboardReady)
        assert ready[0].version == 1 and ready[0].preview_video is not None
        assert ready[0].storyboard_file.is_file()
        approval = events[-1]
        assert isinstance(approval, ApprovalRequest) and approval.version == 1
        assert not renderer.finals, "nothing billable before approval"
        assert [r.kind for r in renderer.requests] == ["preview"]
        assert renderer.requests[0].spec.profile == "preview"

        done = await say(runner, "/approve")
        video = of_type(done, "video_ready")
        assert isinstance(video[0], VideoReady) and video[0].result.video.is_absolute()
        assert len(renderer.finals) == 1
        await assert_final_matches_last_version(runner, renderer)
        listing = listing_of(await runner.state("t1"))
        assert listing.price == 529_000 and listing.beds == 3 and listing.baths == 2
        assert listing.area_sqft == 1826 and listing.address == "12 Oak St"
        assert listing.highlights == ("new roof",)


async def test_facts_spread_over_five_messages_with_photos_last() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        for line, missing_after in [
            ("3 bedrooms", "price"),
            ("2 baths", "price"),
            ("asking $529k", "address"),
            ("1826 sqft", "address"),
            ("12 Oak St, Paso Robles CA", None),
        ]:
            events = await say(runner, line)
            questions = [e for e in events if isinstance(e, Question)]
            assert questions, line
            if missing_after:
                assert missing_after in questions[0].missing
            else:
                assert questions[0].missing == ["photos"]
        events = await say(runner, "", listing_photos())
        assert isinstance(events[-1], ApprovalRequest)


async def test_a_correction_after_the_storyboard_makes_a_new_version() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        events = await say(runner, "sorry, the price is $549,000 not $529,000")
        assert isinstance(events[-1], ApprovalRequest) and events[-1].version == 2
        await say(runner, "/approve")
        assert renderer.finals[-1].spec.facts is not None
        assert renderer.finals[-1].spec.facts.price == 549_000


async def test_revisions_of_every_kind_undo_and_three_versions() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        for phrase in [
            "swap the kitchen and the bedroom",
            "put the kitchen first",
            "remove photo 6",
        ]:
            events = await say(runner, phrase)
            assert isinstance(events[-1], ApprovalRequest), texts(events)
        history = await runner.storyboard("t1")
        assert history is not None and history.current.number == 4
        assert [v.reason for v in history.versions[1:]] == [
            "swap scenes 2 and 3",
            "move scene 3 to 1",
            "remove scene 6",
        ]
        assert history.current.scenes[0].room == "kitchen"
        assert len(history.current.scenes) == 5

        for phrase, check in [
            ("make it 20 seconds", lambda v: abs(v.total_seconds - 20) < 1.5),
            ("slower", lambda v: v.total_seconds > 21),
            ("calmer music", lambda v: v.settings.music_mood == "calm"),
            ("female voice", lambda v: v.settings.voice == "en-us+f3"),
            ("square for Instagram", lambda v: v.settings.aspect == "1:1"),
            ("make it cozy", lambda v: v.settings.style == "cozy"),
            (
                "change the caption on the bathroom to Spa bath",
                lambda v: any(s.caption == "Spa bath" for s in v.scenes),
            ),
            ("zoom out on the kitchen", lambda v: v.scenes[0].motion.kind == "zoom_out"),
        ]:
            await say(runner, phrase)
            history = await runner.storyboard("t1")
            assert history is not None and check(history.current), phrase

        number = history.current.number
        await say(runner, "no music")
        state = await runner.state("t1")
        assert state.get("music_on") is False

        await say(runner, "undo")
        history = await runner.storyboard("t1")
        assert history is not None
        assert history.current.number == number + 1
        assert history.current.same_content(history.version(number - 1))

        events = await say(runner, "go back to version 2")
        history = await runner.storyboard("t1")
        assert history is not None and history.current.same_content(history.version(2))
        assert "revert to v2" in texts(events)

        await say(runner, "approve")
        await assert_final_matches_last_version(runner, renderer)
        assert renderer.finals[-1].spec.music is None


async def test_reject_then_approve_and_nothing_renders_until_yes() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        events = await say(runner, "not yet")
        assert "nothing is rendered" in texts(events)
        assert isinstance(events[-1], ApprovalRequest)
        assert not renderer.finals
        events = await say(runner, "looks good")
        assert of_type(events, "video_ready")
        assert len(renderer.finals) == 1
        events = await say(runner, "approve")
        assert "already rendered" in texts(events)
        assert len(renderer.finals) == 1


async def test_restart_mid_approval_resumes_where_it_stopped() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        await say(runner, "swap 2 and 3")
    async with open_runner(renderer) as fresh:
        pending = await fresh.pending_approval("t1")
        assert pending is not None and pending.version == 2
        events = [e async for e in fresh.approve("t1", "ann")]
        assert of_type(events, "video_ready")
        assert renderer.finals[-1].spec.scenes[1].photo.name.endswith("bedroom.jpg")


async def test_not_understood_and_bad_input_are_said_plainly(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        events = await say(runner, "what a lovely day")
        assert "I did not understand" in texts(events)
        notes = tmp_path / "notes.txt"
        notes.write_text("hi")
        events = await say(runner, "", [notes, tmp_path / "missing.jpg"])
        errors = of_type(events, "error")
        assert len(errors) == 2
        await say(runner, FACTS, listing_photos())
        events = await say(runner, "put the garage first")
        assert "no scene is labelled 'garage'" in texts(events)
        events = await say(runner, "swap 1 and 9")
        assert "there is no scene 9" in texts(events)


async def test_a_thread_belongs_to_its_user() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, "3 bedrooms", user="ann")
        events = await say(runner, "4 bedrooms", user="mallory")
        assert events[0].type == "error"
        assert listing_of(await runner.state("t1")).beds == 3
        bad = await say(runner, "hi", thread="../etc")
        assert bad[0].type == "error"


async def test_a_failed_final_render_says_so_and_can_be_retried() -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        renderer.fail_with = RenderError("The encoder stopped.", hint="Try again.")
        events = await say(runner, "/approve")
        assert of_type(events, "error")[0].message == "The encoder stopped."  # type: ignore[union-attr]
        state = await runner.state("t1")
        assert state.get("delivered_version") is None
        renderer.fail_with = None
        events = await say(runner, "try again")
        assert isinstance(events[-1], ApprovalRequest)
        events = await say(runner, "/approve")
        assert of_type(events, "video_ready")


@pytest.mark.parametrize("text", ["help", "show versions", "status"])
async def test_commands_answer_without_changing_the_storyboard(text: str) -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, FACTS, listing_photos())
        events = await say(runner, text)
        history = await runner.storyboard("t1")
        assert history is not None and history.current.number == 1
        assert texts(events)
