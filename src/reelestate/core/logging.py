"""Logging set-up that never writes a secret.

Any configured secret value is replaced by `***` in every record, so a key that slips into
an exception message or a URL still never reaches a log file.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from reelestate.core.settings import Settings, get_settings

_SECRET_FIELDS = (
    "openai_api_key",
    "elevenlabs_api_key",
    "fal_key",
    "telegram_bot_token",
    "telegram_webhook_secret",
    "jwt_secret",
    "secrets_key",
    "meta_app_secret",
)


class SecretRedactingFilter(logging.Filter):
    """Replaces known secret values in log messages."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            text = record.getMessage()
            redacted = text
            for secret in self._secrets:
                redacted = redacted.replace(secret, "***")
            if redacted != text:
                record.msg = redacted
                record.args = None
        return True


def secrets_of(settings: Settings) -> list[str]:
    """The secret values configured in `settings`."""
    values: list[str] = []
    for name in _SECRET_FIELDS:
        value = getattr(settings, name)
        if value is not None:
            secret = value.get_secret_value()
            values.append(secret)
            quoted = quote(secret, safe="")
            if quoted != secret:  # as it appears in URLs (a bot token's ':' becomes %3A)
                values.append(quoted)
    return values


def configure_logging(settings: Settings | None = None) -> None:
    """Install one stderr handler with secret redaction on the root logger."""
    settings = settings or get_settings()
    root = logging.getLogger()
    root.setLevel(settings.log_level.upper())
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactingFilter(secrets_of(settings)))
    root.handlers = [handler]
