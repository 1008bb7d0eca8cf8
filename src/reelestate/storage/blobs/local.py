"""The embedded blob store: a folder, with atomic renames and a JSON sidecar per file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

from reelestate.core.errors import BlobRejectedError, NotFoundError
from reelestate.storage.blobs.base import (
    BlobInfo,
    check_content,
    check_key,
    org_ids_of,
    org_prefix,
    temp_suffix,
)
from reelestate.storage.blobs.signing import sign_blob_url
from reelestate.storage.context import TenantContext

_META = ".meta.json"


class LocalBlobStore:
    def __init__(self, root: Path, secret: bytes, *, base_url: str = "") -> None:
        self.root = root
        self._secret = secret
        self._base_url = base_url

    def _path(self, ctx: TenantContext, key: str) -> Path:
        return self.root / check_key(ctx, key)

    def put_file(self, ctx: TenantContext, key: str, path: Path, content_type: str) -> BlobInfo:
        dest = self._path(ctx, key)
        size = path.stat().st_size
        with path.open("rb") as fh:
            check_content(content_type, size, fh.read(16))
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + temp_suffix())
        digest = hashlib.sha256()
        try:
            with path.open("rb") as src, tmp.open("wb") as out:
                while chunk := src.read(1024 * 1024):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            info = BlobInfo(
                key=key, size=size, content_type=content_type, sha256=digest.hexdigest()
            )
            meta_tmp = dest.with_name(dest.name + _META + temp_suffix())
            meta_tmp.write_text(info.model_dump_json(), encoding="utf-8")
            meta_tmp.replace(dest.with_name(dest.name + _META))
            tmp.replace(dest)
        finally:
            tmp.unlink(missing_ok=True)
        return info

    def put_bytes(self, ctx: TenantContext, key: str, data: bytes, content_type: str) -> BlobInfo:
        check_content(content_type, len(data), data[:16])
        dest = self._path(ctx, key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = dest.with_name(dest.name + temp_suffix())
        try:
            staging.write_bytes(data)
            return self.put_file(ctx, key, staging, content_type)
        finally:
            staging.unlink(missing_ok=True)

    def download(self, ctx: TenantContext, key: str, dest: Path) -> Path:
        src = self._path(ctx, key)
        if not src.is_file():
            raise NotFoundError("That file is not in storage.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + temp_suffix())
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
        return dest

    def read_bytes(self, ctx: TenantContext, key: str) -> bytes:
        src = self._path(ctx, key)
        if not src.is_file():
            raise NotFoundError("That file is not in storage.")
        return src.read_bytes()

    def stat(self, ctx: TenantContext, key: str) -> BlobInfo | None:
        path = self._path(ctx, key)
        meta = path.with_name(path.name + _META)
        if not path.is_file() or not meta.is_file():
            return None
        return BlobInfo.model_validate(json.loads(meta.read_text(encoding="utf-8")))

    def modified(self, ctx: TenantContext, key: str) -> datetime | None:
        try:
            return datetime.fromtimestamp(self._path(ctx, key).stat().st_mtime, UTC)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def list(self, ctx: TenantContext, prefix: str) -> list[BlobInfo]:
        if not prefix.startswith(org_prefix(ctx)):
            raise BlobRejectedError("That folder does not belong to this organisation.")
        base = self.root / org_prefix(ctx)
        found: list[BlobInfo] = []
        if not base.exists():
            return found
        for path in sorted(base.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and key.startswith(prefix) and ".tmp-" not in path.name:
                if path.name.endswith(_META):
                    continue
                info = self.stat(ctx, key)
                if info is not None:
                    found.append(info)
        return found

    def delete(self, ctx: TenantContext, key: str) -> None:
        path = self._path(ctx, key)
        path.unlink(missing_ok=True)
        path.with_name(path.name + _META).unlink(missing_ok=True)

    def organisations(self) -> tuple[uuid.UUID, ...]:
        base = self.root / "org"
        if not base.is_dir():
            return ()
        return org_ids_of([p.name for p in base.iterdir() if p.is_dir()])

    def remove_partials(self, older_than: datetime) -> int:
        """`.tmp-` files of writes that never reached their rename (the writer was killed)."""
        base = self.root / "org"
        removed = 0
        if not base.is_dir():
            return removed
        limit = older_than.timestamp()
        for path in base.rglob("*.tmp-*"):
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def signed_url(self, ctx: TenantContext, key: str, expires_in: int = 600) -> str:
        check_key(ctx, key)
        return sign_blob_url(key, self._secret, expires_in=expires_in, base_url=self._base_url)

    def path_for_serving(self, ctx: TenantContext, key: str) -> Path:
        """The file behind a verified signed URL (the app checks the signature first)."""
        path = self._path(ctx, key)
        if not path.is_file():
            raise NotFoundError("That file is not in storage.")
        return path

    def public_url(self, ctx: TenantContext, key: str) -> str | None:
        """The embedded store publishes nothing without a signature."""
        check_key(ctx, key)
        return None
