"""Telegram accounts linked to our users, and the one-time codes that link them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, TenantMixin


class TelegramLink(TenantMixin, Base):
    """One Telegram user speaks for one of our users in one organisation.

    `conversation` is the assistant thread the chat continues; `/new` replaces it.
    """

    __tablename__ = "telegram_links"
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    conversation: Mapped[str | None] = mapped_column(String(64))


class TelegramLinkCode(TenantMixin, Base):
    """A short-lived code shown in the web settings page; only its hash is stored."""

    __tablename__ = "telegram_link_codes"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


TELEGRAM_TABLES: tuple[str, ...] = ("telegram_links", "telegram_link_codes")
"""Tenant tables added after the first schema; migration 0003 secures them itself."""
