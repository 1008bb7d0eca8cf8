"""Rate-limit windows in Redis, shared by every process of the web app.

A sorted set per key holds the event times of the window; one Lua script drops the old ones,
counts, and adds the new one atomically, so two processes cannot both take the last slot. The
calls are synchronous (as the in-process limiter's are) and cost one local round trip; a Redis
that does not answer fails the request with a 503 (`StorageError`) rather than letting it
through unlimited.
"""

from __future__ import annotations

import time
import uuid

import redis

from reelestate.core.errors import RateLimitedError, StorageError

_HIT = """
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]),
    tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return false
"""


class RedisRateLimiter:
    """At most `limit` events per `window_s` seconds for each key, across processes."""

    def __init__(self, client: redis.Redis, name: str, limit: int, window_s: float) -> None:
        self._client = client
        self._name = name
        self._limit = limit
        self.window_s = window_s
        self._script = client.register_script(_HIT)

    @property
    def limit(self) -> int:
        return self._limit

    def _key(self, key: str) -> str:
        return f"reelestate:limit:{self._name}:{key}"

    def hit(self, key: str, *, what: str = "attempts") -> None:
        try:
            wait = self._script(
                keys=[self._key(key)],
                args=[time.time(), self.window_s, self._limit, uuid.uuid4().hex],
            )
        except redis.RedisError as exc:
            raise StorageError(
                "The rate limit could not be checked.", hint="Try again in a moment."
            ) from exc
        if wait is not None:
            retry = max(1.0, float(wait))
            raise RateLimitedError(
                f"Too many {what}; wait {retry:.0f} s and try again.", retry_after=retry
            )

    def reset(self, key: str) -> None:
        try:
            self._client.delete(self._key(key))
        except redis.RedisError as exc:
            raise StorageError(
                "The rate limit could not be reset.", hint="Try again in a moment."
            ) from exc
