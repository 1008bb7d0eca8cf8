"""A brand kit's logo sent in the chat: checked when it arrives, stored like a REST upload.

The checks are the REST logo upload's (at most 5 MB, a readable image at least 16 pixels on its
short side, no decompression bomb) with the format read from the file itself, so a HEIC or a
GIF renamed `.png` is refused with the reason there and then, not when a render needs it. The
stored blob is named by its content under `media/`, like REST uploads, and its key kept in the
kit's data under `logo`, where renders read it (`brand_data`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import load_photo
from reelestate.storage.blobs import BlobStore, blob_key
from reelestate.storage.context import TenantContext
from reelestate.storage.models import utcnow

FIELD = "logo"
LIMIT_MB = 5
MIN_SIDE = 16
TYPES = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
}
_MB = 1024 * 1024


@dataclass(frozen=True)
class LogoFile:
    """A checked logo, held in memory (at most `LIMIT_MB`) until its kit is stored."""

    name: str
    content_type: str
    suffix: str
    data: bytes


def check_logo(path: Path, *, name: str, max_pixels: int) -> LogoFile:
    """`path` as a logo, or `PhotoError` naming the file and the reason."""
    if path.stat().st_size > LIMIT_MB * _MB:
        raise PhotoError(f"{name} is larger than {LIMIT_MB} MB.", hint="Send a smaller file.")
    try:
        load_photo(path, max_side=256, min_short_side=MIN_SIDE, max_pixels=max_pixels)
    except PhotoError as exc:
        message = exc.message.replace(path.name, name)
        raise PhotoError(
            message if name in message else f"{name}: {message}", hint=exc.hint
        ) from exc
    with Image.open(path) as img:
        found = TYPES.get(img.format or "")
    if found is None:
        raise PhotoError(
            f"{name} is not a PNG, JPEG or WebP image.",
            hint="Send the logo as a PNG (best with a transparent background), JPEG or WebP.",
        )
    return LogoFile(name=name, content_type=found[0], suffix=found[1], data=path.read_bytes())


def store_logo(blobs: BlobStore, ctx: TenantContext, logo: LogoFile, *, gc_grace_s: float) -> str:
    """The logo in the organisation's blob store; its key, for the kit's `logo`.

    A copy already there is reused only when young: an older one may be an unreferenced file
    the collector is about to remove, so it is written again (same bytes, fresh age)."""
    sha = hashlib.sha256(logo.data).hexdigest()
    key = blob_key(ctx, "media", sha[:40] + logo.suffix)
    written = blobs.modified(ctx, key)
    if written is None or written <= utcnow() - timedelta(seconds=gc_grace_s / 2):
        blobs.put_bytes(ctx, key, logo.data, logo.content_type)
    return key
