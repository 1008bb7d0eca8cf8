"""A conversation's storyboard kept where REST keeps its storyboards: as version rows.

Each version the chat makes becomes the next row of one stored storyboard (the project and
the storyboard are made with the first one), with its `plan` (history, script, listing) and
its `spec` (the render input of that version, its files the conversation's own). The
conversation itself remembers only a `StoryboardRef`; the history is read back by version id.

Rows never change once written, so plans read back are kept in memory by version id (and
organisation, so one organisation's plan is never served to another).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.render.spec import BrandKit
from reelestate.services import storyboard_flow as flow
from reelestate.services.storyboards import StoredPlan, spec_data, store_version
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import ProjectsRepository, StoryboardsRepository

_CACHE_LIMIT = 512


class StoryboardRef(BaseModel):
    """Where a conversation's storyboard lives: the stored storyboard and its current row."""

    model_config = ConfigDict(frozen=True)

    org_id: uuid.UUID
    """The organisation the storyboard belongs to."""
    storyboard_id: uuid.UUID
    storyboard_version_id: uuid.UUID
    """The row holding the current version's plan and spec."""
    number: int
    """The current version's number as the conversation shows it (the history's own)."""

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class StoryboardStore:
    """Saves a conversation's storyboard history as versions of one stored storyboard."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._plans: dict[tuple[uuid.UUID, uuid.UUID], StoredPlan] = {}

    async def save(
        self,
        ctx: TenantContext,
        plan: StoredPlan,
        *,
        previous: StoryboardRef | None,
        project_id: uuid.UUID | None = None,
        brand: dict[str, Any] | None = None,
        author: str,
        reason: str,
    ) -> StoryboardRef:
        """`plan` as the next version of `previous`'s storyboard (a new one when None: in
        `project_id`, or in a project of its own), in `ctx`'s organisation."""
        ref = await asyncio.to_thread(
            self._save,
            ctx,
            plan,
            previous=previous,
            project_id=project_id,
            brand=brand,
            author=author,
            reason=reason,
        )
        self._remember(ctx, ref.storyboard_version_id, plan)
        return ref

    async def load(self, ctx: TenantContext, storyboard_version_id: uuid.UUID) -> StoredPlan:
        """The plan of a stored version; `NotFoundError` when `ctx`'s organisation has none."""
        cached = self._plans.get((ctx.org_id, storyboard_version_id))
        if cached is not None:
            return cached
        row = await asyncio.to_thread(
            StoryboardsRepository(self._db).version, ctx, storyboard_version_id
        )
        plan = StoredPlan.of(row)
        self._remember(ctx, storyboard_version_id, plan)
        return plan

    def _remember(
        self, ctx: TenantContext, storyboard_version_id: uuid.UUID, plan: StoredPlan
    ) -> None:
        """Kept on the event loop's thread only, so the cache needs no lock."""
        if len(self._plans) >= _CACHE_LIMIT:
            self._plans.pop(next(iter(self._plans)))
        self._plans[(ctx.org_id, storyboard_version_id)] = plan

    def _save(
        self,
        ctx: TenantContext,
        plan: StoredPlan,
        *,
        previous: StoryboardRef | None,
        project_id: uuid.UUID | None,
        brand: dict[str, Any] | None,
        author: str,
        reason: str,
    ) -> StoryboardRef:
        storyboard_id = (
            previous.storyboard_id
            if previous is not None
            else self._new_storyboard(ctx, plan, project_id)
        )
        current = plan.history.current
        spec = flow.render_spec(current, plan.listing, plan.script, brand=BrandKit())
        row = store_version(
            self._db,
            ctx,
            storyboard_id,
            spec_data(ctx, spec, brand),
            author=author,
            reason=reason,
            media_ids=[],
            plan=plan,
        )
        return StoryboardRef(
            org_id=ctx.org_id,
            storyboard_id=storyboard_id,
            storyboard_version_id=row.id,
            number=current.number,
        )

    def _new_storyboard(
        self, ctx: TenantContext, plan: StoredPlan, project_id: uuid.UUID | None
    ) -> uuid.UUID:
        title = plan.listing.address or "Listing"
        if project_id is None:
            facts = plan.listing.model_dump(mode="json", exclude_none=True)
            project_id = ProjectsRepository(self._db).create(ctx, title, facts).id
        return StoryboardsRepository(self._db).create(ctx, project_id, title).id
