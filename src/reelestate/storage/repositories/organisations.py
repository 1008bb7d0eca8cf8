"""Organisations, users and memberships."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import (
    LOCAL_ORG_CREDITS,
    LOCAL_ORG_ID,
    LOCAL_ORG_SLUG,
    TenantContext,
)
from reelestate.storage.db import Database
from reelestate.storage.models import LedgerKind, Membership, Organization, Role, User, utcnow
from reelestate.storage.repositories.credits import append_entry
from reelestate.storage.schemas import MembershipView, OrganizationView, UserView

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class OrganisationsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, name: str, slug: str, *, org_id: uuid.UUID | None = None) -> TenantContext:
        """Sign-up: a new organisation; returns the owner context to continue with."""
        if not _SLUG.match(slug):
            raise InvalidInputError(
                f"{slug!r} cannot be an organisation handle.",
                hint="Use 2 to 63 lowercase letters, digits and dashes.",
            )
        ctx = TenantContext(org_id=org_id or uuid.uuid4(), role=Role.OWNER)
        try:
            with self._db.tenant(ctx) as session:
                session.add(Organization(id=ctx.org_id, name=name, slug=slug))
        except IntegrityError as exc:
            raise InvalidInputError(f"The handle {slug!r} is taken.") from exc
        return ctx

    def get(self, ctx: TenantContext) -> OrganizationView:
        with self._db.tenant(ctx) as session:
            row = session.get(Organization, ctx.org_id)
            if row is None:
                raise NotFoundError("This organisation does not exist.")
            return OrganizationView.model_validate(row)

    def needs_onboarding(self, ctx: TenantContext) -> bool:
        """True until the owner has answered (or skipped) the chat's first-time questions."""
        with self._db.tenant(ctx) as session:
            row = session.get(Organization, ctx.org_id)
            return row is not None and row.onboarded_at is None

    def finish_onboarding(self, ctx: TenantContext, name: str | None = None) -> None:
        with self._db.tenant(ctx) as session:
            row = session.get(Organization, ctx.org_id)
            if row is None:
                raise NotFoundError("This organisation does not exist.")
            row.onboarded_at = utcnow()
            if name:
                row.name = name[:120]

    def add_member(self, ctx: TenantContext, email: str, role: Role) -> MembershipView:
        """Add a person (created on first sight) to the caller's organisation."""
        address = email.strip().lower()
        with self._db.tenant(ctx) as session:
            if self._db.is_postgres:
                # Other organisations' members are invisible here; ask for the id only.
                user_id = session.execute(
                    text("SELECT reelestate_user_id(:address)"), {"address": address}
                ).scalar_one_or_none()
            else:
                user_id = session.scalars(select(User.id).where(User.email == address)).first()
            if user_id is None:
                user_id = uuid.uuid4()
                session.add(User(id=user_id, email=address))
                session.flush()
            member = Membership(organization_id=ctx.org_id, user_id=user_id, role=role)
            session.add(member)
            session.flush()
            return MembershipView.model_validate(member)

    def members(self, ctx: TenantContext) -> list[tuple[UserView, MembershipView]]:
        with self._db.tenant(ctx) as session:
            rows = session.execute(
                select(User, Membership)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.organization_id == ctx.org_id)
                .order_by(User.email)
            ).all()
            return [(UserView.model_validate(u), MembershipView.model_validate(m)) for u, m in rows]


def ensure_local_organisation(db: Database) -> TenantContext:
    """Create the local organisation with its starting credits unless it exists (idempotent)."""
    ctx = TenantContext.local()
    try:
        with db.tenant(ctx) as session:
            if session.get(Organization, LOCAL_ORG_ID) is not None:
                return ctx
            # The local studio is the operator's own: nobody is asked the first-time questions.
            session.add(
                Organization(
                    id=LOCAL_ORG_ID,
                    name="Local studio",
                    slug=LOCAL_ORG_SLUG,
                    onboarded_at=utcnow(),
                )
            )
            session.flush()
            append_entry(
                session,
                ctx.org_id,
                LedgerKind.GRANT,
                available_delta=LOCAL_ORG_CREDITS,
                note="starting credits of the local studio",
                source="local",
                lock=db.is_postgres,
            )
    except IntegrityError:
        # Another process starting on the same empty database created it first (its grant
        # with it, in the same transaction).
        pass
    return ctx
