"""A brand kit's presenter photo: the agent's headshot the talking presenter is made from.

The photo is checked for one frontal face (OpenCV, `check_presenter_photo`) when it arrives,
from the chat, the bot or REST alike, so a group photo or a logo is refused with the reason
there and then, never after a paid provider call. It is stored as a blob of the organisation
and its key kept in the kit's data under `presenter_photo`.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from reelestate.core.errors import PhotoError
from reelestate.providers.avatar.face import check_presenter_photo
from reelestate.storage.blobs import BlobStore, blob_key, check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import BrandKitsRepository
from reelestate.storage.schemas import BrandKitView

FIELD = "presenter_photo"
TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def kit_presenter_key(ctx: TenantContext, data: dict[str, Any] | None) -> str | None:
    """The kit's presenter photo as a blob key of the organisation (None: the kit has none)."""
    key = (data or {}).get(FIELD)
    return check_key(ctx, key) if isinstance(key, str) and key else None


def store_presenter_photo(
    db: Database,
    blobs: BlobStore,
    ctx: TenantContext,
    kit_id: uuid.UUID,
    path: Path,
    *,
    name: str | None = None,
) -> BrandKitView:
    """`path` checked for one frontal face and made the kit's presenter photo.

    Raises `PhotoError` with the reason (no face, several faces, a face too small, not a photo)
    and leaves the kit as it was."""
    repo = BrandKitsRepository(db)
    kit = repo.get(ctx, kit_id)
    shown = name or path.name
    content_type = TYPES.get(path.suffix.lower())
    if content_type is None:
        raise PhotoError(f"{shown} is not a JPEG, PNG or WebP photo.")
    try:
        check_presenter_photo(path)
    except PhotoError as exc:
        raise PhotoError(exc.message.replace(path.name, shown), hint=exc.hint) from exc
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    key = blob_key(ctx, "media", sha[:40] + path.suffix.lower())
    if blobs.stat(ctx, key) is None:
        blobs.put_file(ctx, key, path, content_type)
    return repo.update(ctx, kit_id, name=None, data={**kit.data, FIELD: key})


def remove_presenter_photo(db: Database, ctx: TenantContext, kit_id: uuid.UUID) -> BrandKitView:
    """The kit without a presenter photo (presenters then ask for one)."""
    repo = BrandKitsRepository(db)
    kit = repo.get(ctx, kit_id)
    data = {k: v for k, v in kit.data.items() if k != FIELD}
    return repo.update(ctx, kit_id, name=None, data=data)


DEFAULT_KIT = "My brand kit"


def set_presenter_photo(
    db: Database,
    blobs: BlobStore,
    ctx: TenantContext,
    path: Path,
    *,
    name: str,
    kit_name: str | None = None,
) -> str:
    """A photo sent in a conversation made the presenter of a kit; the sentence to answer.

    The kit is the one the conversation uses (`kit_name`), else the organisation's first,
    else a new one, so "use this as my presenter photo" works before any kit was set up.
    Raises `PhotoError` with the reason when the photo cannot present."""
    repo = BrandKitsRepository(db)
    kits = repo.all(ctx)
    kit = next((k for k in kits if k.name == kit_name), None) or (kits[0] if kits else None)
    if kit is None:
        kit = repo.create(ctx, DEFAULT_KIT, {})
    store_presenter_photo(db, blobs, ctx, kit.id, path, name=name)
    return (
        f"{name} is now the presenter photo of the brand kit {kit.name}. "
        "Say *add me as a presenter in the corner* to put it on the next video."
    )


def find_presenter_photo(
    db: Database, ctx: TenantContext, kit_name: str | None = None
) -> str | None:
    """The presenter photo a conversation's presenter is made from, as a blob key.

    The kit the conversation uses (`kit_name`) when it has one, else the first kit of the
    organisation that has one, the way `set_presenter_photo` chose where to keep it."""
    kits = BrandKitsRepository(db).all(ctx)
    named = [k for k in kits if k.name == kit_name]
    for kit in [*named, *kits]:
        key = kit_presenter_key(ctx, kit.data)
        if key is not None:
            return key
    return None
