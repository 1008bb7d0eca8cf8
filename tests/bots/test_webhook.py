"""`/telegram/webhook` on a FastAPI app: secret token checked, updates queued, repeats dropped."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelestate.agent.runner import Runner
from reelestate.bots.telegram.app import open_telegram_bot, register_webhook
from reelestate.bots.telegram.config import TelegramConfig, derive_webhook_secret
from reelestate.bots.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, telegram_webhook_router
from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.db import open_database
from tests.agent.helpers import FileNameAnalyser, RecordingRenderer
from tests.bots import updates
from tests.bots.fake_bot_api import TOKEN, FakeBotApi
from tests.bots.harness import ANN, linked_accounts

SECRET = derive_webhook_secret(TOKEN)


def wait_until(check: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the update was not handled"
        time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, FakeBotApi]]:
    with FakeBotApi() as api:
        settings = Settings(
            REELESTATE_DATA_DIR=tmp_path / "data",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base,
            TELEGRAM_WEBHOOK_URL="https://studio.example/telegram/webhook",
        )
        migrate.upgrade(settings)
        db = open_database(settings)

        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            async with AsyncExitStack() as stack:
                runner = await stack.enter_async_context(
                    Runner.open(settings, analyser=FileNameAnalyser(), renderer=RecordingRenderer())
                )
                bot = await stack.enter_async_context(
                    open_telegram_bot(
                        settings, runner=runner, accounts=linked_accounts(db), polling=False
                    )
                )
                await register_webhook(bot)
                started["bot"] = bot.application
                yield

        started: dict[str, Any] = {}
        app = FastAPI(lifespan=lifespan)
        config = TelegramConfig.from_settings(settings)
        app.include_router(telegram_webhook_router(lambda: started.get("bot"), config))
        try:
            with TestClient(app) as client:
                yield client, api
        finally:
            db.dispose()


def test_webhook_is_registered_with_the_secret(served: tuple[TestClient, FakeBotApi]) -> None:
    _, api = served
    assert api.webhook["url"] == "https://studio.example/telegram/webhook"
    assert api.webhook["secret_token"] == SECRET


def test_good_secret_is_handled_bad_secret_is_refused(
    served: tuple[TestClient, FakeBotApi],
) -> None:
    client, api = served
    update = {"update_id": 42, **updates.text(ANN, "/help")}
    assert client.post(WEBHOOK_PATH, json=update).status_code == 403
    assert (
        client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "guess"}).status_code == 403
    )
    time.sleep(0.3)
    assert api.calls_of("sendMessage") == [], "a refused update is never processed"

    ok = client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert ok.status_code == 200
    again = client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert again.status_code == 200, "Telegram must not keep re-sending a repeat"
    wait_until(lambda: any("Commands:" in t for t in api.texts(ANN)))
    time.sleep(0.3)
    assert len([t for t in api.texts(ANN) if "Commands:" in t]) == 1


def test_a_body_that_is_no_update_is_a_400(served: tuple[TestClient, FakeBotApi]) -> None:
    client, _ = served
    bad = client.post(
        WEBHOOK_PATH,
        content=b"not json",
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400


def test_the_route_answers_503_until_the_bot_has_started() -> None:
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN)
    app = FastAPI()
    app.include_router(
        telegram_webhook_router(lambda: None, TelegramConfig.from_settings(settings))
    )
    client = TestClient(app)
    update = {"update_id": 1, **updates.text(ANN, "/help")}
    assert (
        client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET}).status_code == 503
    )
    assert client.post(WEBHOOK_PATH, json=update).status_code == 403
