"""The presenter and the facts card in a conversation with the rule-based brain: added from
the brand kit's photo (or asked for), its cost in the approval question, carried to the final
render only, removed; and a card on its own rendered for a platform and delivered as a video."""

from __future__ import annotations

import uuid
from pathlib import Path

from PIL import Image

from reelestate.agent.events import ApprovalRequest, RunnerEvent, VideoReady
from reelestate.agent.owner import RenderOwner
from reelestate.agent.rules.infographic import infographic_request
from reelestate.agent.runner import Runner
from reelestate.agent.state import PresenterChoiceRef, presenter_of
from reelestate.agent.summaries import presenter_cost_line
from reelestate.render.presenter_clips import PORTRAIT_NOTE
from reelestate.render.spec import PresenterSpec
from reelestate.storage.context import TenantContext
from tests.agent.helpers import (
    FACTS,
    RecordingRenderer,
    listing_photos,
    of_type,
    open_runner,
    say,
    texts,
)


def owner_with_photo() -> RenderOwner:
    ctx = TenantContext.local()
    return RenderOwner(ctx=ctx, presenter_photo=f"org/{ctx.org_id}/media/{uuid.uuid4().hex}.jpg")


async def send(runner: Runner, text: str, owner: RenderOwner | None) -> list[RunnerEvent]:
    return [e async for e in runner.send("t1", "ann", text, owner=owner)]


async def test_without_a_presenter_photo_one_is_asked_for() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        events = await send(runner, "add me as a presenter in the corner", None)
        assert "There is no presenter photo yet" in texts(events)
        assert "use this as my presenter photo" in texts(events)
        assert presenter_of(await runner.state("t1")) is None


async def test_the_presenter_goes_on_the_final_only_and_comes_off() -> None:
    renderer = RecordingRenderer()
    owner = owner_with_photo()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        events = await send(runner, "add me as a presenter in the corner", owner)
        said = texts(events)
        assert "you as a presenter in a corner" in said
        assert PORTRAIT_NOTE.removesuffix(".") in said, "the portrait default is said plainly"
        assert "I did not understand" not in said and "could not do that" not in said
        [question] = of_type(events, "approval_request")
        assert isinstance(question, ApprovalRequest)
        assert "portrait presenter (free, not lip-synced)" in question.text
        assert all(r.spec.presenter is None for r in renderer.requests), "previews: no presenter"

        await send(runner, "approve", owner)
        [final] = renderer.finals
        assert final.spec.presenter == PresenterSpec(
            photo=Path(str(owner.presenter_photo)), provider="portrait", layout="pip"
        )

        off = await send(runner, "remove the presenter", owner)
        assert "The presenter is off" in texts(off)
        assert presenter_of(await runner.state("t1")) is None


def test_a_lip_synced_presenter_is_priced_before_approval() -> None:
    ref = PresenterChoiceRef(photo="org/x/media/a.jpg", provider="did")
    line = presenter_cost_line(ref, 30.0)
    assert "D-ID" in line and "about $3.00" in line and "30.0 s of narration" in line
    assert presenter_cost_line(None, 30.0) == ""


def test_the_platform_decides_the_card_aspect() -> None:
    assert infographic_request("make an infographic for Instagram") == (
        "4:5",
        "the Instagram feed, 4:5",
    )
    assert infographic_request("make a facts card for instagram reels") == (
        "9:16",
        "Instagram Reels 9:16",
    )
    assert infographic_request("add a facts card at the end") is None, "a storyboard change"


async def test_a_card_for_instagram_is_delivered_like_a_video() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, FACTS)
        events = await say(runner, "make an infographic for Instagram")
        [ready] = of_type(events, "video_ready")
        assert isinstance(ready, VideoReady) and ready.kind == "infographic"
        result = ready.result
        assert result.video.suffix == ".mp4" and result.video.stat().st_size > 1000
        assert abs(result.height / result.width - 1.25) < 0.01, "Instagram feed: 4:5"
        with Image.open(result.thumbnail) as still:
            assert still.format == "PNG" and still.size == (result.width, result.height)
        assert "$529,000" in result.subtitles.read_text(encoding="utf-8")
        said = texts(events)
        assert "Your facts card for the Instagram feed, 4:5 is ready" in said
        assert "for reels" in said
