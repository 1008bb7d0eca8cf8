"""A render approved with too few credits: the approval states the price and the balance after,
nothing is rendered or charged, the "Buy credits" link is shown in every channel; after the
purchase (a signed Stripe webhook) the same conversation approves again and renders."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from reelestate.agent.backends.queued import open_queued_backend
from reelestate.agent.events import ApprovalRequest, RunnerEvent
from reelestate.agent.owner import RenderOwner
from reelestate.agent.runner import Runner
from reelestate.bots.telegram.text import approval_keyboard, approval_text
from reelestate.chat_ui.present import approval_actions, approval_markdown
from reelestate.core.settings import Settings
from reelestate.providers.billing.catalogue import builtin_catalogue
from reelestate.providers.billing.webhook import verified_event
from reelestate.services.billing_events import WebhookEvents
from reelestate.storage import migrate
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.workers.service import open_env
from tests.agent.helpers import FACTS, FileNameAnalyser, listing_photos, of_type, texts
from tests.storage.factories import new_org
from tests.support.fake_stripe import FakeStripe, sign

FAKE_ENGINE = "tests.workers.fake_engine:render_video"
WHSEC = "whsec_chat"


def last_approval(events: list[RunnerEvent]) -> ApprovalRequest:
    found = of_type(events, "approval_request")
    assert found, texts(events)
    approval = found[-1]
    assert isinstance(approval, ApprovalRequest)
    return approval


async def test_short_of_credits_then_bought_then_approved(tmp_path: Path) -> None:
    with FakeStripe() as fake:
        settings = Settings(  # type: ignore[call-arg]
            REELESTATE_DATA_DIR=tmp_path,
            REELESTATE_RENDER_ENGINE=FAKE_ENGINE,
            STRIPE_SECRET_KEY=fake.secret_key,
            STRIPE_API_BASE=fake.base,
            STRIPE_WEBHOOK_SECRET=WHSEC,
        )
        migrate.upgrade(settings)
        env = open_env(settings)
        ctx = new_org(env.db, credits=4)
        owner = RenderOwner(ctx=ctx)  # as the web chat and the bot give each turn
        thread = f"buy-{uuid.uuid4().hex[:6]}"
        try:
            async with (
                open_queued_backend(settings, ctx) as backend,
                Runner.open(settings, analyser=FileNameAnalyser(), renderer=backend,
                            final_profile="preview", auto_preview=False, default_length=12,
                            db=env.db) as runner,
            ):  # fmt: skip
                events = [
                    e
                    async for e in runner.send(thread, "ann", FACTS, listing_photos(), owner=owner)
                ]
                asked = last_approval(events)
                assert (asked.price_credits, asked.balance_after, asked.credits_short) == (
                    10,
                    -6,
                    True,
                )
                assert "It costs 10 credits, but you have 4" in asked.text
                assert asked.buy_credits_url and asked.buy_credits_url.startswith(
                    "https://checkout."
                )

                # Approved anyway: nothing stored, queued, reserved or rendered.
                events = [e async for e in runner.approve(thread, "ann", owner=owner)]
                assert "Not enough credits for the final render" in texts(events)
                assert not of_type(events, "video_ready")
                again = last_approval(events)
                assert (
                    again.version == asked.version
                    and again.buy_credits_url == asked.buy_credits_url
                )
                assert CreditsRepository(env.db).balance(ctx).available == 4
                assert JobsRepository(env.db).recent(ctx, limit=10) == []

                # Every channel shows the way to pay.
                assert "[Buy credits](https://checkout." in approval_markdown(again)
                assert approval_actions(again)[0].label == "Buy credits"
                assert (
                    approval_keyboard(again.version, again.buy_credits_url)
                    .inline_keyboard[0][0]
                    .url
                    == again.buy_credits_url
                )
                assert "Buy credits: https" in approval_text(again)

                # Paid: Stripe's signed checkout.session.completed grants the pack.
                session_id = asked.buy_credits_url.rsplit("/", 1)[-1]
                assert fake.sessions[session_id]["metadata"]["pack"] == "pack-50"
                body = json.dumps(fake.completed_event(session_id)).encode()
                event = verified_event(body, sign(body, WHSEC), WHSEC)
                assert WebhookEvents(env.db, builtin_catalogue()).apply(event).credits == 50

                # Approve again in the same conversation: the storyboard was kept.
                events = [e async for e in runner.approve(thread, "ann", owner=owner)]
                videos = of_type(events, "video_ready")
                assert len(videos) == 1 and videos[0].version == asked.version  # type: ignore[union-attr]
                assert CreditsRepository(env.db).balance(ctx).available == 4 + 50 - 10
        finally:
            env.close()


async def test_enough_credits_states_price_and_balance_after(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path, REELESTATE_RENDER_ENGINE=FAKE_ENGINE)  # type: ignore[call-arg]
    migrate.upgrade(settings)
    env = open_env(settings)
    ctx = new_org(env.db, credits=30)
    try:
        async with (
            open_queued_backend(settings, ctx) as backend,
            Runner.open(settings, analyser=FileNameAnalyser(), renderer=backend,
                        auto_preview=False, default_length=12, db=env.db) as runner,
        ):  # fmt: skip
            events = [e async for e in runner.send("enough", "ann", FACTS, listing_photos())]
            asked = last_approval(events)
            assert (asked.price_credits, asked.balance_after, asked.credits_short) == (
                10,
                20,
                False,
            )
            assert "It costs 10 credits; your balance after it will be 20 credits." in asked.text
            assert asked.buy_credits_url is None
            assert approval_actions(asked)[0].label == "Approve"
    finally:
        env.close()
