"""Which of our users a Telegram user speaks for, and the one-time codes that link them.

A bot update carries only a Telegram user id, so `account` and `redeem` are the two questions
asked before any organisation is known; on PostgreSQL they go through SECURITY DEFINER
functions (migration 0003) that answer them and nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Membership, Role, TelegramLink, TelegramLinkCode, User, utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: codes are read off a screen and typed on a phone."""
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=15)


class LinkedAccount(BaseModel):
    """Who a Telegram user is to us: enough to build their `TenantContext`."""

    model_config = ConfigDict(frozen=True)

    telegram_user_id: int
    user_id: uuid.UUID
    organization_id: uuid.UUID
    email: str
    role: Role
    conversation: str | None = None

    @property
    def context(self) -> TenantContext:
        return TenantContext(org_id=self.organization_id, user_id=self.user_id, role=self.role)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


class TelegramLinksRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def issue_code(
        self,
        ctx: TenantContext,
        *,
        lifetime: timedelta = CODE_LIFETIME,
        now: datetime | None = None,
    ) -> str:
        """A fresh code for the signed-in user (`ctx.user_id`) to send the bot as `/start CODE`."""
        if ctx.user_id is None:
            raise InvalidInputError("Only a signed-in person can link a Telegram account.")
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        issued = now or utcnow()
        with self._db.tenant(ctx) as session:
            session.add(
                TelegramLinkCode(
                    organization_id=ctx.org_id,
                    user_id=ctx.user_id,
                    code_hash=hash_code(code),
                    expires_at=issued + lifetime,
                    created_at=issued,
                )
            )
        return code

    def redeem(
        self, code: str, telegram_user_id: int, *, now: datetime | None = None
    ) -> LinkedAccount | None:
        """Use a code once: link the Telegram user (replacing any older link), or None when the
        code is unknown, used or expired."""
        at = now or utcnow()
        digest = hash_code(code)
        with self._db.system() as session:
            if self._db.is_postgres:
                row = session.execute(
                    text("SELECT * FROM reelestate_redeem_telegram_code(:hash, :tg, :at)"),
                    {"hash": digest, "tg": telegram_user_id, "at": at},
                ).first()
                if row is None:
                    return None
            else:
                found = session.scalars(
                    select(TelegramLinkCode).where(
                        TelegramLinkCode.code_hash == digest,
                        TelegramLinkCode.used_at.is_(None),
                        TelegramLinkCode.expires_at > at,
                    )
                ).first()
                if found is None:
                    return None
                found.used_at = at
                _replace_link(session, found.organization_id, found.user_id, telegram_user_id)
        return self.account(telegram_user_id)

    def account(self, telegram_user_id: int) -> LinkedAccount | None:
        """The account a Telegram user is linked to, while they are still a member there."""
        with self._db.system() as session:
            if self._db.is_postgres:
                row = session.execute(
                    text("SELECT * FROM reelestate_telegram_account(:tg)"), {"tg": telegram_user_id}
                ).first()
            else:
                row = session.execute(
                    select(
                        TelegramLink.user_id,
                        TelegramLink.organization_id,
                        User.email,
                        Membership.role,
                        TelegramLink.conversation,
                    )
                    .join(User, User.id == TelegramLink.user_id)
                    .join(
                        Membership,
                        (Membership.user_id == TelegramLink.user_id)
                        & (Membership.organization_id == TelegramLink.organization_id),
                    )
                    .where(TelegramLink.telegram_user_id == telegram_user_id)
                ).first()
        if row is None:
            return None
        return LinkedAccount(
            telegram_user_id=telegram_user_id,
            user_id=row.user_id,
            organization_id=row.organization_id,
            email=row.email,
            role=Role(row.role),
            conversation=row.conversation,
        )

    def unlink(self, ctx: TenantContext) -> bool:
        """Forget the Telegram account linked to the signed-in person here (if any)."""
        with self._db.tenant(ctx) as session:
            gone = session.execute(
                delete(TelegramLink).where(
                    TelegramLink.organization_id == ctx.org_id,
                    TelegramLink.user_id == ctx.user_id,
                )
            )
            return bool(getattr(gone, "rowcount", 0))

    def set_conversation(self, account: LinkedAccount, conversation: str) -> None:
        """Remember the conversation this Telegram user continues (after `/new`)."""
        with self._db.tenant(account.context) as session:
            session.execute(
                update(TelegramLink)
                .where(
                    TelegramLink.telegram_user_id == account.telegram_user_id,
                    TelegramLink.organization_id == account.organization_id,
                )
                .values(conversation=conversation)
            )

    def link(self, ctx: TenantContext, email: str, telegram_user_id: int) -> LinkedAccount:
        """Link a Telegram user to a member of `ctx`'s organisation (admin set-ups).

        Replaces the Telegram user's link in any organisation, so on PostgreSQL it runs on the
        owner connection (`reelestate users link-telegram`), not as the application role."""
        with self._db.tenant(ctx) as session:
            user_id = session.scalars(
                select(User.id)
                .join(Membership, Membership.user_id == User.id)
                .where(User.email == email.lower(), Membership.organization_id == ctx.org_id)
            ).first()
            if user_id is None:
                raise NotFoundError(f"{email} is not a member of this organisation.")
            _replace_link(session, ctx.org_id, user_id, telegram_user_id)
        account = self.account(telegram_user_id)
        if account is None:
            raise NotFoundError(f"{email} is not a member of this organisation.")
        return account


def _replace_link(
    session: Session, org_id: uuid.UUID, user_id: uuid.UUID, telegram_user_id: int
) -> None:
    session.execute(delete(TelegramLink).where(TelegramLink.telegram_user_id == telegram_user_id))
    session.add(
        TelegramLink(organization_id=org_id, user_id=user_id, telegram_user_id=telegram_user_id)
    )
