"""The security suite: each test is an attack on the product, written as an attacker would try it.

One app per module (REST on an embedded database made by the app's own start-up path); the chat
tests reuse the session's chat server (`tests.support.web.chat_server`). Accounts are made in the
database and sign in through `/api/v1/auth/login`, so the suite does not depend on sign-up.

Attacks that held before and are kept by tests elsewhere (not repeated here):
- cross-organisation ids on every route: tests/web/test_api_projects.py
  (`test_other_organisations_get_404_never_data`), tests/storage/test_tenancy.py;
- forged and expired tokens: tests/web/test_web_parts.py (`test_tokens_expire_and_keep_their_use`),
  tests/web/test_api_accounts.py (`test_auth_failures_are_problems`);
- revoked API keys: tests/web/test_api_accounts.py
  (`test_api_keys_act_for_the_organisation_until_revoked`);
- signed-URL tampering: tests/web/test_api_projects.py
  (`test_signed_media_urls_refuse_tampering`), tests/storage/test_blobs.py;
- upload limits: tests/web/test_api_projects.py (`test_upload_limits_and_bad_files`);
- caption and FFmpeg injection: tests/render/test_captions.py,
  tests/render/test_engine_bad_input.py (`test_hostile_and_unicode_captions_render_literally`);
- prompt injection through listing text: tests/agent/test_injection.py;
- the Telegram webhook secret: tests/bots/test_webhook.py;
- row-level security on the product's tables: tests/storage/test_tenancy.py.
Chat markup and CORS are attacked in test_chat_surface.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.core.passwords import hash_password
from reelestate.core.settings import Settings
from reelestate.storage.db import Database
from reelestate.storage.migrate import prepare_database
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from tests.agent.helpers import FileNameAnalyser
from tests.web.conftest import web_settings

PASSWORD = "a long enough password 42"


@dataclass
class Member:
    """A person of one organisation, signed in over the REST API."""

    client: TestClient
    email: str
    org_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, url: str, **kw: Any) -> Any:
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def new_member(client: TestClient, role: Role = Role.OWNER) -> Member:
    """A fresh organisation with one person in it, signed in."""
    db: Database = client.app.state.services.db  # type: ignore[attr-defined]
    handle = f"org-{uuid.uuid4().hex[:10]}"
    ctx = OrganisationsRepository(db).create(handle, handle)
    email = f"{handle}@example.com"
    accounts = AccountsRepository(db)
    user = accounts.create_user(email, password_hash=password_hash(), display_name=handle)
    accounts.add_membership(ctx, user.id, role)
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return Member(client, email, ctx.org_id, str(answer.json()["access_token"]))


def security_settings(data: Path, **extra: object) -> Settings:
    return web_settings(data, **extra)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The REST app on an empty data folder, brought up the way `reelestate serve` does."""
    settings = security_settings(tmp_path_factory.mktemp("security"))
    prepare_database(settings)
    app = create_app(settings, AppOptions(chat=False, analyser=FileNameAnalyser()))
    with TestClient(app) as client:
        yield client
