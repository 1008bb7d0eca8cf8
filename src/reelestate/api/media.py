"""Signed, expiring URLs of the embedded blob store, served by the app (`/blobs/<key>`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from reelestate.api.deps import Services
from reelestate.core.errors import NotFoundError
from reelestate.storage.blobs import (
    LocalBlobStore,
    blob_url_secret,
    org_of_key,
    verify_blob_signature,
)
from reelestate.storage.context import TenantContext

router = APIRouter(tags=["media"], include_in_schema=False)


@router.get("/blobs/{key:path}")
async def blob(
    key: str,
    services: Services,
    expires: Annotated[int, Query()],
    signature: Annotated[str, Query(max_length=128)],
) -> FileResponse:
    """The file behind a signed URL; a wrong, tampered or expired signature is a plain 404."""
    store = services.blobs
    secret = blob_url_secret(services.settings)
    if not isinstance(store, LocalBlobStore) or not verify_blob_signature(
        key, expires, signature, secret
    ):
        raise NotFoundError("That link is not valid or has expired.")
    ctx = TenantContext(org_id=org_of_key(key))
    path = store.path_for_serving(ctx, key)
    info = store.stat(ctx, key)
    return FileResponse(
        path,
        media_type=info.content_type if info else None,
        headers={"Cache-Control": "private, max-age=300"},
    )
