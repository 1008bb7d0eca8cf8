"""Analytics in the bot: the chart arrives as a photo, the numbers as text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reelestate.storage.db import open_database
from reelestate.storage.models import Channel
from reelestate.storage.repositories.publications import NewPublication, PublicationsRepository
from tests.agent.helpers import RecordingRenderer
from tests.bots import updates
from tests.bots.harness import ANN, bot_under_test


async def test_how_did_my_listings_do_sends_the_chart_and_the_numbers(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        ann = t.bot.channel.accounts.account(ANN)
        assert ann is not None
        ctx = ann.context  # type: ignore[attr-defined]
        db = open_database(t.settings)
        try:
            posts = PublicationsRepository(db)
            post = posts.create(
                ctx,
                NewPublication(
                    channel=Channel.INSTAGRAM,
                    scheduled_at=datetime.now(UTC),
                    caption="",
                    title="12 Oak St",
                    video_key="k",
                ),
            )
            posts.published(ctx, post.id, "ig-1")
            posts.add_metrics(ctx, post.id, datetime.now(UTC), {"views": 321.0, "likes": 9.0})
        finally:
            db.dispose()
        t.send(updates.text(ANN, "how did my listings do this month?"))
        await t.wait_for_text(ANN, "321 views")
        [photo] = t.api.calls_of("sendPhoto", ANN)
        assert photo.files["photo"].startswith(b"\x89PNG")
        assert "12 Oak St did best with 321 views" in "\n".join(t.texts(ANN))
