"""What the bot needs from the settings, resolved once: URLs, limits, the webhook secret."""

from __future__ import annotations

import hashlib
import hmac

from pydantic import BaseModel, ConfigDict, SecretStr

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS, Settings

MB = 1024 * 1024
CLOUD_UPLOAD_LIMIT = 50 * MB
"""The Bot API refuses larger uploads with 413 (PTB does not check this itself)."""
LOCAL_UPLOAD_LIMIT = 2000 * MB
CLOUD_DOWNLOAD_LIMIT = 20 * MB
"""`getFile` on the public Bot API serves files up to 20 MB."""


def derive_webhook_secret(token: str) -> str:
    """A stable secret token from the bot token, so the bot and the web app agree on it without
    one more setting (Telegram allows 1-256 of A-Z, a-z, 0-9, _ and -)."""
    return hmac.new(token.encode(), b"telegram-webhook", hashlib.sha256).hexdigest()


class TelegramConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    token: SecretStr
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    local_mode: bool = False
    webhook_url: str | None = None
    webhook_secret: SecretStr
    album_wait_s: float = 1.5
    upload_limit: int = CLOUD_UPLOAD_LIMIT
    download_limit: int = CLOUD_DOWNLOAD_LIMIT
    progress_interval_s: float = 2.0
    """At most one progress edit per chat in this many seconds (Telegram's flood limits)."""
    public_base_url: str | None = None
    min_photos: int = MIN_PHOTOS
    """An album smaller than this waits for more photos before the assistant sees it."""
    max_photos: int = MAX_PHOTOS

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        if settings.telegram_bot_token is None:
            raise ConfigurationError(
                "The Telegram bot has no token.",
                hint="Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you.",
            )
        token = settings.telegram_bot_token.get_secret_value()
        secret = settings.telegram_webhook_secret or SecretStr(derive_webhook_secret(token))
        extra: dict[str, object] = {}
        if settings.telegram_api_base_url:
            base = settings.telegram_api_base_url.rstrip("/")
            extra = {"base_url": f"{base}/bot", "base_file_url": f"{base}/file/bot"}
        local = settings.telegram_local_mode
        return cls(
            token=settings.telegram_bot_token,
            local_mode=local,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=secret,
            album_wait_s=settings.telegram_album_wait_s,
            upload_limit=LOCAL_UPLOAD_LIMIT if local else CLOUD_UPLOAD_LIMIT,
            download_limit=LOCAL_UPLOAD_LIMIT if local else CLOUD_DOWNLOAD_LIMIT,
            public_base_url=settings.public_base_url,
            min_photos=settings.min_photos,
            max_photos=settings.max_photos,
            **extra,
        )
