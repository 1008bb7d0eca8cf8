"""The bot's photo limits are the settings' (REELESTATE_MIN_PHOTOS, REELESTATE_MAX_PHOTOS)."""

from __future__ import annotations

from pydantic import SecretStr

from reelestate.bots.telegram.config import TelegramConfig
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS, Settings


def test_the_photo_limits_come_from_the_settings() -> None:
    settings = Settings(
        TELEGRAM_BOT_TOKEN=SecretStr("123:abc"), REELESTATE_MIN_PHOTOS=3, REELESTATE_MAX_PHOTOS=12
    )  # type: ignore[call-arg]
    config = TelegramConfig.from_settings(settings)
    assert (config.min_photos, config.max_photos) == (3, 12)
    default = TelegramConfig.from_settings(Settings(TELEGRAM_BOT_TOKEN=SecretStr("123:abc")))  # type: ignore[call-arg]
    assert (default.min_photos, default.max_photos) == (MIN_PHOTOS, MAX_PHOTOS)
