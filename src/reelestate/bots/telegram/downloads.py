"""Photos fetched from Telegram through `getFile`, with the size checked before and after."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from telegram import Bot, Document, Message, PhotoSize

from reelestate.bots.telegram.albums import IncomingPhoto
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.config import MB
from reelestate.core.errors import PhotoError

IMAGE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
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
            file_name=_SAFE.sub("-", stem)[:60] + suffix,
            as_document=True,
            media_group_id=message.media_group_id,
        )
    if message.photo:
        best: PhotoSize = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return IncomingPhoto(
            file_id=best.file_id,
            file_unique_id=best.file_unique_id,
            file_size=best.file_size,
            file_name=f"photo-{_SAFE.sub('-', best.file_unique_id)}.jpg",
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
