"""Whether a signed-in session still stands, and the refresh tokens that extend one.

Every access token, refresh token and chat cookie names the person, the organisation, the role
and the person's session version. A request is let in only while all four still match the
database: removing a member, changing their role or resetting their password ends every session
they hold on the next request, whatever the token's own expiry says.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reelestate.core.errors import AuthenticationError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Membership, RefreshToken, Role, User, utcnow


class SessionStanding(BaseModel):
    """What the database says of a person in an organisation right now."""

    model_config = ConfigDict(frozen=True)

    role: Role
    session_version: int


ENDED = AuthenticationError(
    "This session has ended: your access changed or your password was reset.",
    hint="Sign in again.",
)


class SessionsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def standing(self, ctx: TenantContext) -> SessionStanding | None:
        """The person's current role and session version here, or None when they are no
        longer an active member."""
        if ctx.user_id is None:
            return None
        with self._db.tenant(ctx) as session:
            row = session.execute(
                select(Membership.role, User.session_version, User.is_active)
                .join(User, User.id == Membership.user_id)
                .where(Membership.organization_id == ctx.org_id, Membership.user_id == ctx.user_id)
            ).first()
        if row is None or not row[2]:
            return None
        return SessionStanding(role=Role(row[0]), session_version=int(row[1]))

    def check(self, ctx: TenantContext, session_version: int | None) -> None:
        """Raise unless the session (role and version it was issued with) still stands."""
        now = self.standing(ctx)
        if now is None or now.role is not ctx.role or now.session_version != session_version:
            raise ENDED

    def end_all(self, ctx: TenantContext, user_id: uuid.UUID) -> None:
        """End every session of a member of `ctx`'s organisation (tokens, cookies, refreshes)."""
        with self._db.tenant(ctx) as session:
            session.execute(
                update(User)
                .where(User.id == user_id)
                .values(session_version=User.session_version + 1)
            )
            revoke_refresh(session, ctx.org_id, user_id)

    # -- refresh tokens ------------------------------------------------------------------------

    def start(
        self,
        ctx: TenantContext,
        lifetime: timedelta,
        *,
        family: uuid.UUID | None = None,
        now: datetime | None = None,
    ) -> tuple[uuid.UUID, uuid.UUID]:
        """A new refresh token (its id goes in the token as `jti`) and its family."""
        if ctx.user_id is None:
            raise AuthenticationError("Only people can hold session tokens.")
        at = now or utcnow()
        row = RefreshToken(
            organization_id=ctx.org_id,
            user_id=ctx.user_id,
            family_id=family or uuid.uuid4(),
            expires_at=at + lifetime,
        )
        with self._db.tenant(ctx) as session:
            session.add(row)
            session.flush()
            return row.id, row.family_id

    def use(
        self, ctx: TenantContext, token_id: uuid.UUID, *, now: datetime | None = None
    ) -> uuid.UUID:
        """Spend a refresh token once; returns its family for the next one.

        A token used before was copied (by whoever holds it now or before): its whole family is
        revoked, so the thief and the owner both sign in again.
        """
        at = now or utcnow()
        replayed = False
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(RefreshToken)
                .where(
                    RefreshToken.id == token_id,
                    RefreshToken.organization_id == ctx.org_id,
                    RefreshToken.user_id == ctx.user_id,
                )
                .with_for_update()
            ).first()
            if row is None or row.revoked_at is not None or row.expires_at <= at:
                raise AuthenticationError("The refresh token is not valid.", hint="Sign in again.")
            if row.used_at is not None:
                session.execute(
                    update(RefreshToken)
                    .where(
                        RefreshToken.family_id == row.family_id,
                        RefreshToken.organization_id == ctx.org_id,
                    )
                    .values(revoked_at=at)
                )
                replayed = True
            else:
                row.used_at = at
                family = row.family_id
        if replayed:
            raise AuthenticationError(
                "This refresh token was used already, so every session it started has ended.",
                hint="Sign in again.",
            )
        return family


def revoke_refresh(session: Session, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Revoke every refresh token a person holds in one organisation (inside `session`)."""
    session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.organization_id == org_id,
            RefreshToken.user_id == user_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
