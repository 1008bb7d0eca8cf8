"""Finding an earlier listing by its address as people say it, and bringing its photos along.

"12 Oak St", "12 oak street" and "12 Oak St., Austin" name the same listing: words are compared
after the usual street abbreviations are folded, and every word said must be in the address.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import InvalidInputError
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import MediaKind
from reelestate.storage.repositories.media_library import MediaLibraryRepository, MediaQuery
from reelestate.storage.schemas import MediaView

_FOLD = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "boulevard": "blvd",
    "court": "ct",
    "place": "pl",
    "terrace": "ter",
    "circle": "cir",
    "highway": "hwy",
    "parkway": "pkwy",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_NOISE = {"the", "listing", "house", "home", "property", "one", "at", "on", "in", "from", "of"}


class Listing(BaseModel):
    """A project with photos, as the library names it."""

    model_config = ConfigDict(frozen=True)

    project_id: uuid.UUID
    title: str
    address: str | None
    photos: int

    @property
    def name(self) -> str:
        return self.address or self.title


def address_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [_FOLD.get(w, w) for w in words if w not in _NOISE]


def matching_listings(said: str, listings: list[Listing]) -> list[Listing]:
    """The listings whose address (or title) holds every word of `said`."""
    wanted = address_words(said)
    if not wanted:
        return []
    found = []
    for listing in listings:
        words = set(address_words(f"{listing.title} {listing.address or ''}"))
        if all(w in words for w in wanted):
            found.append(listing)
    return found


def listings(db: Database, ctx: TenantContext) -> list[Listing]:
    return [
        Listing(project_id=pid, title=title, address=address, photos=count)
        for pid, title, address, count in MediaLibraryRepository(db).listings(ctx)
    ]


def listing_photos(
    db: Database, ctx: TenantContext, project_id: uuid.UUID, *, room: str | None = None
) -> list[MediaView]:
    """The listing's photos, oldest first (the order they were sent in)."""
    items, _ = MediaLibraryRepository(db).search(
        ctx,
        MediaQuery(project_id=project_id, room=room, kind=MediaKind.PHOTO),
        limit=200,
    )
    return [item.media for item in reversed(items)]


def fetch_photos(
    blobs: BlobStore, ctx: TenantContext, photos: list[MediaView], folder: Path, start: int
) -> list[Path]:
    """Local copies of stored photos, numbered after the `start` photos already there."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, photo in enumerate(photos, start=start + 1):
        suffix = Path(photo.blob_key).suffix or ".jpg"
        target = folder / f"{number:03d}-library{suffix}"
        blobs.download(ctx, photo.blob_key, target)
        paths.append(target.resolve())
    return paths


def date_range(
    start: str | None, end: str | None, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """`from` and `to` as the organisation's local dates or times; a `to` that is only a date
    includes that whole day."""
    return _when(start, zone, whole_day=False), _when(end, zone, whole_day=True)


def _when(text: str | None, zone: ZoneInfo, *, whole_day: bool) -> datetime | None:
    if not text or not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInputError(
            f"{text!r} is not a date.", hint="Write it like 2026-12-01 or 2026-12-01T09:00."
        ) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    if whole_day and len(text.strip()) == 10:
        when += timedelta(days=1)
    return when
