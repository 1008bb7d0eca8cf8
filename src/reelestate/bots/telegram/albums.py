"""Photos arriving one update at a time, collected into one batch per chat.

Telegram sends each album item as its own update (sharing `media_group_id`, with no count and
no end marker), and a 14-photo album arrives as two albums. So the batcher collects every photo
of a chat and hands the batch over once no photo came for `wait_s`; a text message from the
same chat hands it over at once, before the text.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from pydantic import BaseModel, ConfigDict

from reelestate.bots.telegram.chats import ChatLocks


class IncomingPhoto(BaseModel):
    """A photo (or an image sent as a file) still on Telegram's side."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    file_unique_id: str
    file_size: int | None
    file_name: str
    as_document: bool
    media_group_id: str | None = None


BatchHandler = Callable[[int, list[IncomingPhoto]], Awaitable[None]]


class PhotoBatcher:
    def __init__(self, wait_s: float, locks: ChatLocks, on_batch: BatchHandler) -> None:
        self.wait_s = wait_s
        self._locks = locks
        self._on_batch = on_batch
        self._pending: dict[int, list[IncomingPhoto]] = {}
        self._timers: dict[int, asyncio.Task[None]] = {}

    def add(self, chat_id: int, photo: IncomingPhoto) -> int:
        """Queue a photo (same photo twice counts once); returns how many are waiting."""
        pending = self._pending.setdefault(chat_id, [])
        if all(p.file_unique_id != photo.file_unique_id for p in pending):
            pending.append(photo)
        self._restart_timer(chat_id)
        return len(pending)

    def take(self, chat_id: int) -> list[IncomingPhoto]:
        """The photos waiting for this chat, handed over now (the caller holds the chat lock)."""
        timer = self._timers.pop(chat_id, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        return self._pending.pop(chat_id, [])

    def hold(self, chat_id: int, photos: list[IncomingPhoto]) -> None:
        """Put photos back without a timer: they go out with the next photo or text."""
        pending = self._pending.setdefault(chat_id, [])
        pending[:0] = [p for p in photos if p not in pending]

    def waiting(self, chat_id: int) -> int:
        return len(self._pending.get(chat_id, ()))

    def _restart_timer(self, chat_id: int) -> None:
        old = self._timers.pop(chat_id, None)
        if old is not None:
            old.cancel()
        self._timers[chat_id] = asyncio.create_task(
            self._fire(chat_id), name=f"photo-batch-{chat_id}"
        )

    async def _fire(self, chat_id: int) -> None:
        await asyncio.sleep(self.wait_s)
        async with self._locks(chat_id):
            if self._timers.get(chat_id) is asyncio.current_task():
                del self._timers[chat_id]
            batch = self._pending.pop(chat_id, [])
            if batch:
                await self._on_batch(chat_id, batch)

    async def close(self) -> None:
        timers = list(self._timers.values())
        self._timers.clear()
        for timer in timers:
            timer.cancel()
        for timer in timers:
            with contextlib.suppress(asyncio.CancelledError):
                await timer
