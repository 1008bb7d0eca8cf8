"""Stored storyboards: the version rows every render job reads, revised and stored here.

A stored version keeps two things: `spec`, the resolved render input (files as blob keys, what a
render job reads), and `plan`, the editable storyboard it came from (history of versions,
script, listing), so an operation can make the next version without any local files. Versions
are only ever added (`store_version`), never changed.

The REST API revises through the `async` entry point, which does its database work in a worker
thread (version 1 is planned in `storyboard_planning`). The chat keeps its versions through
`storyboard_store`, and stores the spec of each render it sends to the job queue, files in the
blob store, as the next version of the same storyboard with `store_rendered_spec`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from reelestate.core.blocking import in_worker_thread
from reelestate.core.errors import InvalidInputError, StaleVersionError
from reelestate.core.settings import Settings
from reelestate.providers.video_gen.registry import video_models
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.render.spec import BrandKit, RenderSpec, load_spec
from reelestate.services import storyboard_flow as flow
from reelestate.services.brand_kits import brand_data, kit_data
from reelestate.storage.blobs import BlobStore, check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import (
    MediaRepository,
    ProjectsRepository,
    StoryboardsRepository,
)
from reelestate.storage.schemas import StoryboardVersionView
from reelestate.tools.listing import Listing, parse_listing
from reelestate.tools.script_model import Script
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_ops import parse_op
from reelestate.workers.assets import check_spec_files, store_spec_files


class StoryboardServices(Protocol):
    """What planning needs of the app: its database, blob store, photo analyser and limits."""

    @property
    def settings(self) -> Settings: ...

    @property
    def db(self) -> Database: ...

    @property
    def blobs(self) -> BlobStore: ...

    @property
    def analyser(self) -> Callable[[], PhotoAnalyser]: ...


class StoredPlan(BaseModel):
    """The editable storyboard a version row keeps beside its spec."""

    model_config = ConfigDict(frozen=True)

    history: StoryboardHistory
    script: Script
    listing: Listing

    def data(self) -> dict[str, Any]:
        return {
            "history": self.history.model_dump(mode="json"),
            "script": self.script.model_dump(mode="json"),
            "listing": self.listing.model_dump(mode="json"),
        }

    @classmethod
    def of(cls, version: StoryboardVersionView) -> StoredPlan:
        if not version.plan:
            raise InvalidInputError(
                "This storyboard was imported as a finished spec and cannot be revised here.",
                hint="Plan a new storyboard from the project's photos.",
            )
        return cls(
            history=StoryboardHistory.model_validate(version.plan["history"]),
            script=Script.model_validate(version.plan["script"]),
            listing=parse_listing(version.plan["listing"]),
        )


def spec_data(ctx: TenantContext, spec: RenderSpec, brand: dict[str, Any] | None) -> dict[str, Any]:
    """`spec` as a row stores it, its brand taken from the kit's data when there is a kit."""
    data = spec.model_dump(mode="json")
    if brand is not None:
        data["brand"] = brand_data(ctx, brand)
    return data


def store_version(
    db: Database,
    ctx: TenantContext,
    storyboard_id: uuid.UUID,
    spec: dict[str, Any],
    *,
    author: str,
    reason: str,
    media_ids: Sequence[uuid.UUID | None],
    plan: StoredPlan | None = None,
    expect_version: int | None = None,
) -> StoryboardVersionView:
    """Add the next version row of a storyboard (files in `spec` are blob keys)."""
    return StoryboardsRepository(db).add_version(
        ctx,
        storyboard_id,
        spec,
        author=author,
        reason=reason,
        media_ids=list(media_ids),
        plan=None if plan is None else plan.data(),
        expect_version=expect_version,
    )


