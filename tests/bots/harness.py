"""A real bot (PTB application, channel, runner, accounts on SQLite) polling a fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelestate.agent.backends.base import RenderBackend
from reelestate.agent.runner import Runner
from reelestate.bots.telegram.app import TelegramBot, open_telegram_bot, run_polling
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.core.settings import Settings
from reelestate.providers.stt.base import Transcriber
from reelestate.storage import migrate
from reelestate.storage.blobs import LocalBlobStore
from reelestate.storage.db import Database, open_database
from reelestate.storage.models import Role
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository
from tests.agent.helpers import FileNameAnalyser
from tests.bots import updates
from tests.bots.fake_bot_api import TOKEN, FakeBotApi

ANN = 111
BEN = 222
STRANGER = 999


def linked_accounts(db: Database) -> TelegramLinksRepository:
    orgs = OrganisationsRepository(db)
    ctx = orgs.create("Oak Realty", "oak-realty")
    links = TelegramLinksRepository(db)
    for email, tg in (("ann@oak.example", ANN), ("ben@oak.example", BEN)):
        orgs.add_member(ctx, email, Role.MEMBER)
        links.link(ctx, email, tg)
    return links


@dataclass
class BotUnderTest:
    api: FakeBotApi
    bot: TelegramBot
    settings: Settings
    blobs: LocalBlobStore

    def send(self, update: dict[str, Any]) -> int:
        return self.api.push(update)

    def send_photos(
        self, user: int, photos: list[Path], *, group: str | None = None, as_files: bool = True
    ) -> None:
        for path in photos:
            hosted = self.api.host_file(path.read_bytes(), path.name)
            if as_files:
                self.send(updates.document(user, hosted, path.name, group))
            else:
                self.send(updates.photo(user, hosted, group))

    def texts(self, user: int) -> list[str]:
        return self.api.texts(user)

    async def wait_for_text(self, user: int, fragment: str, within_s: float = 120.0) -> str:
        found: list[str] = []

        def check() -> bool:
            found[:] = [t for t in self.texts(user) if fragment in t]
            return bool(found)

        await self.api.wait_for(check, within_s)
        return found[0]


@asynccontextmanager
async def bot_under_test(
    tmp_path: Path,
    renderer: RenderBackend | None = None,
    *,
    upload_limit: int | None = None,
    server_upload_limit: int = 50 * 1024 * 1024,
    album_wait_s: float = 0.4,
    public_url: str | None = "https://studio.example",
    transcriber: Transcriber | None = None,
    env: dict[str, Any] | None = None,
) -> AsyncIterator[BotUnderTest]:
    with FakeBotApi(upload_limit=server_upload_limit) as api:
        settings = Settings(
            REELESTATE_DATA_DIR=tmp_path / "data",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base,
            TELEGRAM_ALBUM_WAIT_S=album_wait_s,
            REELESTATE_PUBLIC_URL=public_url,
            **(env or {}),
        )
        migrate.upgrade(settings)
        db = open_database(settings)
        blobs = LocalBlobStore(tmp_path / "blobs", b"s" * 32)
        try:
            accounts = linked_accounts(db)
            async with (
                Runner.open(
                    settings,
                    analyser=FileNameAnalyser(),
                    renderer=renderer,
                    final_profile="preview",
                    default_length=12,
                ) as runner,
                open_telegram_bot(
                    settings,
                    runner=runner,
                    accounts=accounts,
                    db=db,
                    blobs=blobs,
                    calls=TelegramCalls(backoff_s=0.05),
                    transcriber=transcriber,
                ) as bot,
            ):
                if upload_limit is not None:
                    bot.channel.delivery.upload_limit = upload_limit
                stop = asyncio.Event()
                polling = asyncio.create_task(run_polling(bot, stop))
                try:
                    yield BotUnderTest(api, bot, settings, blobs)
                finally:
                    stop.set()
                    with contextlib.suppress(asyncio.CancelledError):
                        await polling
        finally:
            db.dispose()
