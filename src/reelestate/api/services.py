"""The app's long-lived clients, opened once at start-up and shared by every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reelestate.api.security.tokens import TokenIssuer
from reelestate.core.ratelimit import RENDER_WINDOW_S, RateLimiter
from reelestate.core.settings import Settings
from reelestate.providers.vision.base import PhotoAnalyser
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
    login_limiter: RateLimiter = field(init=False)
    render_limiter: RateLimiter = field(init=False)
    signup_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.login_limiter = RateLimiter(self.settings.login_attempts_per_window, LOGIN_WINDOW_S)
        self.render_limiter = RateLimiter(self.settings.renders_per_hour, RENDER_WINDOW_S)
        self.signup_limiter = RateLimiter(self.settings.signups_per_hour, RENDER_WINDOW_S)

    @property
    def accounts(self) -> AccountsRepository:
        return AccountsRepository(self.db)