def store_rendered_spec(
    db: Database,
    blobs: BlobStore,
    ctx: TenantContext,
    spec: RenderSpec,
    *,
    project_id: uuid.UUID | None,
    brand: dict[str, Any] | None,
    captions: bool | None,
    author: str,
    reason: str,
    of_version: uuid.UUID | None = None,
) -> StoryboardVersionView:
    """A finished spec with local files (a chat render) as the next version of a storyboard.

    The files go to the blob store. With `of_version` (the stored version the spec was made
    from) the spec becomes the next version of that storyboard, keeping its plan; otherwise of
    the project's storyboard, and without `project_id` of a project of its own.
    """
    boards = StoryboardsRepository(db)
    plan: StoredPlan | None = None
    if of_version is not None:
        source = boards.version(ctx, of_version)
        board = boards.get(ctx, source.storyboard_id)
        project_id = board.project_id
        plan = StoredPlan.of(source) if source.plan else None
    else:
        if project_id is None:
            facts = spec.facts.model_dump(mode="json") if spec.facts else {}
            project_id = ProjectsRepository(db).create(ctx, spec.title or "Listing", facts).id
        existing = boards.for_project(ctx, project_id)
        board = existing[0] if existing else boards.create(ctx, project_id, spec.title)
    if brand is not None:
        spec = spec.model_copy(update={"brand": BrandKit()})
    presenter: dict[str, Any] | None = None
    if spec.presenter is not None and not spec.presenter.photo.is_file():
        # The brand kit's presenter photo, named by its blob key: kept as the key.
        presenter = {
            **spec.presenter.model_dump(mode="json"),
            "photo": check_key(ctx, str(spec.presenter.photo)),
        }
        spec = spec.model_copy(update={"presenter": None})
    data, scene_media = store_spec_files(spec, ctx, blobs, MediaRepository(db), project_id)
    if presenter is not None:
        data["presenter"] = presenter
    if brand is not None:
        data["brand"] = brand_data(ctx, brand)
    if captions is not None:
        data["flags"] = {**(data.get("flags") or {}), "captions": captions}
    return store_version(
        db, ctx, board.id, data, author=author, reason=reason, media_ids=scene_media, plan=plan
    )


@in_worker_thread
def revise(
    services: StoryboardServices,
    ctx: TenantContext,
    storyboard_id: uuid.UUID,
    operations: list[dict[str, Any]],
    *,
    expect_version: int,
    author: str,
    reason: str | None,
) -> StoryboardVersionView:
    """The next version: the current one changed by `operations`, if it is `expect_version`."""
    boards = StoryboardsRepository(services.db)
    board = boards.get(ctx, storyboard_id)
    if board.current_version != expect_version:
        raise StaleVersionError(
            f"The storyboard is at version {board.current_version}, not {expect_version}.",
            hint="Fetch the latest version and apply your change to it.",
        )
    stored = StoredPlan.of(boards.numbered(ctx, storyboard_id, board.current_version))
    parsed = [parse_op(op) for op in operations]
    history = flow.revise(
        stored.history, parsed, author=author, reason=reason, models=video_models(services.settings)
    )
    project = ProjectsRepository(services.db).get(ctx, board.project_id)
    brand = kit_data(services.db, ctx, project.brand_kit_id)
    spec = flow.render_spec(history.current, stored.listing, stored.script, brand=BrandKit())
    photos = {
        m.blob_key: m.id for m in MediaRepository(services.db).for_project(ctx, board.project_id)
    }
    return store_version(
        services.db,
        ctx,
        storyboard_id,
        spec_data(ctx, spec, brand),
        author=author,
        reason=reason or "; ".join(op.op for op in parsed),
        media_ids=[photos.get(str(s.photo)) for s in history.current.scenes],
        plan=stored.model_copy(update={"history": history}),
        expect_version=expect_version,
    )


@in_worker_thread
def import_storyboard(
    db: Database, blobs: BlobStore, ctx: TenantContext, path: Path, *, title: str | None = None
) -> StoryboardVersionView:
    """A storyboard JSON file (paths relative to it) stored as a project, storyboard and
    version, its files uploaded to the blob store: how a finished spec enters the job queue."""
    spec = load_spec(path)
    check_spec_files(spec, path)
    project = ProjectsRepository(db).create(
        ctx, title or spec.title or path.stem, spec.facts.model_dump() if spec.facts else {}
    )
    data, scene_media = store_spec_files(spec, ctx, blobs, MediaRepository(db), project.id)
    board = StoryboardsRepository(db).create(ctx, project.id, spec.title)
    return store_version(
        db, ctx, board.id, data, author="import", reason=f"imported {path.name}",
        media_ids=scene_media,
    )  # fmt: skip
