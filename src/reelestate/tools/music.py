"""The user's own music track: checked once when it arrives, then named in the storyboard.

Every channel (the `make` command, the REST API, the web chat, the Telegram bot) goes through
`music_track_from_file` to check a file and `set_music_track` to put it on a storyboard, so a
track is refused for the same reasons, with the same words, wherever it was sent.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelestate.core.filenames import safe_stem
from reelestate.core.hashing import file_sha256
from reelestate.providers.music.uploaded import MB, check_music_track
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_model import MusicTrackRef

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
MAX_NAME = 120


def display_name(name: str) -> str:
    """A file name fit to show in a message: no control characters, no folders, not too long."""
    clean = _CONTROL.sub(" ", Path(name.replace("\\", "/")).name).strip()
    return clean[:MAX_NAME] or "music track"


def music_track_from_file(
    source: Path,
    *,
    name: str | None = None,
    keep_in: Path | None = None,
    max_mb: int,
) -> MusicTrackRef:
    """Check `source` as a music bed (`MusicTrackError` if it cannot be one) and describe it.

    With `keep_in`, the file is copied there first under a name of its real type (`.mp3`,
    `.m4a`...), for channels whose uploads are deleted after the message (chat, Telegram).
    """
    limit = max_mb * MB
    info = check_music_track(source, max_bytes=limit)
    shown = display_name(name or source.name)
    path = source.resolve()
    if keep_in is not None:
        keep_in.mkdir(parents=True, exist_ok=True)
        stem = safe_stem(Path(shown).stem).strip("-")[:40] or "music"
        path = (keep_in / f"{stem}-{file_sha256(source)[:12]}{info.suffix}").resolve()
        if not path.exists():
            part = path.with_name(f".{path.name}.part")
            shutil.copyfile(source, part)
            part.replace(path)
    return MusicTrackRef(path=path, name=shown, info=info)


def set_music_track(
    history: StoryboardHistory,
    track: MusicTrackRef | None,
    *,
    author: str,
    now: datetime | None = None,
) -> StoryboardHistory:
    """The history with a new version that plays `track` (`None`: the mood's generated bed).

    Unchanged when the current version already plays it.
    """
    current = history.current
    if current.settings.music_track == track:
        return history
    settings = current.settings.model_copy(update={"music_track": track})
    reason = f"music: {track.name}" if track else f"music: generated {settings.music_mood} bed"
    new = current.model_copy(
        update={
            "number": current.number + 1,
            "author": author,
            "created_at": now or datetime.now(UTC),
            "reason": reason[:300],
            "settings": settings,
        }
    )
    return history.model_copy(update={"versions": (*history.versions, new)})


def kit_music(data: dict[str, Any]) -> MusicTrackRef | None:
    """The music track a stored brand kit's data names (`data["music"]`), if any.

    A kit whose track no longer validates is treated as having none rather than failing
    every storyboard planned for its projects.
    """
    raw = data.get("music")
    if not isinstance(raw, dict):
        return None
    try:
        return MusicTrackRef.model_validate(raw)
    except ValidationError:
        return None
