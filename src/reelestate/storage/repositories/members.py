"""Changing who is in an organisation and with which role, each change written to the audit log.

Who may make a change is decided above (`services.permissions`); these methods do it in one
transaction with its audit row: a removal deletes the membership, revokes the person's API keys
and refresh tokens and ends their sessions; their projects stay with the organisation.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import ApiKey, AuditEvent, Membership, Role, User, utcnow
from reelestate.storage.repositories.sessions import revoke_refresh


class AuditEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: uuid.UUID
    actor_id: uuid.UUID | None
    action: str
    target_id: uuid.UUID | None
    detail: dict[str, Any]
    created_at: datetime


class MemberRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    email: str
    display_name: str | None
    role: Role


def _membership(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> Membership:
    row = session.scalars(
        select(Membership).where(
            Membership.organization_id == ctx.org_id, Membership.user_id == user_id
        )
    ).first()
    if row is None:
        raise NotFoundError("No such member in your organisation.")
    return row


def _audit(
    session: Session,
    ctx: TenantContext,
    action: str,
    target: uuid.UUID | None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            organization_id=ctx.org_id,
            actor_id=ctx.user_id,
            action=action,
            target_id=target,
            detail=detail,
        )
    )


def _end_sessions(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> None:
    session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )
    revoke_refresh(session, ctx.org_id, user_id)


class MembersRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def find(self, ctx: TenantContext, words: str) -> MemberRecord:
        """The member an email, a name or a first name points at (for the chat's "remove Bob")."""
        wanted = words.strip().lower()
        rows = self.all(ctx)
        exact = [m for m in rows if m.email == wanted or (m.display_name or "").lower() == wanted]
        first = [
            m
            for m in rows
            if (m.display_name or "").lower().split(" ")[:1] == [wanted]
            or m.email.split("@")[0] == wanted
        ]
        found = exact or first
        if len(found) != 1:
            raise NotFoundError(
                f"I don't know which member {words!r} is."
                if not found
                else f"Several members match {words!r}.",
                hint="Use their email address.",
            )
        return found[0]

    def all(self, ctx: TenantContext) -> list[MemberRecord]:
        with self._db.tenant(ctx) as session:
            rows = session.execute(
                select(User, Membership.role)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.organization_id == ctx.org_id)
                .order_by(User.email)
            ).all()
            return [
                MemberRecord(user_id=u.id, email=u.email, display_name=u.display_name, role=r)
                for u, r in rows
            ]

    def role_of(self, ctx: TenantContext, user_id: uuid.UUID) -> Role:
        with self._db.tenant(ctx) as session:
            return Role(_membership(session, ctx, user_id).role)

    def change_role(self, ctx: TenantContext, user_id: uuid.UUID, role: Role) -> None:
        with self._db.tenant(ctx) as session:
            member = _membership(session, ctx, user_id)
            before = Role(member.role)
            if before is role:
                return
            member.role = role
            _audit(session, ctx, "role_changed", user_id, before=before.value, after=role.value)

    def remove(self, ctx: TenantContext, user_id: uuid.UUID) -> None:
        with self._db.tenant(ctx) as session:
            member = _membership(session, ctx, user_id)
            role = Role(member.role)
            # Before the membership goes: on PostgreSQL an organisation may only update the
            # people who are its members.
            _end_sessions(session, ctx, user_id)
            session.delete(member)
            session.execute(
                update(ApiKey)
                .where(
                    ApiKey.organization_id == ctx.org_id,
                    ApiKey.created_by == user_id,
                    ApiKey.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
            _audit(session, ctx, "member_removed", user_id, role=role.value)

    def transfer_ownership(self, ctx: TenantContext, to_user: uuid.UUID) -> None:
        """The new owner takes over; the old owner stays on as an admin."""
        if ctx.user_id is None or to_user == ctx.user_id:
            raise InvalidInputError("Choose another member to hand the organisation to.")
        with self._db.tenant(ctx) as session:
            new = _membership(session, ctx, to_user)
            old = _membership(session, ctx, ctx.user_id)
            new.role, old.role = Role.OWNER, Role.ADMIN
            _audit(session, ctx, "ownership_transferred", to_user, previous_owner=str(ctx.user_id))

    def record(
        self, ctx: TenantContext, action: str, target: uuid.UUID | None, **detail: Any
    ) -> None:
        """An audit row for a change made elsewhere (an invitation, an accepted one)."""
        with self._db.tenant(ctx) as session:
            _audit(session, ctx, action, target, **detail)

    def audit(self, ctx: TenantContext, *, limit: int = 200) -> list[AuditEntry]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.organization_id == ctx.org_id)
                .order_by(AuditEvent.created_at.desc())
                .limit(limit)
            )
            return [AuditEntry.model_validate(r) for r in rows]
