"""The bot's handlers: who is talking, what they sent, and which runner call it becomes.

Every handler first finds the linked account; an unlinked Telegram user gets the linking
instructions and nothing else runs. Handlers are registered for private chats only.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from telegram import Bot, Message, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from reelestate.agent.events import RunnerEvent
from reelestate.agent.owner import RenderOwner
from reelestate.agent.rules.presenter import asks_presenter_photo
from reelestate.agent.runner import Runner
from reelestate.bots.telegram import text as tx
from reelestate.bots.telegram.albums import IncomingPhoto, PhotoBatcher
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.chats import ChatLocks
from reelestate.bots.telegram.config import TelegramConfig
from reelestate.bots.telegram.delivery import VideoDelivery
from reelestate.bots.telegram.downloads import (
    check_size,
    download_photos,
    download_track,
    photo_of,
    track_of,
)
from reelestate.bots.telegram.presenter import ChatPresenter
from reelestate.bots.telegram.voice import audio_of, hear
from reelestate.core.errors import ReelEstateError
from reelestate.providers.stt.base import Transcriber
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.telegram_links import LinkedAccount

_log = logging.getLogger(__name__)
COMMAND_WORDS = {"status": "status", "versions": "versions", "undo": "undo"}


class Accounts(Protocol):
    def account(self, telegram_user_id: int) -> LinkedAccount | None: ...
    def redeem(self, code: str, telegram_user_id: int) -> LinkedAccount | None: ...
    def set_conversation(self, account: LinkedAccount, conversation: str) -> None: ...
    def unlink(self, ctx: TenantContext) -> bool: ...


PresenterPhotos = Callable[[TenantContext, Path, str], str]
"""(organisation, photo, its name) -> the sentence to answer; raises `PhotoError` with why."""
PresenterKey = Callable[[TenantContext], str | None]
"""The organisation's presenter photo as a blob key (None: none yet)."""


def thread_of(account: LinkedAccount) -> str:
    return account.conversation or f"tg-{account.telegram_user_id}"


def owner_of(account: LinkedAccount) -> RenderOwner:
    """A queue-backed renderer bills the linked person's organisation for what a turn renders."""
    return RenderOwner(ctx=account.context)


