"""The media library's search over uploads and finished renders at once, on PostgreSQL (with
row-level security) and SQLite: one page order across both tables, the kind, text, project and
date filters on both, and another organisation's files never in it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from reelestate.core.jobs import JobKind, JobQueue, JobStatus
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Media, MediaKind, Project, RenderJob
from reelestate.storage.repositories.media_library import MediaLibraryRepository, MediaQuery
from tests.storage.factories import new_org

NOW = datetime.now(UTC)


def _fill(db: Database, ctx: TenantContext, street: str) -> dict[str, uuid.UUID]:
    """A project with a photo (2 days old) and a finished 9:16 video (1 day old), a newer
    preview and a failed render that are not library files."""
    ids = {name: uuid.uuid4() for name in ("project", "photo", "video", "preview", "failed")}
    with db.tenant(ctx) as session:
        session.add(Project(id=ids["project"], organization_id=ctx.org_id, title=street,
                            facts={"address": street, "city": "Bend"}))  # fmt: skip
        session.flush()
        session.add(
            Media(
                id=ids["photo"],
                organization_id=ctx.org_id,
                project_id=ids["project"],
                kind=MediaKind.PHOTO,
                blob_key=f"org/{ctx.org_id}/media/a.jpg",
                content_type="image/jpeg",
                size_bytes=10,
                sha256="0" * 64,
                filename="front.jpg",
                created_at=NOW - timedelta(days=2),
            )
        )
        for name, kind, status in (
            ("video", JobKind.RENDER_VIDEO, JobStatus.SUCCEEDED),
            ("preview", JobKind.RENDER_PREVIEW, JobStatus.SUCCEEDED),
            ("failed", JobKind.RENDER_VIDEO, JobStatus.FAILED),
        ):
            video = {"key": f"org/{ctx.org_id}/renders/{name}.mp4", "size": 99,
                     "content_type": "video/mp4"}  # fmt: skip
            session.add(
                RenderJob(
                    id=ids[name],
                    organization_id=ctx.org_id,
                    project_id=ids["project"],
                    kind=kind,
                    queue=JobQueue.CPU,
                    status=status,
                    input_hash=uuid.uuid4().hex,
                    outputs={"video": video, "width": 720, "height": 1280, "duration": 12.5},
                    finished_at=NOW - timedelta(days=1 if name == "video" else 0),
                )
            )
    return ids


def test_uploads_and_finished_videos_page_together(db: Database) -> None:
    mine, theirs = new_org(db), new_org(db)
    ids = _fill(db, mine, "12 Oak St")
    _fill(db, theirs, "12 Oak St")
    library = MediaLibraryRepository(db)

    def found(**query: object) -> list[uuid.UUID]:
        items, total = library.search(mine, MediaQuery.model_validate(query))
        assert total == len(items)
        return [i.media.id for i in items]

    assert found() == [ids["video"], ids["photo"]], "newest first across both tables"
    items, _ = library.search(mine, MediaQuery())
    video = items[0]
    assert video.source == "render" and video.media.kind == MediaKind.VIDEO
    assert video.render is not None and video.render.aspect == "9:16"
    assert video.render.duration_s == 12.5 and video.address == "12 Oak St, Bend"
    assert video.media.blob_key.endswith("/video.mp4") and video.media.size_bytes == 99
    assert items[1].source == "upload" and items[1].render is None
    assert found(kind=MediaKind.VIDEO) == [ids["video"]]
    assert found(kind=MediaKind.PHOTO) == [ids["photo"]]
    assert found(text="oak bend") == [ids["video"], ids["photo"]]
    assert found(text="cedar") == []
    assert found(project_id=ids["project"]) == [ids["video"], ids["photo"]]
    assert found(start=NOW - timedelta(hours=36)) == [ids["video"]]
    assert found(end=NOW - timedelta(hours=36)) == [ids["photo"]]
    assert found(room="kitchen") == []
    page, total = library.search(mine, MediaQuery(), offset=1, limit=1)
    assert [i.media.id for i in page] == [ids["photo"]] and total == 2
