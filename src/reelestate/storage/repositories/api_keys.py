"""API keys: shown once at creation, stored as a SHA-256 hash.

A key reads `rs_<prefix>.<organisation id>.<secret>`: the organisation part lets authentication
open a tenant transaction before it has checked anything, and a key naming the wrong organisation
simply finds no row there.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from sqlalchemy import select

from reelestate.core.errors import NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import ApiKey, utcnow
from reelestate.storage.schemas import ApiKeyView

KEY_PREFIX = "rs_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeysRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, ctx: TenantContext, name: str) -> tuple[ApiKeyView, str]:
        """A new key; the returned secret is the only copy that will ever exist."""
        prefix = KEY_PREFIX + secrets.token_hex(6)
        secret = f"{prefix}.{ctx.org_id.hex}.{secrets.token_urlsafe(32)}"
        with self._db.tenant(ctx) as session:
            row = ApiKey(
                organization_id=ctx.org_id,
                name=name,
                prefix=prefix,
                key_hash=_hash(secret),
                created_by=ctx.user_id,
            )
            session.add(row)
            session.flush()
            return ApiKeyView.model_validate(row), secret

    def all(self, ctx: TenantContext) -> list[ApiKeyView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(select(ApiKey).where(ApiKey.organization_id == ctx.org_id))
            return [ApiKeyView.model_validate(r) for r in rows]

    def revoke(self, ctx: TenantContext, key_id: uuid.UUID) -> None:
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(ApiKey).where(ApiKey.id == key_id, ApiKey.organization_id == ctx.org_id)
            ).first()
            if row is None:
                raise NotFoundError("No such API key.")
            row.revoked_at = utcnow()

    def verify(self, secret: str) -> tuple[TenantContext, ApiKeyView] | None:
        """The context a valid, unrevoked key authenticates, or None."""
        parts = secret.split(".")
        if len(parts) != 3:
            return None
        prefix, org_hex, _ = parts
        try:
            ctx = TenantContext(org_id=uuid.UUID(hex=org_hex))
        except ValueError:
            return None
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(ApiKey).where(ApiKey.organization_id == ctx.org_id, ApiKey.prefix == prefix)
            ).first()
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.key_hash, _hash(secret)):
                return None
            row.last_used_at = utcnow()
            return ctx, ApiKeyView.model_validate(row)
