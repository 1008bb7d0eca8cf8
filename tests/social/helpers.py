"""Builders for the publishing tests: an organisation with a connected Page, a finished
render in the blob store, and a server handing out the store's signed URLs as the app does."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from reelestate.core.settings import Settings
from reelestate.services.publishing import PublishingService
from reelestate.storage.blobs import BlobStore
from reelestate.storage.blobs.signing import URL_PATH_PREFIX, verify_blob_signature
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import JobKind, JobQueue, JobStatus, RenderJob, utcnow
from reelestate.storage.repositories.organisations import OrganisationsRepository

TOKEN = "PAGE-TOKEN"


@contextmanager
def blob_server(root: Path, secret: bytes) -> Iterator[str]:
    """Serves `/blobs/<key>?expires=&signature=` from the embedded store's folder."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            key = unquote(parts.path[len(URL_PATH_PREFIX) :])
            query = parse_qs(parts.query)
            ok = verify_blob_signature(key, int(query["expires"][0]), query["signature"][0], secret)
            path = root / key
            if not ok or not path.is_file():
                self.send_response(403)
                self.end_headers()
                return
            data = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def new_connected_org(svc: PublishingService, *, time_zone: str = "UTC") -> TenantContext:
    slug = f"org-{uuid.uuid4().hex[:10]}"
    ctx = OrganisationsRepository(svc.db).create(f"Agency {slug}", slug)
    if time_zone != "UTC":
        from reelestate.storage.models import Organization  # noqa: PLC0415

        with svc.db.tenant(ctx) as session:
            org = session.get(Organization, ctx.org_id)
            assert org is not None
            org.time_zone = time_zone
    svc.connect(ctx, page_id="1001", page_token=TOKEN, instagram_id="17841")
    return ctx


def finished_render(
    db: Database, blobs: BlobStore, ctx: TenantContext, video: Path, *, size: tuple[int, int]
) -> uuid.UUID:
    job_id = uuid.uuid4()
    key = f"org/{ctx.org_id}/renders/{job_id}/video.mp4"
    info = blobs.put_file(ctx, key, video, "video/mp4")
    with db.tenant(ctx) as session:
        session.add(
            RenderJob(
                id=job_id,
                organization_id=ctx.org_id,
                kind=JobKind.RENDER_VIDEO,
                queue=JobQueue.CPU,
                status=JobStatus.SUCCEEDED,
                stage="done",
                percent=100.0,
                attempts=1,
                max_attempts=3,
                input_hash=uuid.uuid4().hex,
                payload={},
                credits=0,
                outputs={"video": info.model_dump(), "width": size[0], "height": size[1]},
                event_seq=0,
                dispatch_count=0,
                cancel_requested=False,
                finished_at=utcnow(),
            )
        )
    return job_id


def settings_for(data_dir: Path, graph_url: str, public_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "REELESTATE_DATA_DIR": data_dir,
        "META_GRAPH_URL": graph_url,
        "REELESTATE_PUBLIC_URL": public_url,
        "REELESTATE_PUBLISH_POLL_S": 0.01,
        "REELESTATE_PUBLISH_WAIT_S": 10,
        "REELESTATE_JOB_RETRY_BASE_S": 0.05,
        **extra,
    }
    return Settings(**values)  # type: ignore[arg-type]
