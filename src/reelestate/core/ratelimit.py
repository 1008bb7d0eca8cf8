"""Sliding-window rate limits (sign-in attempts, render requests).

`RateLimiter` keeps its windows in this process: the embedded product runs one process. With
`REDIS_URL` the web app keeps them in Redis instead (`api/ratelimits.py`), so every process of
`reelestate serve --workers N` counts against the same window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from reelestate.core.errors import RateLimitedError

RENDER_WINDOW_S = 3600.0
"""The window of the render limit (`REELESTATE_RENDER_LIMIT` renders per organisation)."""


class Limiter(Protocol):
    """At most `limit` events per window for each key; `hit` raises `RateLimitedError`."""

    @property
    def limit(self) -> int: ...

    def hit(self, key: str, *, what: str = "attempts") -> None: ...

    def reset(self, key: str) -> None: ...


class RateLimiter:
    """At most `limit` events per `window_s` seconds for each key."""

    def __init__(
        self, limit: int, window_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, *, what: str = "attempts") -> None:
        """Count one event for `key`; raises `RateLimitedError` when over the limit."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                retry = max(1.0, events[0] + self.window_s - now)
                raise RateLimitedError(
                    f"Too many {what}; wait {retry:.0f} s and try again.", retry_after=retry
                )
            events.append(now)
            if len(self._events) > 10_000:
                self._forget_idle(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window_s]:
            del self._events[key]