class TelegramChannel:
    def __init__(
        self,
        runner: Runner,
        accounts: Accounts,
        config: TelegramConfig,
        *,
        delivery: VideoDelivery,
        work_dir: Path,
        locks: ChatLocks,
        calls: TelegramCalls | None = None,
        transcriber: Transcriber | None = None,
        presenter_photos: PresenterPhotos | None = None,
        presenter_key: PresenterKey | None = None,
    ) -> None:
        self.runner = runner
        self.accounts = accounts
        self.config = config
        self.delivery = delivery
        self.work_dir = work_dir
        self.locks = locks
        self.calls = calls or TelegramCalls()
        self.transcriber = transcriber
        """Hears voice messages; without one the bot asks for typed text."""
        self.presenter_photos = presenter_photos
        self.presenter_key = presenter_key
        """Finds the presenter photo "add me as a presenter" uses; without one there is none."""
        """Keeps "my presenter photo" in the brand kit; without one such photos are listing ones."""
        self.batcher = PhotoBatcher(config.album_wait_s, locks, self._on_batch)
        self._bot: Bot | None = None
        self._accounts_by_chat: dict[int, LinkedAccount] = {}

    def install(self, app: Application) -> None:  # type: ignore[type-arg]
        self._bot = app.bot
        private = filters.ChatType.PRIVATE
        app.add_handler(CommandHandler("start", self.on_start, filters=private))
        app.add_handler(CommandHandler("help", self.on_help, filters=private))
        app.add_handler(CommandHandler("new", self.on_new, filters=private))
        app.add_handler(CommandHandler("unlink", self.on_unlink, filters=private))
        app.add_handler(CommandHandler("cancel", self.on_cancel, filters=private))
        app.add_handler(CommandHandler(list(COMMAND_WORDS), self.on_command, filters=private))
        app.add_handler(
            MessageHandler(private & (filters.AUDIO | filters.Document.AUDIO), self.on_music)
        )
        app.add_handler(
            MessageHandler(private & (filters.PHOTO | filters.Document.ALL), self.on_photo)
        )
        app.add_handler(MessageHandler(private & filters.VOICE, self.on_voice))
        app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)

    @property
    def bot(self) -> Bot:
        assert self._bot is not None, "install() first"
        return self._bot

    # -- who is talking ---------------------------------------------------------------

    async def _account(self, update: Update) -> LinkedAccount | None:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None:
            return None
        account = await asyncio.to_thread(self.accounts.account, user.id)
        if account is None:
            await self._say(chat.id, tx.md(tx.UNLINKED_TEXT))
            return None
        self._accounts_by_chat[chat.id] = account
        return account

    def _start_text(self) -> str:
        return tx.start_text(self.config.min_photos, self.config.max_photos)

    async def _say(self, chat_id: int, markdown: str) -> None:
        await self.calls(
            lambda: self.bot.send_message(chat_id, markdown, parse_mode=ParseMode.MARKDOWN_V2),
            "sendMessage",
        )

    def _presenter(self, chat_id: int, account: LinkedAccount) -> ChatPresenter:
        return ChatPresenter(
            self.bot,
            chat_id,
            account.context,
            calls=self.calls,
            delivery=self.delivery,
            progress_interval_s=self.config.progress_interval_s,
        )

    async def _turn(
        self, chat_id: int, account: LinkedAccount, events: AsyncIterator[RunnerEvent]
    ) -> None:
        presenter = self._presenter(chat_id, account)
        async for event in events:
            await presenter.show(event)

    async def _send(self, chat_id: int, account: LinkedAccount, text: str) -> None:
        """Hand waiting photos over first, then the text, so order is kept."""
        await self._flush(chat_id, account)
        events = self.runner.send(
            thread_of(account), str(account.user_id), text, owner=await self._owner(account)
        )
        await self._turn(chat_id, account, events)

    # -- commands ---------------------------------------------------------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        if context.args:
            account = await asyncio.to_thread(self.accounts.redeem, context.args[0], user.id)
            if account is None:
                await self._say(
                    chat.id,
                    tx.md("That link code is unknown or has expired. Get a new one in Settings."),
                )
                return
            await self._say(
                chat.id, tx.md(f"Linked to {account.email}. ") + tx.md(self._start_text())
            )
            return
        account = await asyncio.to_thread(self.accounts.account, user.id)
        if account is None:
            await self._say(chat.id, tx.md(tx.UNLINKED_TEXT))
            return
        await self._say(chat.id, tx.md(self._start_text()))
        pending = await self.runner.pending_approval(thread_of(account))
        if pending is not None:
            await self._presenter(chat.id, account).show(pending)

    async def on_unlink(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Unlink from the Telegram side; the web chat's "unlink Telegram" does the same."""
        account = await self._account(update)
        chat = update.effective_chat
        if account is None or chat is None:
            return
        await asyncio.to_thread(self.accounts.unlink, account.context)
        self._accounts_by_chat.pop(chat.id, None)
        await self._say(chat.id, tx.md("Unlinked: this chat no longer speaks for you."))

    async def on_help(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if (chat := update.effective_chat) is not None:
            await self._say(chat.id, tx.md(self._start_text()))

    async def on_new(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        account = await self._account(update)
        if account is None or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        self.batcher.take(chat_id)
        thread = f"tg-{account.telegram_user_id}-{uuid.uuid4().hex[:8]}"
        await asyncio.to_thread(self.accounts.set_conversation, account, thread)
        self._accounts_by_chat[chat_id] = account.model_copy(update={"conversation": thread})
        await self._say(chat_id, tx.md("New video started. Send 5 to 40 photos of the property."))

    async def on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None or not message.text:
            return
        word = message.text.split()[0].lstrip("/").split("@")[0]
        await self._send(message.chat_id, account, COMMAND_WORDS[word])

    async def on_cancel(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop the render in progress. Runs beside the chat's turn (the processor does not
        hold `/cancel` behind it); that turn then says the render was cancelled. With nothing
        rendering, "cancel" goes to the conversation in order, as any message."""
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None:
            return
        if await self.runner.cancel_render(thread_of(account), str(account.user_id)):
            return
        async with self.locks(message.chat_id):
            await self._send(message.chat_id, account, "cancel")

    # -- messages ---------------------------------------------------------------------

    async def on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None or not message.text:
            return
        await self._send(message.chat_id, account, message.text)

    async def on_voice(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A recording becomes text, echoed back, then handled exactly like a typed message."""
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None:
            return
        if self.transcriber is None:
            await self._say(message.chat_id, tx.md(tx.VOICE_TEXT))
            return
        words = await self._hear(message, self.transcriber)
        if words:
            await self._say(message.chat_id, tx.heard_text(words))
            await self._send(message.chat_id, account, words)

    async def _hear(self, message: Message, transcriber: Transcriber) -> str | None:
        """The words in the message's recording, or None after telling the chat why not."""
        audio = audio_of(message)
        reason: str
        if audio is None:
            reason = "I can only read OGG, MP3, M4A, WAV, FLAC or WebM recordings"
        else:
            folder = self.work_dir / "incoming" / f"{message.chat_id}-{uuid.uuid4().hex[:8]}"
            try:
                heard = await hear(
                    self.bot,
                    audio,
                    folder,
                    transcriber=transcriber,
                    limit=self.config.download_limit,
                    calls=self.calls,
                )
                if heard.text:
                    return heard.text
                reason = "I couldn't make out any words"
            except ReelEstateError as exc:
                _log.info("voice message not transcribed: %s", exc.code)
                reason = exc.message
            except TelegramError as exc:
                _log.warning("voice message not fetched: %s", type(exc).__name__)
                reason = "Telegram did not hand the recording over"
            finally:
                await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
        await self._say(message.chat_id, tx.voice_failed_text(reason))
        return None

    async def on_photo(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None:
            return
        photo = photo_of(message)
        if photo is None:
            name = message.document.file_name if message.document else "that file"
            await self._say(
                message.chat_id,
                tx.md(f"I can only use photos (JPEG, PNG, HEIC, WebP); {name} is not one."),
            )
            return
        try:
            check_size(photo, self.config.download_limit)
        except ReelEstateError as exc:
            await self._say(message.chat_id, tx.error_text(exc.message, exc.hint))
            return
        if self.presenter_photos is not None and asks_presenter_photo(message.caption or ""):
            await self._presenter_photo(message.chat_id, account, photo)
            return
        self.batcher.add(message.chat_id, photo)

    async def _owner(self, account: LinkedAccount) -> RenderOwner:
        """Whose renders a message starts, with the organisation's presenter photo."""
        owner = owner_of(account)
        if self.presenter_key is None:
            return owner
        key = await asyncio.to_thread(self.presenter_key, account.context)
        return replace(owner, presenter_photo=key)

    async def _presenter_photo(
        self, chat_id: int, account: LinkedAccount, photo: IncomingPhoto
    ) -> None:
        """A photo captioned "my presenter photo": face-checked and kept in the brand kit."""
        assert self.presenter_photos is not None
        folder = self.work_dir / "incoming" / f"{chat_id}-{uuid.uuid4().hex[:8]}"
        try:
            [path] = await download_photos(
                self.bot, [photo], folder, limit=self.config.download_limit, calls=self.calls
            )
            reply = await asyncio.to_thread(
                self.presenter_photos, account.context, path, photo.file_name
            )
            await self._say(chat_id, tx.md(reply))
        except ReelEstateError as exc:
            await self._say(chat_id, tx.error_text(exc.message, exc.hint))
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def on_music(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """An audio file becomes the music bed (checked by the runner, which says why not)."""
        account = await self._account(update)
        message = update.effective_message
        if account is None or message is None or (track := track_of(message)) is None:
            return
        chat_id = message.chat_id
        await self._flush(chat_id, account)
        folder = self.work_dir / "incoming" / f"{chat_id}-{uuid.uuid4().hex[:8]}"
        try:
            path = await download_track(
                self.bot, track, folder, limit=self.config.download_limit, calls=self.calls
            )
            events = self.runner.send(
                thread_of(account),
                str(account.user_id),
                message.caption or "",
                music=path,
                owner=await self._owner(account),
            )
            await self._turn(chat_id, account, events)
        except ReelEstateError as exc:
            await self._say(chat_id, tx.error_text(exc.message, exc.hint))
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    # -- photo batches ----------------------------------------------------------------

    async def _flush(self, chat_id: int, account: LinkedAccount) -> None:
        batch = self.batcher.take(chat_id)
        if batch:
            await self._batch_turn(chat_id, account, batch)

    async def _on_batch(self, chat_id: int, batch: list[IncomingPhoto]) -> None:
        account = self._accounts_by_chat.get(chat_id)
        if account is not None:
            await self._batch_turn(chat_id, account, batch)

    async def _batch_turn(
        self, chat_id: int, account: LinkedAccount, batch: list[IncomingPhoto]
    ) -> None:
        state = await self.runner.state(thread_of(account))
        have = len(state.get("photos") or [])
        least, most = self.config.min_photos, self.config.max_photos
        room = most - have
        if len(batch) > room:
            await self._say(chat_id, tx.md(tx.too_many_text(len(batch), room, most)))
            return
        if have + len(batch) < least:
            self.batcher.hold(chat_id, batch)  # the next photos complete the set
            await self._say(chat_id, tx.md(tx.too_few_text(have + len(batch), least, most)))
            return
        await self._say(chat_id, tx.md(tx.batch_received_text(len(batch))))
        folder = self.work_dir / "incoming" / f"{chat_id}-{uuid.uuid4().hex[:8]}"
        try:
            paths = await download_photos(
                self.bot, batch, folder, limit=self.config.download_limit, calls=self.calls
            )
            events = self.runner.send(
                thread_of(account),
                str(account.user_id),
                "",
                paths,
                owner=await self._owner(account),
            )
            await self._turn(chat_id, account, events)
        except ReelEstateError as exc:
            await self._say(chat_id, tx.error_text(exc.message, exc.hint))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # -- buttons ----------------------------------------------------------------------

    async def on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        await self.calls(query.answer, "answerCallbackQuery")
        account = await self._account(update)
        message = query.message
        if account is None or not isinstance(message, Message):
            return
        chat_id = message.chat_id
        await self._flush(chat_id, account)
        kind, _sep, value = query.data.partition(":")
        if kind == "approve":
            await self.calls(lambda: message.edit_reply_markup(None), "remove buttons")
            pending = await self.runner.pending_approval(thread_of(account))
            if pending is None or str(pending.version) != value:
                await self._say(
                    chat_id, tx.md("That storyboard is no longer waiting for approval.")
                )
                return
            await self._say(chat_id, tx.md(f"Approved v{value}. Rendering the final video..."))
            events = self.runner.approve(
                thread_of(account), str(account.user_id), owner=await self._owner(account)
            )
            await self._turn(chat_id, account, events)
        elif kind == "revise":
            await self._say(
                chat_id, tx.md("Tell me what to change, e.g. “swap 2 and 3” or “calmer music”.")
            )
        elif kind == "music":
            await self.calls(
                lambda: self.bot.send_message(
                    chat_id, "Which music?", reply_markup=tx.music_keyboard()
                ),
                "music choices",
            )
        elif kind == "mood" and value in tx.MUSIC_CHOICES:
            await self._send(chat_id, account, tx.MUSIC_CHOICES[value][1])
        elif kind == "say" and value in tx.QUICK_CHANGES:
            await self._send(chat_id, account, tx.QUICK_CHANGES[value])
        elif kind == "reply" and value:
            await self._send(chat_id, account, value)

    # -- the one error handler --------------------------------------------------------

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if isinstance(error, Forbidden):
            _log.info("the user blocked the bot: %s", error)
            return
        _log.error("handling an update failed", exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if isinstance(error, ReelEstateError):
            reply = tx.error_text(error.message, error.hint)
        else:
            reply = tx.md("Something went wrong on our side. Your work is saved; try again.")
        try:
            await self._say(update.effective_chat.id, reply)
        except TelegramError:
            _log.warning("could not tell chat %s about the failure", update.effective_chat.id)

    async def close(self) -> None:
        await self.batcher.close()
