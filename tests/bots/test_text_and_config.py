"""Pure pieces: message text, buttons within Telegram's limits, settings resolved for the bot."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from reelestate.agent.events import Question
from reelestate.bots.telegram import text as tx
from reelestate.bots.telegram.config import (
    CLOUD_UPLOAD_LIMIT,
    LOCAL_UPLOAD_LIMIT,
    TelegramConfig,
    derive_webhook_secret,
)
from reelestate.core.errors import ConfigurationError
from reelestate.core.logging import SecretRedactingFilter, secrets_of
from reelestate.core.settings import Settings


def test_markdown_is_escaped_and_progress_is_a_bar() -> None:
    assert tx.md("$529,000 (firm).") == "$529,000 \\(firm\\)\\."
    assert tx.progress_bar(50, width=10) == "█████░░░░░"
    assert tx.progress_bar(140, width=4) == "████"
    assert tx.progress_text("final", "frames", 42.4) == (
        "Final video: frames 42%\n" + "█" * 8 + "░" * 12 + "\nSend /cancel to stop it\\."
    )
    assert tx.progress_text("preview", "cancelled", 42.4) == (
        "Preview: cancelled 42%\n" + "█" * 8 + "░" * 12
    )
    assert tx.clip("x" * 5000).endswith("…") and len(tx.clip("x" * 5000)) == 4096


def test_buttons_fit_in_64_bytes() -> None:
    keyboard = tx.approval_keyboard(12345)
    data = [b.callback_data for row in keyboard.inline_keyboard for b in row]
    assert data[0] == "approve:12345" and "say:shorter" in data and "music" in data
    assert all(len(str(d).encode()) <= 64 for d in data)
    with pytest.raises(ValueError, match="64 bytes"):
        tx.callback("reply:" + "é" * 40)
    moods = [b.callback_data for row in tx.music_keyboard().inline_keyboard for b in row]
    assert moods == [f"mood:{m}" for m in tx.MUSIC_CHOICES]


def test_missing_facts_get_examples_not_buttons() -> None:
    asking = Question(
        text="I still need the price.", missing=["price"], suggested_replies=["$585,000"]
    )
    assert tx.question_keyboard(asking) is None
    assert "For example: $585,000" in tx.question_text(asking)
    choice = Question(text="Which one?", suggested_replies=["Kitchen first", "x" * 70])
    keyboard = tx.question_keyboard(choice)
    assert keyboard is not None
    assert [b.text for row in keyboard.inline_keyboard for b in row] == ["Kitchen first"]
    assert tx.question_keyboard(Question(text="Anything else?")) is None


def test_counts_are_explained() -> None:
    assert tx.too_few_text(1, 5) == "Got 1 photo. A video needs 5 to 40: send at least 4 more."
    assert "at most 40" in tx.too_many_text(45, 40, 40)
    assert "already has 40" in tx.too_many_text(3, 0, 40)


def test_config_for_a_local_bot_api_server() -> None:
    settings = Settings(
        TELEGRAM_BOT_TOKEN="123:ABC",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/",
        TELEGRAM_LOCAL_MODE=True,
    )
    config = TelegramConfig.from_settings(settings)
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.upload_limit == LOCAL_UPLOAD_LIMIT and config.local_mode
    assert config.webhook_secret.get_secret_value() == derive_webhook_secret("123:ABC")


def test_config_defaults_and_an_explicit_secret() -> None:
    settings = Settings(TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_WEBHOOK_SECRET="s3cret-token")
    config = TelegramConfig.from_settings(settings)
    assert config.base_url == "https://api.telegram.org/bot"
    assert config.upload_limit == CLOUD_UPLOAD_LIMIT
    assert config.webhook_secret == SecretStr("s3cret-token")
    with pytest.raises(ConfigurationError, match="no token"):
        TelegramConfig.from_settings(Settings())


def test_the_token_is_redacted_also_when_percent_encoded() -> None:
    secrets = secrets_of(Settings(TELEGRAM_BOT_TOKEN="123:ABCDEF"))
    assert "123%3AABCDEF" in secrets
    record = logging.LogRecord(
        "x", logging.INFO, "", 0, "GET /file/bot123%3AABCDEF/a.jpg", None, None
    )
    SecretRedactingFilter(secrets).filter(record)
    assert record.getMessage() == "GET /file/bot***/a.jpg"
