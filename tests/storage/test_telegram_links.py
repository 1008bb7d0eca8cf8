"""Telegram links and one-time codes on PostgreSQL (through the security-definer functions, as
the application role) and SQLite."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Role, TelegramLink, utcnow
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository, hash_code


def member(db: Database, email: str) -> TenantContext:
    orgs = OrganisationsRepository(db)
    ctx = orgs.create("Agency", f"agency-{uuid.uuid4().hex[:8]}")
    view = orgs.add_member(ctx, email, Role.ADMIN)
    return TenantContext(org_id=ctx.org_id, user_id=view.user_id, role=Role.ADMIN)


def tg_id() -> int:
    return int(uuid.uuid4().int % 10**12)


def test_code_links_once_and_moves_an_older_link(db: Database) -> None:
    links = TelegramLinksRepository(db)
    first = member(db, f"a-{uuid.uuid4().hex[:6]}@x.example")
    second = member(db, f"b-{uuid.uuid4().hex[:6]}@x.example")
    telegram = tg_id()
    assert links.account(telegram) is None

    code = links.issue_code(first)
    assert len(code) == 8 and hash_code(code) != code
    account = links.redeem(f" {code.lower()[:4]}-{code[4:]} ", telegram)
    assert account is not None and account.organization_id == first.org_id
    assert account.role is Role.ADMIN and account.context.user_id == first.user_id
    assert links.redeem(code, telegram) is None, "a code works once"

    moved = links.redeem(links.issue_code(second), telegram)
    assert moved is not None and moved.organization_id == second.org_id
    assert links.account(telegram) == moved


def test_expired_and_unknown_codes_do_nothing(db: Database) -> None:
    links = TelegramLinksRepository(db)
    ctx = member(db, f"c-{uuid.uuid4().hex[:6]}@x.example")
    old = links.issue_code(ctx, now=utcnow() - timedelta(hours=1))
    telegram = tg_id()
    assert links.redeem(old, telegram) is None
    assert links.redeem("NOPE2345", telegram) is None
    assert links.account(telegram) is None
    with pytest.raises(InvalidInputError):
        links.issue_code(TenantContext(org_id=ctx.org_id))


def test_conversation_is_remembered_and_tenants_do_not_see_links(db: Database) -> None:
    links = TelegramLinksRepository(db)
    email = f"d-{uuid.uuid4().hex[:6]}@x.example"
    ctx = member(db, email)
    telegram = tg_id()
    account = links.link(ctx, email, telegram)
    links.set_conversation(account, "tg-1-abc")
    remembered = links.account(telegram)
    assert remembered is not None and remembered.conversation == "tg-1-abc"
    with pytest.raises(NotFoundError):
        links.link(ctx, "nobody@x.example", telegram)

    other = member(db, f"e-{uuid.uuid4().hex[:6]}@x.example")
    with db.tenant(other) as session:
        seen = session.scalars(
            select(TelegramLink).where(TelegramLink.telegram_user_id == telegram)
        ).all()
    if db.is_postgres:
        assert seen == [], "row-level security hides other organisations' links"
