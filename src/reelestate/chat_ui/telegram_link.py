"""Linking Telegram from the web chat: a one-time code and the bot's `t.me` link.

The person opens `https://t.me/<bot>?start=<code>` (or sends `/start <code>` to the bot); the
bot redeems the code (15 minutes, once) and from then on speaks for this person. The bot's
username comes from Telegram's `getMe`, asked once per process.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Bot
from telegram.error import TelegramError

from reelestate.core.settings import Settings
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository

log = logging.getLogger(__name__)
LINK_WORDS = re.compile(r"\b(link|connect)\b.*\btelegram\b", re.IGNORECASE)
UNLINK_WORDS = re.compile(r"\b(unlink|disconnect)\b.*\btelegram\b", re.IGNORECASE)
_usernames: dict[str, str] = {}


async def bot_username(settings: Settings) -> str | None:
    """The bot's @username (without @), or None without a bot token or when Telegram does not
    answer."""
    if settings.telegram_bot_token is None:
        return None
    token = settings.telegram_bot_token.get_secret_value()
    if token in _usernames:
        return _usernames[token]
    base = (settings.telegram_api_base_url or "https://api.telegram.org").rstrip("/")
    bot = Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as exc:
        log.warning("could not ask Telegram for the bot's name: %s", type(exc).__name__)
        return None
    if me.username:
        _usernames[token] = me.username
    return me.username


async def link_message(settings: Settings, db: Database, ctx: TenantContext) -> str:
    code = await asyncio.to_thread(TelegramLinksRepository(db).issue_code, ctx)
    username = await bot_username(settings)
    if username is None:
        return (
            f"Your Telegram code is **{code}**: send `/start {code}` to our bot within "
            "15 minutes. It works once."
        )
    url = f"https://t.me/{username}?start={code}"
    return (
        f"Open [{url}]({url}) on your phone and press **Start**, or send `/start {code}` "
        f"to @{username}. The code works once, within 15 minutes."
    )


async def unlink_message(db: Database, ctx: TenantContext) -> str:
    gone = await asyncio.to_thread(TelegramLinksRepository(db).unlink, ctx)
    if gone:
        return "Telegram is unlinked: the bot no longer speaks for you."
    return "No Telegram account is linked to you here."
