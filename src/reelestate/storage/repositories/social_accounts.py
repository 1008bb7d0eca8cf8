"""Connected social accounts of an organisation; tokens are stored sealed, by the caller's box."""

from __future__ import annotations

from sqlalchemy import select

from reelestate.core.errors import NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import SocialAccountRow, utcnow
from reelestate.storage.schemas import SocialAccountView

NOT_CONNECTED_HINT = (
    "Connect the Facebook Page first: `reelestate social connect ORG --page-id ID "
    "--page-token TOKEN [--instagram-id ID]`."
)


class SocialAccountsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def connect(
        self,
        ctx: TenantContext,
        *,
        page_id: str,
        page_token_sealed: str,
        instagram_id: str | None,
        page_name: str | None = None,
    ) -> SocialAccountView:
        """Store (or replace) the Page's connection; the organisation publishes to the newest."""
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(SocialAccountRow).where(
                    SocialAccountRow.organization_id == ctx.org_id,
                    SocialAccountRow.page_id == page_id,
                )
            ).first()
            if row is None:
                row = SocialAccountRow(organization_id=ctx.org_id, page_id=page_id)
                session.add(row)
            row.page_token_sealed = page_token_sealed
            row.instagram_id = instagram_id
            row.page_name = page_name
            row.needs_reconnect = False
            row.connected_at = utcnow()
            session.flush()
            return SocialAccountView.model_validate(row)

    def current(self, ctx: TenantContext) -> SocialAccountView:
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(SocialAccountRow)
                .where(SocialAccountRow.organization_id == ctx.org_id)
                .order_by(SocialAccountRow.connected_at.desc())
            ).first()
            if row is None:
                raise NotFoundError("No Facebook Page is connected.", hint=NOT_CONNECTED_HINT)
            return SocialAccountView.model_validate(row)

    def mark_needs_reconnect(self, ctx: TenantContext, page_id: str) -> None:
        with self._db.tenant(ctx) as session:
            for row in session.scalars(
                select(SocialAccountRow).where(
                    SocialAccountRow.organization_id == ctx.org_id,
                    SocialAccountRow.page_id == page_id,
                )
            ):
                row.needs_reconnect = True
