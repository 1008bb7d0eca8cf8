"""Single-use links sent by mail: finishing a sign-up and resetting a password.

A token is a random secret in the link; the table keeps its SHA-256 only. Using one marks it
used in the same transaction that reads it, so a link works once even if it is opened twice at
the same moment.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update

from reelestate.core.errors import NotFoundError
from reelestate.storage.db import Database
from reelestate.storage.models import AccountToken, utcnow

Purpose = Literal["signup", "reset"]
LIFETIMES: dict[str, timedelta] = {"signup": timedelta(hours=24), "reset": timedelta(minutes=30)}


class UsedToken(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str
    payload: dict[str, Any]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountTokensRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def issue(
        self,
        purpose: Purpose,
        email: str,
        payload: dict[str, Any] | None = None,
        *,
        now: datetime | None = None,
    ) -> str:
        """A new link token; an older unused one for the same purpose and address stops
        working (only the newest mail's link counts)."""
        at = now or utcnow()
        token = secrets.token_urlsafe(32)
        with self._db.system() as session:
            session.execute(
                update(AccountToken)
                .where(
                    AccountToken.purpose == purpose,
                    AccountToken.email == email,
                    AccountToken.used_at.is_(None),
                )
                .values(used_at=at)
            )
            session.add(
                AccountToken(
                    purpose=purpose,
                    email=email,
                    token_hash=_hash(token),
                    payload=payload or {},
                    expires_at=at + LIFETIMES[purpose],
                    created_at=at,
                )
            )
        return token

    def use(self, purpose: Purpose, token: str, *, now: datetime | None = None) -> UsedToken:
        at = now or utcnow()
        with self._db.system() as session:
            row = session.scalars(
                select(AccountToken)
                .where(AccountToken.token_hash == _hash(token), AccountToken.purpose == purpose)
                .with_for_update()
            ).first()
            if row is None or row.used_at is not None or row.expires_at <= at:
                raise NotFoundError(
                    "This link is not valid any more: it was used already or it expired.",
                    hint="Ask for a new one."
                    if purpose == "reset"
                    else "Sign up again to get a new link.",
                )
            row.used_at = at
            return UsedToken(email=row.email, payload=dict(row.payload))

    def peek(self, purpose: Purpose, token: str, *, now: datetime | None = None) -> bool:
        """Whether a link would still work (to show its form), without using it."""
        at = now or utcnow()
        with self._db.system() as session:
            row = session.scalars(
                select(AccountToken).where(
                    AccountToken.token_hash == _hash(token), AccountToken.purpose == purpose
                )
            ).first()
            return row is not None and row.used_at is None and row.expires_at > at
