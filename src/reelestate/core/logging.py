"""Logging set-up that never writes a secret.

Two kinds of secret are kept out of every record:
- the configured ones (provider keys, the bot token, the JWT secret), by value;
- the ones that travel in requests, by their shape: access and refresh tokens (JWTs), API keys
  (`rs_...`), invitation tokens (`inv_...`), bearer credentials, and any query parameter named
  like a token, key, signature or password (`?token=`, `sig=`, `signature=`, `X-Amz-Signature=`).

The filter rewrites the message and each of its arguments separately, so formatters that read
`record.args` themselves (uvicorn's access log) keep working. It sits on the root handler and on
uvicorn's own loggers, which do not propagate.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from reelestate.core.settings import Settings, get_settings

_SECRET_FIELDS = (
    "openai_api_key",
    "elevenlabs_api_key",
    "fal_key",
    "telegram_bot_token",
    "telegram_webhook_secret",
    "jwt_secret",
    "admin_password",
    "blob_url_secret",
    "secrets_key",
    "meta_app_secret",
)
REDACTED = "***"
_SECRET_QUERY = re.compile(
    r"(?P<name>(?:^|[?&;\s])[\w.-]*?(?:token|signature|sig|key|password|passwd|secret|"
    r"credential|auth|code)=)[^&\s\"'#]+",
    re.IGNORECASE,
)
_SECRET_SHAPES = (
    (re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+"), REDACTED),  # a JWT
    (re.compile(r"\brs_[0-9a-f]{6,}\.[\w.-]+"), "rs_" + REDACTED),  # an API key
    (re.compile(r"\binv_[0-9a-f]{8,}\.[\w-]+"), "inv_" + REDACTED),  # an invitation token
    (re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]{8,}"), r"\1 " + REDACTED),
    (
        re.compile(r"(?i)(\"?(?:password|passwd|secret)\"?\s*[:=]\s*\"?)[^\s\",&}]+"),
        r"\1" + REDACTED,
    ),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+(@)"), r"\1" + REDACTED + r"\2"),  # URL password
)
LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "chainlit", "engineio", "socketio")
"""Loggers with handlers of their own (uvicorn's do not propagate to the root)."""


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with known secret values and anything shaped like a credential replaced."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    text = _SECRET_QUERY.sub(lambda m: m.group("name") + REDACTED, text)
    for shape, replacement in _SECRET_SHAPES:
        text = shape.sub(replacement, text)
    return text


class SecretRedactingFilter(logging.Filter):
    """Replaces secrets in log messages and in their arguments."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if len(s) >= 4)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg, self._secrets)
        if isinstance(record.args, tuple):
            record.args = tuple(self._arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            # The traceback is formatted later from the exception; its message is redacted here.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True

    def _arg(self, value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, self._secrets)
        if isinstance(value, bytes | int | float | bool) or value is None:
            return value
        text = str(value)
        redacted = redact(text, self._secrets)
        return redacted if redacted != text else value


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


def install_redaction(settings: Settings) -> None:
    """The filter on the root handlers and on the loggers that keep handlers of their own.
    Safe to call more than once (and again after uvicorn has configured its loggers)."""
    secret_filter = SecretRedactingFilter(secrets_of(settings))
    targets: list[logging.Filterer] = [*logging.getLogger().handlers]
    targets += [logging.getLogger(name) for name in LOGGERS]
    for target in targets:
        for old in [f for f in target.filters if isinstance(f, SecretRedactingFilter)]:
            target.removeFilter(old)
        target.addFilter(secret_filter)


def configure_logging(settings: Settings | None = None) -> None:
    """Install one stderr handler with secret redaction on the root logger."""
    settings = settings or get_settings()
    root = logging.getLogger()
    root.setLevel(settings.log_level.upper())
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    install_redaction(settings)
