"""S3 (or any S3-compatible service) through boto3.

Puts go to a temporary key and are copied into place, so a reader never sees a partial object and
an interrupted upload leaves only a `.tmp-` key behind (a bucket lifecycle rule should expire
those after a day). Private URLs are presigned GETs on the bucket; `CDN_BASE_URL` is only used
for `public_url`, for files an owner chose to publish.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from reelestate.core.errors import BlobRejectedError, NotFoundError, StorageError
from reelestate.core.hashing import file_sha256
from reelestate.storage.blobs.base import (
    BlobInfo,
    check_content,
    check_key,
    org_ids_of,
    org_prefix,
    temp_suffix,
)
from reelestate.storage.context import TenantContext


def _missing(exc: ClientError) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


class S3BlobStore:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        cdn_base_url: str | None = None,
        client: Any = None,
    ) -> None:
        self.bucket = bucket
        self._cdn = cdn_base_url.rstrip("/") if cdn_base_url else None
        self._s3 = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )

    def put_file(self, ctx: TenantContext, key: str, path: Path, content_type: str) -> BlobInfo:
        check_key(ctx, key)
        size = path.stat().st_size
        with path.open("rb") as fh:
            check_content(content_type, size, fh.read(16))
        sha = file_sha256(path)
        tmp_key = key + temp_suffix()
        extra = {"ContentType": content_type, "Metadata": {"sha256": sha}}
        try:
            self._s3.upload_file(str(path), self.bucket, tmp_key, ExtraArgs=extra)
            try:
                self._s3.copy_object(
                    Bucket=self.bucket,
                    Key=key,
                    CopySource={"Bucket": self.bucket, "Key": tmp_key},
                    MetadataDirective="COPY",
                )
            finally:
                self._s3.delete_object(Bucket=self.bucket, Key=tmp_key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("The file could not be stored.", hint="Try again.") from exc
        return BlobInfo(key=key, size=size, content_type=content_type, sha256=sha)

    def put_bytes(self, ctx: TenantContext, key: str, data: bytes, content_type: str) -> BlobInfo:
        check_key(ctx, key)
        check_content(content_type, len(data), data[:16])
        sha = hashlib.sha256(data).hexdigest()
        tmp_key = key + temp_suffix()
        try:
            self._s3.put_object(
                Bucket=self.bucket,
                Key=tmp_key,
                Body=data,
                ContentType=content_type,
                Metadata={"sha256": sha},
            )
            try:
                self._s3.copy_object(
                    Bucket=self.bucket,
                    Key=key,
                    CopySource={"Bucket": self.bucket, "Key": tmp_key},
                    MetadataDirective="COPY",
                )
            finally:
                self._s3.delete_object(Bucket=self.bucket, Key=tmp_key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("The file could not be stored.", hint="Try again.") from exc
        return BlobInfo(key=key, size=len(data), content_type=content_type, sha256=sha)

    def download(self, ctx: TenantContext, key: str, dest: Path) -> Path:
        check_key(ctx, key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + temp_suffix())
        try:
            self._s3.download_file(self.bucket, key, str(tmp))
            tmp.replace(dest)
        except ClientError as exc:
            if _missing(exc):
                raise NotFoundError("That file is not in storage.") from exc
            raise StorageError("The file could not be read.", hint="Try again.") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return dest

    def read_bytes(self, ctx: TenantContext, key: str) -> bytes:
        check_key(ctx, key)
        try:
            body = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                return bytes(body.read())
            finally:
                body.close()
        except ClientError as exc:
            if _missing(exc):
                raise NotFoundError("That file is not in storage.") from exc
            raise StorageError("The file could not be read.", hint="Try again.") from exc

    def _head(self, ctx: TenantContext, key: str) -> dict[str, Any] | None:
        """The object's headers, or None when there is no such object."""
        check_key(ctx, key)
        try:
            return dict(self._s3.head_object(Bucket=self.bucket, Key=key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise StorageError("The file could not be read.", hint="Try again.") from exc

    def stat(self, ctx: TenantContext, key: str) -> BlobInfo | None:
        head = self._head(ctx, key)
        if head is None:
            return None
        return BlobInfo(
            key=key,
            size=int(head["ContentLength"]),
            content_type=str(head.get("ContentType", "application/octet-stream")),
            sha256=head.get("Metadata", {}).get("sha256"),
        )

    def modified(self, ctx: TenantContext, key: str) -> datetime | None:
        head = self._head(ctx, key)
        found = head.get("LastModified") if head is not None else None
        return found if isinstance(found, datetime) else None

    def list(self, ctx: TenantContext, prefix: str) -> list[BlobInfo]:
        if not prefix.startswith(org_prefix(ctx)):
            raise BlobRejectedError("That folder does not belong to this organisation.")
        found: list[BlobInfo] = []
        paginator = self._s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                key = str(obj["Key"])
                if ".tmp-" in key.rsplit("/", 1)[-1]:
                    continue
                info = self.stat(ctx, key)
                if info is not None:
                    found.append(info)
        return found

    def delete(self, ctx: TenantContext, key: str) -> None:
        check_key(ctx, key)
        self._s3.delete_object(Bucket=self.bucket, Key=key)

    def organisations(self) -> tuple[uuid.UUID, ...]:
        names: list[str] = []
        paginator = self._s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix="org/", Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                names.append(str(common["Prefix"]).split("/")[1])
        return org_ids_of(names)

    def remove_partials(self, older_than: datetime) -> int:
        """A PUT is whole or absent, so S3 keeps no half-written files (multipart uploads that
        were abandoned are the bucket's lifecycle rule's to abort)."""
        del older_than
        return 0

    def signed_url(self, ctx: TenantContext, key: str, expires_in: int = 600) -> str:
        check_key(ctx, key)
        return str(
            self._s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
            )
        )

    def public_url(self, ctx: TenantContext, key: str) -> str | None:
        """The CDN address of a published file, or None without a CDN."""
        check_key(ctx, key)
        return f"{self._cdn}/{key}" if self._cdn else None
