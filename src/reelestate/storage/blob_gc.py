"""Collecting stored files that no row references: what a killed upload or render leaves behind.

Files are written before the rows that name them (a photo is stored, then its media row; a
render's outputs, then the job's `outputs`), so a process killed between the two leaves a file
nothing points at. Such files are collected once they are older than a grace period that every
such write finishes within.

The set of referenced keys is read from every column that can hold one, of every table the
application defines: any text or JSON value containing `org/<uuid>/...` counts. Reading all of
them, rather than a list of known key columns, means a table added later (or a JSON document
that gains a file field) is protected without anyone remembering to register it; the cost is a
scan of those columns per run, which is why it runs hourly, not per request. Besides exact keys:

- a render job owns its output folder `renders/<job id>/`, including `render.json`, which its
  `outputs` do not list, for as long as the job row exists;
- files a channel hands out as links without a row (`telegram/`) live as long as the link.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import JSON, String, Text, cast, select
from sqlalchemy.sql.schema import Column, Table

from reelestate.storage.blobs import BlobInfo, BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Base, RenderJob, utcnow

log = logging.getLogger(__name__)

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
KEY_IN_TEXT = re.compile(rf"org/{_UUID}/[A-Za-z0-9._=/-]+")
LINK_FOLDERS: dict[str, timedelta] = {"telegram": timedelta(days=7)}
"""Folders of files handed out as expiring links with no row: kept while the link works."""


class CollectedBlobs(BaseModel):
    """What one run found: the unreferenced files past the grace, removed unless a dry run."""

    unreferenced: list[BlobInfo]
    kept_young: int
    """Unreferenced files still inside the grace period (a write may be about to record them)."""
    partials_removed: int
    dry_run: bool

    @property
    def bytes(self) -> int:
        return sum(b.size for b in self.unreferenced)


def _text_columns(table: Table) -> list[Column[object]]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON)]


def _keys_in(values: Iterable[object]) -> set[str]:
    found: set[str] = set()
    for value in values:
        if value is not None:
            found.update(KEY_IN_TEXT.findall(str(value)))
    return found


def _scan(db: Database, ctx: TenantContext | None) -> set[str]:
    """Keys in every text or JSON column: of `ctx`'s tenant tables (row-level security shows
    only its rows), or of the tables without an organisation when `ctx` is None."""
    found: set[str] = set()
    session_of = db.system() if ctx is None else db.tenant(ctx)
    with session_of as session:
        for table in Base.metadata.sorted_tables:
            tenant = "organization_id" in table.columns
            if tenant != (ctx is not None):
                continue
            for column in _text_columns(table):
                as_text = cast(column, Text)
                query = select(as_text).where(as_text.like("%org/%"))
                if ctx is not None:
                    query = query.where(table.c.organization_id == ctx.org_id)
                found |= _keys_in(session.scalars(query.execution_options(yield_per=500)))
    return found


def _render_folders(db: Database, ctx: TenantContext) -> set[str]:
    with db.tenant(ctx) as session:
        ids = session.scalars(select(RenderJob.id).where(RenderJob.organization_id == ctx.org_id))
        return {f"org/{ctx.org_id}/renders/{job_id}/" for job_id in ids}


def _kept_by_folder(key: str, org: uuid.UUID, render_folders: set[str], now: datetime,
                    modified: datetime) -> bool:  # fmt: skip
    rest = key[len(f"org/{org}/") :]
    folder = rest.split("/", 1)[0]
    if folder == "renders":
        parts = rest.split("/")
        return len(parts) > 1 and f"org/{org}/renders/{parts[1]}/" in render_folders
    lifetime = LINK_FOLDERS.get(folder)
    return lifetime is not None and modified > now - lifetime


def collect_unreferenced(
    db: Database,
    blobs: BlobStore,
    *,
    grace: timedelta,
    dry_run: bool = False,
    now: datetime | None = None,
) -> CollectedBlobs:
    """Find (and unless `dry_run`, delete) files no row references that are older than `grace`.

    The files are listed before the references are read, so a row committed during the run
    either is seen or names a file written after the listing began (inside the grace).
    """
    now = now or utcnow()
    cutoff = now - grace
    listed = {
        org: blobs.list(TenantContext(org_id=org), f"org/{org}/") for org in blobs.organisations()
    }
    referenced = _scan(db, None)
    unreferenced: list[BlobInfo] = []
    young = 0
    for org, infos in listed.items():
        ctx = TenantContext(org_id=org)
        referenced |= _scan(db, ctx)
        render_folders = _render_folders(db, ctx)
        for info in infos:
            if info.key in referenced:
                continue
            modified = blobs.modified(ctx, info.key)
            if modified is None or _kept_by_folder(info.key, org, render_folders, now, modified):
                continue
            if modified > cutoff:
                young += 1
                continue
            unreferenced.append(info)
    partials = 0
    if not dry_run:
        for info in unreferenced:
            ctx = TenantContext(org_id=uuid.UUID(info.key.split("/")[1]))
            modified = blobs.modified(ctx, info.key)  # written again since the listing: keep it
            if modified is not None and modified <= cutoff:
                blobs.delete(ctx, info.key)
        partials = blobs.remove_partials(cutoff)
        if unreferenced or partials:
            log.info(
                "collected %d unreferenced files (%d bytes) and %d partial writes",
                len(unreferenced),
                sum(b.size for b in unreferenced),
                partials,
            )
    return CollectedBlobs(
        unreferenced=unreferenced, kept_young=young, partials_removed=partials, dry_run=dry_run
    )
