"""Telegram self-link: the web chat's "link Telegram" answer (a one-time code and the bot's
`t.me` link, its username from `getMe`), then `/start <code>` to the bot against the fake Bot
API; an expired and a used code are refused, and unlinking from the chat's side works."""

from __future__ import annotations

import re
from datetime import timedelta

from reelestate.chat_ui.telegram_link import link_message, unlink_message
from reelestate.storage.models import utcnow
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository
from tests.agent.helpers import RecordingRenderer
from tests.bots import updates
from tests.bots.harness import ANN, STRANGER, bot_under_test


async def test_code_from_the_web_chat_links_telegram_once(tmp_path: object) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:  # type: ignore[arg-type]
        accounts = t.bot.channel.accounts
        assert isinstance(accounts, TelegramLinksRepository)
        ann = accounts.account(ANN)
        assert ann is not None
        db = accounts._db
        text = await link_message(t.settings, db, ann.context)
        found = re.search(r"https://t\.me/reelestate_test_bot\?start=([A-Z0-9]+)", text)
        assert found, text
        code = found[1]
        assert t.api.calls_of("getMe")

        expired = accounts.issue_code(ann.context, now=utcnow() - timedelta(minutes=16))
        t.send(updates.text(STRANGER, f"/start {expired}"))
        await t.wait_for_text(STRANGER, "unknown or has expired")
        assert accounts.account(STRANGER) is None

        t.send(updates.text(STRANGER, f"/start {code}"))
        await t.wait_for_text(STRANGER, "Linked to ann@oak\\.example")
        linked = accounts.account(STRANGER)
        assert linked is not None and linked.user_id == ann.user_id

        t.send(updates.text(STRANGER + 1, f"/start {code}"))
        await t.wait_for_text(STRANGER + 1, "unknown or has expired")
        assert accounts.account(STRANGER + 1) is None

        assert "unlinked" in await unlink_message(db, linked.context)
        assert accounts.account(STRANGER) is None
