"""`reelestate users create` and `users link-telegram`, and `reelestate bot` set-up errors."""

from __future__ import annotations

import logging

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.storage import migrate
from reelestate.storage.db import open_database
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository
from tests.support.services import fresh_postgres_database

cli = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    return result.exit_code, result.output


def scripted_setup() -> None:
    migrate.upgrade(get_settings())
    code, out = run("users", "create", "Ann@Oak.example", "--org", "Oak Realty")
    assert code == 0, out
    assert "ann@oak.example added to Oak Realty as member" in out
    code, out = run("users", "create", "ben@oak.example", "--org", "oak-realty", "--role", "admin")
    assert code == 0 and "ben@oak.example added to oak-realty as admin" in out
    code, out = run("users", "create", "ann@oak.example", "--org", "Oak Realty")
    assert code == 2 and "already a member" in out
    code, out = run("users", "link-telegram", "ann@oak.example", "4242")
    assert code == 0 and "Telegram user 4242 is linked to ann@oak.example" in out
    db = open_database(get_settings())
    try:
        account = TelegramLinksRepository(db).account(4242)
    finally:
        db.dispose()
    assert account is not None and account.email == "ann@oak.example"


def test_scripted_setup_on_sqlite() -> None:
    scripted_setup()
    code, out = run("users", "link-telegram", "nobody@oak.example", "1")
    assert code == 2 and "not a member" in out
    code, out = run("users", "create", "not-an-email", "--org", "Oak Realty")
    assert code == 2 and "not an email address" in out
    run("users", "create", "ann@oak.example", "--org", "Elm Homes")
    code, out = run("users", "link-telegram", "ann@oak.example", "5")
    assert code == 2 and "several organisations" in out
    code, out = run("users", "link-telegram", "ann@oak.example", "5", "--org", "Elm Homes")
    assert code == 0, out


def test_scripted_setup_on_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    with fresh_postgres_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        scripted_setup()


def test_bot_without_a_token_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    root = logging.getLogger()
    # The command installs its log handler on the runner's stream; put the test's back.
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    code, out = run("bot")
    assert code == 1
    assert "no token" in out and "TELEGRAM_BOT_TOKEN" in out
