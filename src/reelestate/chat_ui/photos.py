"""Files dropped into the chat: checked, counted and copied somewhere that outlives the session.

Chainlit deletes a session's uploads when the browser disconnects, but a conversation renders
its final video later (perhaps after a reload), so accepted photos are copied to the
conversation's folder first.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from reelestate.core.errors import PhotoError
from reelestate.core.filenames import safe_name
from reelestate.core.imaging import load_photo
from reelestate.core.settings import Settings

_NAME_UNSAFE = re.compile(r"[^\w .()'&-]+")
"""What may not stay in a kept file's name, which is also the name the person is shown."""
MB = 1024 * 1024


class PhotoBatch(BaseModel):
    accepted: list[Path] = []
    refused: list[tuple[str, str]] = []
    problem: str | None = None
    """Set when the batch as a whole cannot be used (too few, too many)."""

    def refused_text(self) -> str:
        lines = [f"- **{name}**: {why}" for name, why in self.refused]
        return "I could not use these files:\n" + "\n".join(lines)


def accept_photos(
    uploads: Sequence[tuple[str, Path]],
    folder: Path,
    *,
    settings: Settings,
    already: int = 0,
) -> PhotoBatch:
    """Check each upload (size, decodes as a photo) and copy the good ones into `folder`."""
    total = already + len(uploads)
    if total > settings.max_photos:
        return PhotoBatch(
            problem=f"That makes {total} photos; a video uses at most {settings.max_photos}. "
            "Pick your best ones and send them again."
        )
    batch = PhotoBatch()
    folder.mkdir(parents=True, exist_ok=True)
    for number, (name, path) in enumerate(uploads, start=already + 1):
        try:
            size = path.stat().st_size
            if size > settings.max_photo_mb * MB:
                raise PhotoError(
                    f"it is {size / MB:.0f} MB; the limit is {settings.max_photo_mb} MB"
                )
            load_photo(path, max_side=256, max_pixels=settings.max_image_pixels)
        except PhotoError as exc:
            batch.refused.append((name, exc.message))
            continue
        except OSError:
            batch.refused.append((name, "the upload could not be read"))
            continue
        safe = safe_name(Path(name).stem).strip("-.")[:60] or "photo"
        target = folder / f"{number:02d}-{safe}{path.suffix.lower() or '.jpg'}"
        shutil.copyfile(path, target)
        batch.accepted.append(target)
    usable = already + len(batch.accepted)
    if usable < settings.min_photos:
        return batch.model_copy(
            update={
                "accepted": [],
                "problem": f"I need at least {settings.min_photos} photos to make a video and "
                f"have {usable} usable. Drop {settings.min_photos - usable} more."
                + ("\n\n" + batch.refused_text() if batch.refused else ""),
            }
        )
    return batch


def keep_upload(name: str, path: Path, folder: Path) -> Path:
    """A copy of an upload (a music track) under its own name, for the conversation to check.

    Chainlit stores uploads under an id; the copy keeps the name the person knows the file by.
    """
    folder.mkdir(parents=True, exist_ok=True)
    safe = _NAME_UNSAFE.sub("-", Path(name).name).strip(" -.")[:80] or "upload"
    target = folder / safe
    shutil.copyfile(path, target)
    return target
