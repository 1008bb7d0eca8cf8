"""The bot assembled: PTB application, channel, runner and accounts, for polling or webhook.

async with open_telegram_bot(settings) as bot:
    await run_polling(bot, stop)          # `reelestate bot`, the embedded default
# or, inside the web app: `telegram_webhook_router(bot.application, bot.config)`
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from reelestate.agent.backends.base import RenderBackend
from reelestate.agent.runner import Runner
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.channel import Accounts, PresenterPhotos, TelegramChannel
from reelestate.bots.telegram.chats import ChatLocks, PerChatUpdateProcessor
from reelestate.bots.telegram.config import TelegramConfig
from reelestate.bots.telegram.delivery import VideoDelivery
from reelestate.core.settings import Settings, get_settings
from reelestate.providers.stt.base import Transcriber
from reelestate.providers.stt.factory import open_transcriber
from reelestate.services.presenter_photo import find_presenter_photo, set_presenter_photo
from reelestate.storage.blobs import BlobStore, open_blob_store
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, open_database
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository

_log = logging.getLogger(__name__)
POLL_TIMEOUT_S = 25


@dataclass
class TelegramBot:
    application: Application  # type: ignore[type-arg]
    channel: TelegramChannel
    config: TelegramConfig
    processor: PerChatUpdateProcessor


def build_application(
    config: TelegramConfig, processor: PerChatUpdateProcessor, *, polling: bool
) -> Application:  # type: ignore[type-arg]
    """A PTB application talking to `config.base_url` through the real HTTPXRequest."""
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder()
        .token(config.token.get_secret_value())
        .base_url(config.base_url)
        .base_file_url(config.base_file_url)
        .local_mode(config.local_mode)
        .request(
            HTTPXRequest(
                connection_pool_size=16,
                read_timeout=30,
                write_timeout=60,
                media_write_timeout=300,
            )
        )
        .concurrent_updates(processor)
    )
    if polling:
        builder = builder.get_updates_request(
            HTTPXRequest(connection_pool_size=2, read_timeout=POLL_TIMEOUT_S + 10)
        )
    else:
        builder = builder.updater(None)
    return builder.build()


@asynccontextmanager
async def open_telegram_bot(
    settings: Settings | None = None,
    *,
    runner: Runner | None = None,
    accounts: Accounts | None = None,
    blobs: BlobStore | None = None,
    polling: bool = True,
    calls: TelegramCalls | None = None,
    trial: bool = False,
    transcriber: Transcriber | None = None,
    renderer: RenderBackend | None = None,
    db: Database | None = None,
) -> AsyncIterator[TelegramBot]:
    """A started bot (its application initialised and processing updates) until exit.

    `trial` renders final videos at preview size and 12 s long, for trying the bot out.
    `transcriber` hears voice messages; by default the settings' one (none without an
    OpenAI-compatible server, and then the bot asks for typed text).
    `renderer` renders for the runner the bot opens (without `runner`); the web app passes its
    job queue, which bills the organisation of the linked person who asked. Without one the
    bot renders in this process (`reelestate bot` on a laptop).
    `db`: the app's database (the web app's), for the linked accounts and the storyboards;
    without one the bot opens its own.
    """
    settings = settings or get_settings()
    config = TelegramConfig.from_settings(settings)
    async with AsyncExitStack() as stack:
        if runner is None:
            options: dict[str, Any] = (
                {"final_profile": "preview", "default_length": 12.0} if trial else {}
            )
            runner = await stack.enter_async_context(
                Runner.open(settings, renderer=renderer, db=db, **options)
            )
        if accounts is None:
            if db is None:
                db = open_database(settings)
                stack.callback(db.dispose)
            accounts = TelegramLinksRepository(db)
        work_dir = settings.data_dir.resolve() / "telegram"
        blobs = blobs if blobs is not None else open_blob_store(settings)
        delivery = VideoDelivery(
            upload_limit=config.upload_limit,
            blobs=blobs,
            public_base_url=config.public_base_url,
            work_dir=work_dir / "outgoing",
        )
        locks = ChatLocks()
        processor = PerChatUpdateProcessor(locks)
        application = build_application(config, processor, polling=polling)
        channel = TelegramChannel(
            runner,
            accounts,
            config,
            delivery=delivery,
            work_dir=work_dir,
            locks=locks,
            calls=calls,
            transcriber=transcriber if transcriber is not None else open_transcriber(settings),
            presenter_photos=None if db is None else _presenter_photos(db, blobs),
            presenter_key=None if db is None else partial(find_presenter_photo, db),
        )
        channel.install(application)
        async with application:
            await application.start()
            try:
                yield TelegramBot(application, channel, config, processor)
            finally:
                await channel.close()
                await application.stop()


async def register_webhook(bot: TelegramBot) -> None:
    """Tell Telegram to deliver updates to `TELEGRAM_WEBHOOK_URL` with the secret token."""
    url = bot.config.webhook_url
    if not url:
        raise ValueError("no webhook URL configured")
    await bot.application.bot.set_webhook(
        url,
        secret_token=bot.config.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
    )


async def run_polling(bot: TelegramBot, stop: asyncio.Event) -> None:
    """Long polling until `stop` is set (drops a webhook left from another set-up)."""
    updater = bot.application.updater
    assert updater is not None, "build the application with polling=True"
    await updater.start_polling(timeout=POLL_TIMEOUT_S, allowed_updates=Update.ALL_TYPES)
    me = bot.application.bot
    _log.info("bot @%s polling %s", me.username, bot.config.base_url.split("/bot")[0])
    try:
        await stop.wait()
    finally:
        await updater.stop()


def _presenter_photos(db: Database, blobs: BlobStore) -> PresenterPhotos:
    """A presenter photo sent to the bot kept in the organisation's brand kit."""

    def keep(ctx: TenantContext, path: Path, name: str) -> str:
        return set_presenter_photo(db, blobs, ctx, path, name=name)

    return keep
