"""Updates of one chat run in order; different chats run side by side; repeats are dropped.

Telegram re-delivers an update when the webhook answer was late or polling restarted, so the
processor remembers recent `update_id`s. Every chat has one lock, shared with the photo batcher,
so a batch handed to the runner and the text that follows it never overtake each other.
`/cancel` alone does not wait for the lock: it must reach the turn that is rendering.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_log = logging.getLogger(__name__)


class ChatLocks:
    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}

    def __call__(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())


class RecentIds:
    """A bounded set of recently seen ids."""

    def __init__(self, size: int = 2048) -> None:
        self._ids: OrderedDict[int, None] = OrderedDict()
        self._size = size

    def add(self, value: int) -> bool:
        """True when `value` is new."""
        if value in self._ids:
            return False
        self._ids[value] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


def is_cancel_command(update: Update) -> bool:
    """`/cancel` (or `/cancel@bot`), which runs beside the chat's turn in progress."""
    message = update.message
    if message is None or not message.text:
        return False
    return message.text.split()[0].split("@")[0].lower() == "/cancel"


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, locks: ChatLocks, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self.locks = locks
        self.seen = RecentIds()
        self.duplicates = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if isinstance(update, Update):
            if not self.seen.add(update.update_id):
                self.duplicates += 1
                _log.info("update %s delivered again; ignored", update.update_id)
                if asyncio.iscoroutine(coroutine):
                    coroutine.close()
                return
            chat = update.effective_chat
            if chat is not None and not is_cancel_command(update):
                async with self.locks(chat.id):
                    await coroutine
                return
        await coroutine

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
