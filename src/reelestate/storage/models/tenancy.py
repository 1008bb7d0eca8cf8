"""Organisations, people and how they reach the product (memberships, API keys)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, IdMixin, TenantMixin


class Role(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Organization(IdMixin, Base):
    """An agency or a solo agent: the unit of billing and of data isolation."""

    __tablename__ = "organizations"
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    onboarded_at: Mapped[datetime | None]
    """When the owner finished (or skipped) the chat's first-time questions."""
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    """IANA zone the calendar, schedules and reports are shown in ("America/New_York")."""


class User(IdMixin, Base):
    """A person; global because one person may belong to several organisations."""

    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """Argon2id hash; None for people who only reach the product through a bot or an invitation
    they have not accepted yet."""
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Every token and chat cookie carries it; raising it (password reset) ends them all."""
    email_verified_at: Mapped[datetime | None]
    google_subject: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    """The `sub` of the person's Google (OpenID Connect) account, once linked."""


class Membership(TenantMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )


class ApiKey(TenantMixin, Base):
    """A key for programmatic access; only a hash of the secret part is stored."""

    __tablename__ = "api_keys"
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(128))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    """The member who made the key; removing them from the organisation revokes it."""


def _role_enum() -> Enum:
    return Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Invitation(TenantMixin, Base):
    """A link that lets one person join an organisation; only a hash of its secret is stored."""

    __tablename__ = "invitations"
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(_role_enum())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]


class RefreshToken(TenantMixin, Base):
    """One refresh token (by its `jti`): used once, then replaced by the next of its family.

    A second use of a used token means it was copied: the whole family (every token descended
    from the same sign-in) is revoked.
    """

    __tablename__ = "refresh_tokens"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuditEvent(TenantMixin, Base):
    """Who changed the organisation's members and roles, and how; rows are never updated."""

    __tablename__ = "audit_events"
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class AccountToken(IdMixin, Base):
    """A single-use link sent by mail: finishing a sign-up, or resetting a password.

    Global (the person may have no organisation yet); only a hash of the secret is stored.
    `payload` holds what a pending sign-up needs (its password is already a hash).
    """

    __tablename__ = "account_tokens"
    purpose: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


ACCOUNT_TENANT_TABLES: tuple[str, ...] = ("refresh_tokens", "audit_events")
"""Tenant tables added with self-service accounts; migration 0009 secures them itself."""
