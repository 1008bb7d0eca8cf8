"""Photos and music tracks fetched from Telegram through `getFile`, with the size checked before
and after."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from telegram import Audio, Bot, Document, Message, PhotoSize

from reelestate.bots.telegram.albums import IncomingPhoto
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.config import MB
from reelestate.core.errors import MusicTrackError, PhotoError
from reelestate.core.filenames import safe_name

IMAGE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
}
_NAME_UNSAFE = re.compile(r"[^\w .()'&-]+")
"""What may not stay in a track's file name, which is also the name the user is shown."""
PARALLEL_DOWNLOADS = 4


def photo_of(message: Message) -> IncomingPhoto | None:
    """The best version of the photo in `message`: the file itself when sent as a document
    (uncompressed), otherwise the largest size Telegram made."""
    document: Document | None = message.document
    if document is not None:
        suffix = IMAGE_TYPES.get(document.mime_type or "")
        if suffix is None:
            return None
        stem = Path(document.file_name or "").stem or document.file_unique_id
        return IncomingPhoto(
            file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_size=document.file_size,
            file_name=safe_name(stem)[:60] + suffix,
            as_document=True,
            media_group_id=message.media_group_id,
        )
    if message.photo:
        best: PhotoSize = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return IncomingPhoto(
            file_id=best.file_id,
            file_unique_id=best.file_unique_id,
            file_size=best.file_size,
            file_name=f"photo-{safe_name(best.file_unique_id)}.jpg",
            as_document=False,
            media_group_id=message.media_group_id,
        )
    return None


def check_size(photo: IncomingPhoto, limit: int) -> None:
    if photo.file_size is not None and photo.file_size > limit:
        raise PhotoError(
            f"{photo.file_name} is {photo.file_size / MB:.0f} MB; the bot can fetch files up "
            f"to {limit / MB:.0f} MB.",
            hint="Send it as a smaller photo (not as a file), or upload it in the web app.",
        )


async def download_photos(
    bot: Bot, photos: list[IncomingPhoto], folder: Path, *, limit: int, calls: TelegramCalls
) -> list[Path]:
    """Download every photo into `folder`, in the order they were sent."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    gate = asyncio.Semaphore(PARALLEL_DOWNLOADS)

    async def fetch(index: int, photo: IncomingPhoto) -> Path:
        check_size(photo, limit)
        target = folder / f"{index:03d}-{photo.file_name}"
        async with gate:
            file = await calls(lambda: bot.get_file(photo.file_id), "getFile")
            assert file is not None
            if file.file_size is not None and file.file_size > limit:
                check_size(photo.model_copy(update={"file_size": file.file_size}), limit)
            await calls(lambda: file.download_to_drive(target), "download")
        return target

    return list(await asyncio.gather(*(fetch(i, p) for i, p in enumerate(photos, 1))))


class IncomingTrack(BaseModel):
    """A music track (an audio message, or an audio file sent as a document) still on Telegram."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    file_size: int | None
    file_name: str


def track_of(message: Message) -> IncomingTrack | None:
    """The audio file in `message`; its real type is decided by probing it after download."""
    sent: Audio | Document | None = message.audio or message.document
    if sent is None or (message.audio is None and not (sent.mime_type or "").startswith("audio/")):
        return None
    name = sent.file_name or (message.audio.title if message.audio else None) or "music"
    return IncomingTrack(
        file_id=sent.file_id,
        file_size=sent.file_size,
        file_name=_NAME_UNSAFE.sub("-", Path(name).name).strip(" -.")[:80] or "music",
    )


def check_track_size(track: IncomingTrack, limit: int) -> None:
    if track.file_size is not None and track.file_size > limit:
        raise MusicTrackError(
            f"{track.file_name} is {track.file_size / MB:.0f} MB; the bot can fetch files up "
            f"to {limit / MB:.0f} MB.",
            hint="Send it as MP3 or M4A, which are smaller, or upload it in the web app.",
        )


async def download_track(
    bot: Bot, track: IncomingTrack, folder: Path, *, limit: int, calls: TelegramCalls
) -> Path:
    """Download the track into `folder` under its own name."""
    check_track_size(track, limit)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    target = folder / track.file_name
    file = await calls(lambda: bot.get_file(track.file_id), "getFile")
    assert file is not None
    if file.file_size is not None:
        check_track_size(track.model_copy(update={"file_size": file.file_size}), limit)
    await calls(lambda: file.download_to_drive(target), "download")
    return target
