"""One policy for Telegram API failures: retry, absorb, or give up with a typed error.

- 429 (`RetryAfter`): wait as told, then retry.
- Timeouts and network errors: a few retries with backoff.
- 413 arrives as a plain `NetworkError("Request Entity Too Large")` that looks transient; it is
  never retried: it becomes `UploadTooLargeError` so the caller can re-encode or send a link.
- 400 "message is not modified" (an edit to the same text) and "query is too old" (a button
  answered after a long render in the same chat) are absorbed; PTB drops the "Bad Request: "
  prefix and re-cases the rest, so texts are matched case-insensitively.
- Anything else (other 400s, 403 blocked by the user) is raised at once.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from enum import StrEnum
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

from reelestate.core.errors import ProviderError

_log = logging.getLogger(__name__)
T = TypeVar("T")


class Failure(StrEnum):
    RETRY_AFTER = "retry_after"
    TRANSIENT = "transient"
    NOT_MODIFIED = "not_modified"
    TOO_LARGE = "too_large"
    FATAL = "fatal"


class UploadTooLargeError(ProviderError):
    """Telegram refused an upload as too large (HTTP 413)."""

    code = "upload_too_large"


def classify(exc: BaseException) -> Failure:
    message = str(exc).lower()
    if isinstance(exc, RetryAfter):
        return Failure.RETRY_AFTER
    if isinstance(exc, BadRequest):
        if "message is not modified" in message or "query is too old" in message:
            return Failure.NOT_MODIFIED
        if "too large" in message or "too big" in message:
            return Failure.TOO_LARGE
        return Failure.FATAL
    if isinstance(exc, NetworkError):
        if "entity too large" in message or "413" in message:
            return Failure.TOO_LARGE
        return Failure.TRANSIENT
    if isinstance(exc, TimedOut):
        return Failure.TRANSIENT
    return Failure.FATAL


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds to wait; PTB 22 gives an int (with a deprecation warning) or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramCalls:
    """Runs Bot API calls under the policy above.

    `max_wait_s` caps a single flood-control wait so a chat is never stuck for minutes.
    """

    def __init__(
        self, *, attempts: int = 4, backoff_s: float = 0.5, max_wait_s: float = 60.0
    ) -> None:
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.flood_waits = 0

    async def __call__(self, make: Callable[[], Awaitable[T]], what: str) -> T | None:
        """The call's result; None when it was absorbed (an unchanged edit)."""
        for attempt in range(1, self.attempts + 1):
            try:
                return await make()
            except TelegramError as exc:
                failure = classify(exc)
                last = attempt == self.attempts
                if failure is Failure.NOT_MODIFIED:
                    return None
                if failure is Failure.TOO_LARGE:
                    raise UploadTooLargeError(
                        "Telegram refused the file as too large.",
                        hint="It is sent as a download link instead.",
                    ) from exc
                if failure is Failure.FATAL or last:
                    raise
                if failure is Failure.RETRY_AFTER:
                    assert isinstance(exc, RetryAfter)
                    self.flood_waits += 1
                    wait = min(retry_after_seconds(exc), self.max_wait_s)
                else:
                    wait = self.backoff_s * 2 ** (attempt - 1)
                _log.warning("%s failed (%s), retrying in %.1f s", what, failure.value, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")
