"""People and how they get in: users with passwords, their memberships, invitations by link.

`users` is global (one person, several organisations), so reading it needs no tenant; which
organisations a person belongs to is read through a SECURITY DEFINER function on PostgreSQL,
because memberships themselves are tenant rows. An invitation token reads
`inv_<organisation id>.<secret>`, like an API key, so accepting it opens the right tenant.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from reelestate.core.errors import AuthenticationError, InvalidInputError, NotFoundError
from reelestate.core.passwords import hash_password, needs_rehash, verify_password
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Invitation, Membership, Role, User, utcnow
from reelestate.storage.repositories.sessions import revoke_refresh
from reelestate.storage.schemas import MembershipView, UserView

INVITATION_PREFIX = "inv_"
INVITATION_DAYS = 7


class UserCredentials(BaseModel):
    """A user with the password hash; never leaves the authentication code."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: uuid.UUID
    email: str
    display_name: str | None
    password_hash: str | None
    is_active: bool


class MembershipOf(BaseModel):
    model_config = ConfigDict(frozen=True)

    organization_id: uuid.UUID
    role: Role


class InvitationView(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    email: str
    role: Role
    expires_at: datetime
    accepted_at: datetime | None
    created_at: datetime


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or " " in email:
        raise InvalidInputError(f"{email!r} is not an email address.")
    return email


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- users -------------------------------------------------------------------------------

    def create_user(
        self,
        email: str,
        *,
        password_hash: str | None,
        display_name: str | None = None,
        verified: bool = False,
        google_subject: str | None = None,
    ) -> UserView:
        email = normalise_email(email)
        try:
            with self._db.system() as session:
                row = User(
                    email=email,
                    display_name=display_name,
                    password_hash=password_hash,
                    email_verified_at=utcnow() if verified else None,
                    google_subject=google_subject,
                )
                session.add(row)
                session.flush()
                return UserView.model_validate(row)
        except IntegrityError as exc:
            raise InvalidInputError(
                "An account with this email exists already.", hint="Sign in instead."
            ) from exc

    def credentials(self, email: str) -> UserCredentials | None:
        try:
            email = normalise_email(email)
        except InvalidInputError:
            return None
        with self._db.system() as session:
            if self._db.is_postgres:
                found = session.execute(
                    text("SELECT * FROM reelestate_user_credentials(:a)"), {"a": email}
                ).first()
                if found is None:
                    return None
                return UserCredentials.model_validate(found._mapping)
            row = session.scalars(select(User).where(User.email == email)).first()
            return UserCredentials.model_validate(row) if row is not None else None

    def user(self, ctx: TenantContext, user_id: uuid.UUID) -> UserView:
        """A member of `ctx`'s organisation (people of other organisations are not found)."""
        with self._db.tenant(ctx) as session:
            row = session.get(User, user_id)
            member = session.scalars(
                select(Membership).where(
                    Membership.organization_id == ctx.org_id, Membership.user_id == user_id
                )
            ).first()
            if row is None or member is None or not row.is_active:
                raise NotFoundError("No such user.")
            return UserView.model_validate(row)

    def set_password(self, ctx: TenantContext, user_id: uuid.UUID, password_hash: str) -> None:
        """Change the password of a member of `ctx`'s organisation."""
        with self._db.tenant(ctx) as session:
            row = session.get(User, user_id)
            if row is None:
                raise NotFoundError("No such user.")
            row.password_hash = password_hash

    def reset_password(self, user_id: uuid.UUID, password_hash: str) -> None:
        """A new password from a reset link: every session the person holds, in every
        organisation, ends."""
        memberships = self.memberships_of(user_id)
        for index, m in enumerate(memberships):
            ctx = TenantContext(org_id=m.organization_id, user_id=user_id, role=m.role)
            with self._db.tenant(ctx) as session:
                if index == 0:
                    session.execute(
                        update(User)
                        .where(User.id == user_id)
                        .values(
                            password_hash=password_hash,
                            session_version=User.session_version + 1,
                            email_verified_at=func.coalesce(User.email_verified_at, utcnow()),
                        )
                    )
                revoke_refresh(session, ctx.org_id, user_id)

    def user_by_google(self, subject: str) -> uuid.UUID | None:
        """The person a Google account (its stable `sub`) was linked to."""
        with self._db.system() as session:
            if self._db.is_postgres:
                found = session.execute(
                    text("SELECT reelestate_user_by_google(:s)"), {"s": subject}
                ).scalar_one_or_none()
                return uuid.UUID(str(found)) if found else None
            return session.scalars(select(User.id).where(User.google_subject == subject)).first()

    def link_google(self, ctx: TenantContext, user_id: uuid.UUID, subject: str) -> None:
        """Remember a Google account for a member (its address was verified by Google)."""
        with self._db.tenant(ctx) as session:
            session.execute(
                update(User)
                .where(User.id == user_id)
                .values(
                    google_subject=subject,
                    email_verified_at=func.coalesce(User.email_verified_at, utcnow()),
                )
            )

    def memberships_of(self, user_id: uuid.UUID) -> list[MembershipOf]:
        """The organisations a person belongs to, oldest membership first."""
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(
                    text("SELECT organization_id, role FROM reelestate_user_memberships(:u)"),
                    {"u": user_id},
                ).all()
            else:
                rows = session.execute(
                    select(Membership.organization_id, Membership.role)
                    .where(Membership.user_id == user_id)
                    .order_by(Membership.created_at)
                ).all()
            return [MembershipOf(organization_id=r[0], role=Role(r[1])) for r in rows]

    def add_membership(self, ctx: TenantContext, user_id: uuid.UUID, role: Role) -> MembershipView:
        try:
            with self._db.tenant(ctx) as session:
                row = Membership(organization_id=ctx.org_id, user_id=user_id, role=role)
                session.add(row)
                session.flush()
                return MembershipView.model_validate(row)
        except IntegrityError as exc:
            raise InvalidInputError("This person is a member already.") from exc

    # -- invitations -------------------------------------------------------------------------

    def invite(
        self, ctx: TenantContext, email: str, role: Role, *, now: datetime | None = None
    ) -> tuple[InvitationView, str]:
        """A new invitation; the returned token is the only copy and goes into the link."""
        email = normalise_email(email)
        token = f"{INVITATION_PREFIX}{ctx.org_id.hex}.{secrets.token_urlsafe(32)}"
        with self._db.tenant(ctx) as session:
            row = Invitation(
                organization_id=ctx.org_id,
                email=email,
                role=role,
                token_hash=_token_hash(token),
                invited_by=ctx.user_id,
                expires_at=(now or utcnow()) + timedelta(days=INVITATION_DAYS),
            )
            session.add(row)
            session.flush()
            return InvitationView.model_validate(row), token

    def invitations(self, ctx: TenantContext) -> list[InvitationView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(Invitation)
                .where(Invitation.organization_id == ctx.org_id)
                .order_by(Invitation.created_at.desc())
            )
            return [InvitationView.model_validate(r) for r in rows]

    def accept(self, token: str, user_id: uuid.UUID) -> tuple[TenantContext, MembershipView]:
        """Use an invitation: the person joins its organisation with its role (once)."""
        ctx = _invitation_context(token)
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(Invitation).where(
                    Invitation.organization_id == ctx.org_id,
                    Invitation.token_hash == _token_hash(token),
                )
            ).first()
            if row is None or row.accepted_at is not None or row.expires_at < utcnow():
                raise NotFoundError(
                    "This invitation is not valid any more.",
                    hint="Ask for a new invitation link.",
                )
            row.accepted_at = utcnow()
            role = row.role
            exists = session.scalars(
                select(Membership).where(
                    Membership.organization_id == ctx.org_id, Membership.user_id == user_id
                )
            ).first()
            member = exists or Membership(organization_id=ctx.org_id, user_id=user_id, role=role)
            session.add(member)
            session.flush()
            view = MembershipView.model_validate(member)
        return TenantContext(org_id=ctx.org_id, user_id=user_id, role=view.role), view

    def invitation_email(self, token: str) -> str:
        """The address an unused invitation was sent to (to pre-fill the sign-up form)."""
        ctx = _invitation_context(token)
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(Invitation).where(
                    Invitation.organization_id == ctx.org_id,
                    Invitation.token_hash == _token_hash(token),
                    Invitation.accepted_at.is_(None),
                )
            ).first()
            if row is None or row.expires_at < utcnow():
                raise NotFoundError(
                    "This invitation is not valid any more.", hint="Ask for a new invitation link."
                )
            return row.email


