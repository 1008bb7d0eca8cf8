"""What the chat needs from the running app, handed over once at start-up.

Chainlit loads the chat module by file path and calls its callbacks with no arguments of ours,
so the app puts its services here (`configure`) before the first connection.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from reelestate.agent.runner import Runner
from reelestate.core.errors import ConfigurationError
from reelestate.core.ratelimit import Limiter
from reelestate.core.settings import Settings
from reelestate.core.sign_in_limits import SignInLimits
from reelestate.storage.blobs import BlobStore
from reelestate.storage.db import Database
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.workers.service import JobsService


@dataclass
class ChatServices:
    settings: Settings
    runner: Runner
    jobs: JobsService
    db: Database
    blobs: BlobStore
    accounts: AccountsRepository
    login_limiter: Limiter
    sign_in_limits: SignInLimits
    history_url: str
    """The async SQLAlchemy URL of the chat history (the app's own database)."""


_services: ChatServices | None = None
client_address: ContextVar[str] = ContextVar("chat_client_address", default="unknown")
"""The address of the request being served (set by the web app for the chat's routes), so the
sign-in callback, which Chainlit calls with the form fields only, can key its limits by it."""
sign_in_refusal: ContextVar[list[str] | None] = ContextVar("chat_sign_in_refusal", default=None)
"""Where the sign-in callback leaves a rate limit's message: Chainlit turns any answer of the
callback but a user into "wrong credentials", so the web app rewrites that answer to a 429."""


def configure(services: ChatServices | None) -> None:
    global _services  # noqa: PLW0603 - one app per process, set at start-up
    _services = services


def services() -> ChatServices:
    if _services is None:
        raise ConfigurationError(
            "The chat is not connected to the app yet.", hint="Start it again."
        )
    return _services


def async_database_url(url: str) -> str:
    """The async driver's URL for the same database (aiosqlite, or psycopg's async mode)."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url
