"""One retry policy for every provider call, so no client library's own habits decide for us.

Client libraries differ (fal retries a hung request for twenty minutes but never a 500;
ElevenLabs' plain `convert` never retries): each real provider turns off or bounds its
library's retries and wraps the call in `retry_async`/`retry_sync` with a `RetryPolicy`.
Only errors that say they are retryable (`ProviderError.retryable`) are tried again.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import ProviderError

T = TypeVar("T")


class RetryPolicy(BaseModel):
    """How often and how patiently a provider call is tried."""

    model_config = ConfigDict(frozen=True)

    attempts: int = Field(default=3, ge=1, le=10)
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(default=20.0, ge=0)
    jitter: float = Field(default=0.2, ge=0, le=1)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt `attempt` (1, 2, ...); a server's hint wins."""
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.max_delay_s))
        base = min(self.base_delay_s * 2 ** (attempt - 1), self.max_delay_s)
        return float(base * (1 + self.jitter * (2 * random.random() - 1)))  # noqa: S311


def retry_after_of(error: BaseException) -> float | None:
    """The wait a server asked for, when the error carries one (a 429's `Retry-After`)."""
    value = getattr(error, "retry_after", None)
    return float(value) if isinstance(value, int | float) else None


def _should_retry(error: BaseException, attempt: int, policy: RetryPolicy) -> bool:
    return isinstance(error, ProviderError) and error.retryable and attempt < policy.attempts


async def retry_async(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[int, ProviderError], None] | None = None,
) -> T:
    """Await `call()` until it succeeds, raises a non-retryable error, or attempts run out."""
    attempt = 1
    while True:
        try:
            return await call()
        except ProviderError as error:
            if not _should_retry(error, attempt, policy):
                raise
            if on_retry is not None:
                on_retry(attempt, error)
            await asyncio.sleep(policy.delay(attempt, retry_after_of(error)))
            attempt += 1


def retry_sync(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[int, ProviderError], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`retry_async` for blocking calls."""
    attempt = 1
    while True:
        try:
            return call()
        except ProviderError as error:
            if not _should_retry(error, attempt, policy):
                raise
            if on_retry is not None:
                on_retry(attempt, error)
            sleep(policy.delay(attempt, retry_after_of(error)))
            attempt += 1