def _invitation_context(token: str) -> TenantContext:
    head, _, secret = token.partition(".")
    if not head.startswith(INVITATION_PREFIX) or not secret:
        raise NotFoundError("This invitation is not valid.", hint="Check the link.")
    try:
        return TenantContext(org_id=uuid.UUID(hex=head[len(INVITATION_PREFIX) :]))
    except ValueError as exc:
        raise NotFoundError("This invitation is not valid.", hint="Check the link.") from exc


def authenticate(
    accounts: AccountsRepository,
    email: str,
    password: str,
    *,
    organization_id: uuid.UUID | None = None,
) -> tuple[UserView, TenantContext]:
    """The person and the organisation context a correct email and password sign in to.

    Every failure says the same thing, so the answer does not tell which emails have accounts.
    """
    wrong = AuthenticationError(
        "The email or password is wrong.", hint="Check both, or ask your admin for an invitation."
    )
    creds = accounts.credentials(email)
    if creds is None or not creds.is_active:
        verify_password(None, password)
        raise wrong
    if not verify_password(creds.password_hash, password):
        raise wrong
    memberships = accounts.memberships_of(creds.id)
    if organization_id is not None:
        memberships = [m for m in memberships if m.organization_id == organization_id]
    if not memberships:
        raise wrong
    chosen = memberships[0]
    ctx = TenantContext(org_id=chosen.organization_id, user_id=creds.id, role=chosen.role)
    if creds.password_hash and needs_rehash(creds.password_hash):
        accounts.set_password(ctx, creds.id, hash_password(password))
    user = UserView(id=creds.id, email=creds.email, display_name=creds.display_name)
    return user, ctx
