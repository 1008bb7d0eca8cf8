"""The web app carries the Telegram webhook when the bot has a token and a public URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.bots.telegram.config import derive_webhook_secret
from reelestate.bots.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from reelestate.core.settings import Settings
from reelestate.storage import migrate
from tests.agent.helpers import FileNameAnalyser
from tests.bots import updates
from tests.bots.fake_bot_api import TOKEN, FakeBotApi
from tests.bots.harness import ANN


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, FakeBotApi]]:
    with FakeBotApi() as api:
        settings = Settings(
            REELESTATE_DATA_DIR=tmp_path / "data",
            REELESTATE_JWT_SECRET="x" * 40,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base,
            TELEGRAM_WEBHOOK_URL="https://studio.example/telegram/webhook",
        )
        migrate.upgrade(settings)
        app = create_app(
            settings, AppOptions(chat=False, worker=False, analyser=FileNameAnalyser())
        )
        with TestClient(app) as client:
            yield client, api


def test_webhook_route_is_mounted_and_registered(served: tuple[TestClient, FakeBotApi]) -> None:
    client, api = served
    assert api.webhook["url"] == "https://studio.example/telegram/webhook"
    update = {"update_id": 7, **updates.text(ANN, "/help")}
    assert client.post(WEBHOOK_PATH, json=update).status_code == 403
    ok = client.post(
        WEBHOOK_PATH, json=update, headers={SECRET_HEADER: derive_webhook_secret(TOKEN)}
    )
    assert ok.status_code == 200


def test_no_webhook_route_without_a_bot(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path / "data", REELESTATE_JWT_SECRET="x" * 40)
    migrate.upgrade(settings)
    app = create_app(settings, AppOptions(chat=False, worker=False, analyser=FileNameAnalyser()))
    with TestClient(app) as client:
        assert client.post(WEBHOOK_PATH, json={}).status_code == 404
