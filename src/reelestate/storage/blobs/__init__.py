"""Blob storage: one interface, a local folder (embedded) or S3."""

from __future__ import annotations

from reelestate.core.settings import Settings, get_settings
from reelestate.storage.blobs.base import (
    BlobInfo,
    BlobStore,
    blob_key,
    check_key,
    guess_content_type,
    org_of_key,
)
from reelestate.storage.blobs.local import LocalBlobStore
from reelestate.storage.blobs.s3 import S3BlobStore
from reelestate.storage.blobs.signing import blob_url_secret, sign_blob_url, verify_blob_signature


def open_blob_store(settings: Settings | None = None) -> BlobStore:
    """S3 when `S3_BUCKET` is set, the local folder under the data dir otherwise."""
    settings = settings or get_settings()
    if settings.s3_bucket:
        return S3BlobStore(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            cdn_base_url=settings.cdn_base_url,
        )
    return LocalBlobStore(settings.blobs_dir, blob_url_secret(settings))


__all__ = [
    "BlobInfo",
    "BlobStore",
    "LocalBlobStore",
    "S3BlobStore",
    "blob_key",
    "blob_url_secret",
    "check_key",
    "guess_content_type",
    "open_blob_store",
    "org_of_key",
    "sign_blob_url",
    "verify_blob_signature",
]
