"""A message arriving: its photos copied into the conversation, its music file checked.

Photos past the limit and files that are not photos are refused one by one, each with its
reason, so the rest of the message still counts.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage

from reelestate.agent.conversation_board import ConversationBoard
from reelestate.agent.events import AssistantText, Emit, ErrorEvent
from reelestate.agent.state import AgentState, Inbox
from reelestate.core.errors import ReelEstateError
from reelestate.core.filenames import safe_stem
from reelestate.core.imaging import PHOTO_SUFFIXES
from reelestate.tools.music import music_track_from_file, set_music_track


def receive_message(
    state: AgentState,
    inbox: Inbox,
    thread_folder: Path,
    music: dict[str, Any],
    *,
    max_photos: int,
    emit: Emit,
) -> dict[str, Any]:
    """The message and photos of `inbox` added to the conversation, with `music`'s changes
    (from `receive_music`, which has to run first because it awaits the check)."""
    photos = list(state.get("photos") or [])
    folder = thread_folder / "photos"
    added = 0
    for raw in inbox.get("photos") or []:
        source = Path(raw)
        if len(photos) >= max_photos:
            emit(
                ErrorEvent(
                    code="invalid_photo",
                    message=f"{source.name} was not added: "
                    f"a video uses at most {max_photos} photos.",
                )
            )
            continue
        if source.suffix.lower() not in PHOTO_SUFFIXES or not source.is_file():
            emit(
                ErrorEvent(
                    code="invalid_photo",
                    message=f"{source.name} is not a photo file.",
                    hint="Send JPEG, PNG, WebP or HEIC files.",
                )
            )
            continue
        folder.mkdir(parents=True, exist_ok=True)
        stem = safe_stem(source.stem, fill="")[:40]
        target = folder / f"{len(photos) + 1:03d}-{stem}{source.suffix.lower()}"
        shutil.copyfile(source, target)
        photos.append(str(target.resolve()))
        added += 1
    update: dict[str, Any] = {
        "photos": photos,
        "inbox": None,
        "turn": {"steps": 0},
    }
    user = inbox.get("user") or "user"
    if not state.get("owner"):
        update["owner"] = user
    if not state.get("team") and inbox.get("team") and state.get("owner", user) == user:
        # Only the owner shares a conversation with a team (also one begun before teams).
        update["team"] = inbox.get("team")
    update.update(music)
    update["messages"] = [
        HumanMessage(
            content=inbox.get("text", ""),
            additional_kwargs={"photos": added, "music": bool(music)},
        )
    ]
    return update


async def receive_music(
    state: AgentState,
    raw: str | None,
    thread_folder: Path,
    board: ConversationBoard,
    max_music_mb: int,
    emit: Emit,
) -> dict[str, Any]:
    """A music file sent with the message, checked and made the bed of the storyboard."""
    if not raw:
        return {}
    try:
        track = await asyncio.to_thread(
            music_track_from_file,
            Path(raw),
            keep_in=thread_folder / "music",
            max_mb=max_music_mb,
        )
    except ReelEstateError as exc:
        emit(ErrorEvent.from_error(exc))
        return {}
    update: dict[str, Any] = {"music_track": track.model_dump(mode="json"), "music_on": True}
    history = await board.history(state)
    if history is not None:
        author = state.get("owner") or "user"
        update["storyboard"] = await board.save(
            state,
            set_music_track(history, track, author=author),
            author=author,
            reason=f"music track {track.name}",
        )
    minutes, seconds = divmod(round(track.info.duration_seconds), 60)
    emit(
        AssistantText(
            text=f"Your track {track.name} ({minutes}:{seconds:02d}) is now the music bed, "
            "ducked under the narration."
        )
    )
    return update
