"""The whole web app with the chat, shared by every test that needs it (tests/web, tests/e2e).

Chainlit is one app per process, so this is one session fixture, registered from the root
conftest; the app is imported only when a test asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reelestate.core.settings import Settings


class ChatServer:
    def __init__(self, base: str, settings: Settings, app: Any = None, oidc: Any = None) -> None:
        self.base = base
        self.settings = settings
        self.app = app
        self.oidc = oidc
        """The local OpenID Connect provider "Sign in with Google" talks to
        (`tests.support.oidc_provider.Provider`)."""
        """The FastAPI app, for tests that look at its services (the rate limiters)."""
        self.admin_email = settings.admin_email
        self.admin_password = "admin password 123"


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    """The whole app, chat included, on SQLite, with the real render engine at preview size
    (which a test may hold at its start: `tests.support.held_engine`)."""
    from reelestate.api.app import AppOptions, create_app  # noqa: PLC0415
    from reelestate.storage import migrate  # noqa: PLC0415
    from tests.agent.helpers import FileNameAnalyser  # noqa: PLC0415
    from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, oidc_provider  # noqa: PLC0415
    from tests.web.conftest import web_settings  # noqa: PLC0415
    from tests.web.live_server import live_server  # noqa: PLC0415

    data = tmp_path_factory.mktemp("chat")
    # One chat app per process (Chainlit's server is a module-level app), so this one also
    # has "Sign in with Google", against a local OpenID Connect provider.
    with oidc_provider() as provider:
        settings = web_settings(
            data,
            REELESTATE_RENDER_ENGINE="tests.support.held_engine:render_video",
            REELESTATE_FINAL_PROFILE="preview",
            REELESTATE_VIDEO_LENGTH_S=15,
            REELESTATE_JOB_HEARTBEAT_S=1.0,
            OAUTH_GOOGLE_CLIENT_ID=CLIENT_ID,
            OAUTH_GOOGLE_CLIENT_SECRET=CLIENT_SECRET,
            REELESTATE_OIDC_ISSUER=provider.base,
        )
        migrate.upgrade(settings)
        app = create_app(settings, AppOptions(chat=True, analyser=FileNameAnalyser()))
        with live_server(app) as base:
            yield ChatServer(base=base, settings=settings, app=app, oidc=provider)
