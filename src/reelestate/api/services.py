"""The app's long-lived clients, opened once at start-up and shared by every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from reelestate.api.ratelimits import RedisRateLimiter
from reelestate.api.security.tokens import TokenIssuer
from reelestate.core.ratelimit import RENDER_WINDOW_S, Limiter, RateLimiter
from reelestate.core.settings import Settings
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.services.billing import BillingService
from reelestate.storage.blobs import BlobStore
from reelestate.storage.db import Database
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.workers.service import JobsService

LOGIN_WINDOW_S = 300.0


@dataclass
class AppServices:
    settings: Settings
    db: Database
    blobs: BlobStore
    jobs: JobsService
    tokens: TokenIssuer
    analyser: Callable[[], PhotoAnalyser]
    """Made on first use: the embedded analyser loads a model."""
    _redis: redis.Redis | None = field(init=False, default=None)
    login_limiter: Limiter = field(init=False)
    render_limiter: Limiter = field(init=False)
    signup_limiter: Limiter = field(init=False)
    billing: BillingService = field(init=False)
    """Checkout and the portal (Stripe, or "billing is not configured" without its key)."""

    def __post_init__(self) -> None:
        self.billing = BillingService.from_settings(self.settings, self.db)
        self.login_limiter = self._limiter(
            "login", self.settings.login_attempts_per_window, LOGIN_WINDOW_S
        )
        self.render_limiter = self._limiter(
            "render", self.settings.renders_per_hour, RENDER_WINDOW_S
        )
        self.signup_limiter = self._limiter(
            "signup", self.settings.signups_per_hour, RENDER_WINDOW_S
        )

    def _limiter(self, name: str, limit: int, window_s: float) -> Limiter:
        """In Redis when there is one (several processes share the window), else in memory."""
        if self.settings.redis_url:
            if self._redis is None:
                self._redis = redis.Redis.from_url(
                    self.settings.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0
                )
            return RedisRateLimiter(self._redis, name, limit, window_s)
        return RateLimiter(limit, window_s)

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()

    @property
    def accounts(self) -> AccountsRepository:
        return AccountsRepository(self.db)
