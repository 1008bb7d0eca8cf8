"""Organisations, people and how they reach the product (memberships, API keys)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
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
