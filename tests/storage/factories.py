"""Small builders shared by the storage and job tests."""

from __future__ import annotations

import uuid

from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import JobKind, JobQueue
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.jobs import NewJob
from reelestate.storage.repositories.organisations import OrganisationsRepository


def new_org(db: Database, credits: int = 0) -> TenantContext:
    slug = f"org-{uuid.uuid4().hex[:10]}"
    ctx = OrganisationsRepository(db).create(f"Agency {slug}", slug)
    if credits:
        CreditsRepository(db).grant(ctx, credits, "test grant")
    return ctx


def preview_job(credits: int = 1, **extra: object) -> NewJob:
    return NewJob(
        kind=JobKind.RENDER_PREVIEW,
        queue=JobQueue.CPU,
        input_hash=uuid.uuid4().hex,
        credits=credits,
        **extra,  # type: ignore[arg-type]
    )
