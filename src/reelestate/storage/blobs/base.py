"""The blob store's contract: keys under `org/<org_id>/`, content-type and size rules, atomic puts.

Every method takes the caller's `TenantContext` and refuses keys outside that organisation's
prefix, so a key copied from another organisation (or guessed) is rejected before any I/O.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import BlobRejectedError
from reelestate.storage.context import TenantContext

MB = 1024 * 1024
CONTENT_TYPE_LIMITS: dict[str, int] = {
    "image/jpeg": 40 * MB,
    "image/png": 40 * MB,
    "image/webp": 40 * MB,
    "video/mp4": 2048 * MB,
    "video/quicktime": 2048 * MB,
    "audio/mpeg": 200 * MB,
    "audio/wav": 200 * MB,
    "audio/mp4": 200 * MB,
    "audio/aac": 200 * MB,
    "audio/ogg": 200 * MB,
    "audio/flac": 200 * MB,
    "application/x-subrip": 2 * MB,
    "text/vtt": 2 * MB,
    "font/ttf": 20 * MB,
    "font/otf": 20 * MB,
    "application/json": 10 * MB,
}
"""What the product stores, and the largest file of each type it accepts."""

EXTENSION_TYPES: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".json": "application/json",
}
EMPTY_ALLOWED = frozenset({"application/x-subrip", "text/vtt"})
"""A video without captions has an empty subtitle file, and that is a valid file."""
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_KEY_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=-]{0,127}$")
MAX_KEY_LENGTH = 512


class BlobInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    size: int
    content_type: str
    sha256: str | None = None


def org_prefix(ctx: TenantContext) -> str:
    return f"org/{ctx.org_id}/"


def blob_key(ctx: TenantContext, *parts: str) -> str:
    """`org/<org_id>/<parts...>`, each part checked so no key escapes its organisation."""
    for part in parts:
        if not _KEY_PART.match(part):
            raise BlobRejectedError(f"{part!r} cannot be part of a file name in storage.")
    return org_prefix(ctx) + "/".join(parts)


def check_key(ctx: TenantContext, key: str) -> str:
    """Refuse any key that is not a well-formed key of `ctx`'s organisation."""
    prefix = org_prefix(ctx)
    if len(key) > MAX_KEY_LENGTH or not key.startswith(prefix):
        raise BlobRejectedError("That file does not belong to this organisation.")
    parts = key[len(prefix) :].split("/")
    if not parts or not all(_KEY_PART.match(p) and p not in {".", ".."} for p in parts):
        raise BlobRejectedError("That file name is not allowed in storage.")
    return key


def guess_content_type(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    content_type = EXTENSION_TYPES.get(suffix)
    if content_type is None:
        raise BlobRejectedError(
            f"Files of type {suffix or '(none)'} cannot be stored.",
            hint="Use JPEG or PNG photos, MP4 video, MP3/WAV/M4A audio, or TTF/OTF fonts.",
        )
    return content_type


def check_content(content_type: str, size: int, head: bytes) -> None:
    """Refuse unknown types, oversize files and images whose first bytes contradict their type."""
    limit = CONTENT_TYPE_LIMITS.get(content_type)
    if limit is None:
        raise BlobRejectedError(f"Files of type {content_type} cannot be stored.")
    if size > limit:
        raise BlobRejectedError(
            f"The file is {size / MB:.1f} MB; the limit for {content_type} is {limit // MB} MB."
        )
    if size == 0 and content_type not in EMPTY_ALLOWED:
        raise BlobRejectedError("The file is empty.")
    magic = _MAGIC.get(content_type)
    if magic and not head.startswith(magic):
        raise BlobRejectedError(f"The file's contents are not {content_type}.")


def temp_suffix() -> str:
    return f".tmp-{uuid.uuid4().hex}"


class BlobStore(Protocol):
    """Local folder or S3; the same behaviour, tested against both."""

    def put_file(self, ctx: TenantContext, key: str, path: Path, content_type: str) -> BlobInfo: ...

    def put_bytes(
        self, ctx: TenantContext, key: str, data: bytes, content_type: str
    ) -> BlobInfo: ...

    def download(self, ctx: TenantContext, key: str, dest: Path) -> Path: ...

    def read_bytes(self, ctx: TenantContext, key: str) -> bytes: ...

    def stat(self, ctx: TenantContext, key: str) -> BlobInfo | None: ...

    def list(self, ctx: TenantContext, prefix: str) -> list[BlobInfo]: ...

    def delete(self, ctx: TenantContext, key: str) -> None: ...

    def modified(self, ctx: TenantContext, key: str) -> datetime | None:
        """When the file was last written (UTC), None when it is not there: the age garbage
        collection measures."""
        ...

    def organisations(self) -> tuple[uuid.UUID, ...]:
        """The organisations that have files here (for collecting unreferenced ones)."""
        ...

    def remove_partials(self, older_than: datetime) -> int:
        """Remove half-written files a killed writer left, last touched before `older_than`."""
        ...

    def signed_url(self, ctx: TenantContext, key: str, expires_in: int = 600) -> str: ...

    def public_url(self, ctx: TenantContext, key: str) -> str | None: ...


def org_ids_of(names: list[str]) -> tuple[uuid.UUID, ...]:
    """The organisation ids among folder names under `org/` (anything else is ignored)."""
    found: list[uuid.UUID] = []
    for name in names:
        try:
            found.append(uuid.UUID(name))
        except ValueError:
            continue
    return tuple(sorted(found))


def org_of_key(key: str) -> uuid.UUID:
    """The organisation a key belongs to (used after a signed URL's signature has been checked)."""
    parts = key.split("/", 2)
    if len(parts) < 3 or parts[0] != "org":
        raise BlobRejectedError("That is not a storage key.")
    try:
        return uuid.UUID(parts[1])
    except ValueError as exc:
        raise BlobRejectedError("That is not a storage key.") from exc
