"""The app's long-lived clients, opened once at start-up and shared by every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import redis
from starlette.requests import Request

from reelestate.api.ratelimits import RedisRateLimiter
from reelestate.api.security.client_address import Network, client_address, trusted_networks
from reelestate.api.security.tokens import TokenIssuer
from reelestate.core.ratelimit import RENDER_WINDOW_S, Limiter, RateLimiter
from reelestate.core.settings import Settings
from reelestate.core.sign_in_limits import SignInLimits
from reelestate.providers.mail.sender import Mailer
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.services.accounts import AccountFlows
from reelestate.services.billing import BillingService
from reelestate.storage.blobs import BlobStore
from reelestate.storage.db import Database
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.storage.repositories.sessions import SessionsRepository
from reelestate.workers.service import JobsService

LOGIN_WINDOW_S = 300.0
ADDRESS_FACTOR = 20
"""An address may try this many times more sign-ins across accounts than at one account."""


@dataclass
class AppServices:
    settings: Settings
    db: Database
    blobs: BlobStore
    jobs: JobsService
    tokens: TokenIssuer
    analyser: Callable[[], PhotoAnalyser]
    """Made on first use: the embedded analyser loads a model."""
    mailer: Mailer
    _redis: redis.Redis | None = field(init=False, default=None)
    trusted_proxies: tuple[Network, ...] = field(init=False, default=())
    login_limiter: Limiter = field(init=False)
    sign_in_limits: SignInLimits = field(init=False)
    render_limiter: Limiter = field(init=False)
    signup_limiter: Limiter = field(init=False)
    billing: BillingService = field(init=False)
    """Checkout and the portal (Stripe, or "billing is not configured" without its key)."""

    def __post_init__(self) -> None:
        self.billing = BillingService.from_settings(self.settings, self.db)
        self.login_limiter = self._limiter(
            "login", self.settings.login_attempts_per_window, LOGIN_WINDOW_S
        )
        self.sign_in_limits = SignInLimits(
            per_account=self.login_limiter,
            per_address=self._limiter(
                "login-address",
                self.settings.login_attempts_per_window * ADDRESS_FACTOR,
                LOGIN_WINDOW_S,
            ),
        )
        self.trusted_proxies = trusted_networks(self.settings.trusted_proxies)
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

    @property
    def sessions(self) -> SessionsRepository:
        return SessionsRepository(self.db)

    def flows(self, request: Request) -> AccountFlows:
        """Sign-up, reset and Google sign-in, with links pointing at the public URL (or, when
        none is set, at the address this request came to)."""
        base = self.settings.public_base_url or str(request.base_url)
        return AccountFlows(self.db, self.mailer, base, self.settings.signup_credits)

    def client(self, request: Request) -> str:
        """The caller's address for rate limits (forwarded headers from trusted proxies only)."""
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers, self.trusted_proxies)
