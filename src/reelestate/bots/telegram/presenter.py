"""Runner events shown in one Telegram chat.

Text and questions become messages (questions with buttons); a storyboard becomes an album of
its scenes' photos plus the preview video; progress is ONE message edited in place, at most once
per `progress_interval_s`, and always when the job ends; the final video goes out
with `supports_streaming`, followed by its subtitles as a document.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from pathlib import Path

from PIL import Image
from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from reelestate.agent.events import (
    ApprovalRequest,
    AssistantText,
    ChartReady,
    ErrorEvent,
    JobProgress,
    Question,
    RunnerEvent,
    StoryboardReady,
    VideoReady,
)
from reelestate.bots.telegram import text as tx
from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.delivery import VideoDelivery
from reelestate.core.errors import ReelEstateError
from reelestate.core.imaging import load_photo
from reelestate.render.spec import RenderSpec
from reelestate.storage.context import TenantContext

_log = logging.getLogger(__name__)
KEY_FRAME_SIDE = 1280
MAX_ALBUM = 10


def key_frame_jpeg(path: Path) -> bytes:
    """A scene photo scaled down for the storyboard album (Telegram recompresses anyway)."""
    photo = load_photo(path, max_side=KEY_FRAME_SIDE)
    buffer = io.BytesIO()
    Image.fromarray(photo.rgb).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def scene_photos(event: StoryboardReady) -> list[Path]:
    spec = RenderSpec.model_validate_json(event.storyboard_file.read_text(encoding="utf-8"))
    base = event.storyboard_file.parent
    return [s.photo if s.photo.is_absolute() else base / s.photo for s in spec.scenes]


def read_if_file(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None and path.is_file() else None


class _Progress:
    def __init__(self, message_id: int, text: str, at: float, stage: str) -> None:
        self.message_id = message_id
        self.text = text
        self.at = at
        self.stage = stage


class ChatPresenter:
    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        ctx: TenantContext,
        *,
        calls: TelegramCalls,
        delivery: VideoDelivery,
        progress_interval_s: float,
    ) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.ctx = ctx
        self.calls = calls
        self.delivery = delivery
        self.progress_interval_s = progress_interval_s
        self._progress: dict[str, _Progress] = {}
        self._sent: dict[str, str] = {}

    async def say(self, markdown: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        await self.calls(
            lambda: self.bot.send_message(
                self.chat_id,
                tx.clip(markdown),
                parse_mode=ParseMode.MARKDOWN_V2,
                reply_markup=keyboard,
            ),
            "sendMessage",
        )

    async def show(self, event: RunnerEvent) -> None:
        """Show one event; a Telegram failure is logged and told, never ends the turn."""
        try:
            await self._show(event)
        except (TelegramError, ReelEstateError, OSError) as exc:
            _log.warning("showing %s in chat %s failed: %r", event.type, self.chat_id, exc)
            try:
                await self.say(tx.md(f"I couldn't send the {event.type.replace('_', ' ')} here."))
            except TelegramError:
                _log.warning("chat %s unreachable", self.chat_id)

    async def _show(self, event: RunnerEvent) -> None:
        match event:
            case StoryboardReady():
                await self._storyboard(event)
            case Question():
                await self.say(tx.question_text(event), tx.question_keyboard(event))
            case ApprovalRequest():
                await self.say(
                    tx.approval_text(event),
                    tx.approval_keyboard(event.version, event.buy_credits_url),
                )
            case JobProgress():
                await self._progress_of(event.job_id, event.kind, event.stage, event.percent)
            case VideoReady():
                await self._video(event)
            case AssistantText():
                if not event.partial:
                    await self.say(tx.md(self._without_paths(event.text)))
            case ChartReady():
                await self._chart(event)
            case ErrorEvent():
                await self.say(tx.error_text(event.message, event.hint))

    async def _chart(self, event: ChartReady) -> None:
        """The chart as a photo; the numbers follow as the assistant's text."""
        self._sent[str(event.image)] = "the chart above"
        png = event.image.read_bytes()
        await self.calls(
            lambda: self.bot.send_photo(
                self.chat_id,
                png,
                caption=tx.md(event.title),
                parse_mode=ParseMode.MARKDOWN_V2,
                filename=event.image.name,
            ),
            "sendPhoto",
        )

    def _without_paths(self, text: str) -> str:
        """Server paths of files already sent mean nothing in a chat: name them instead."""
        for path, name in self._sent.items():
            text = text.replace(path, name)
        return text

    async def _storyboard(self, event: StoryboardReady) -> None:
        self._sent[str(event.storyboard_file)] = "the storyboard above"
        if event.preview_video is not None:
            self._sent[str(event.preview_video)] = "the preview above"
        caption = tx.clip(tx.storyboard_text(event), tx.MAX_CAPTION_CHARS)
        photos = scene_photos(event)[:MAX_ALBUM]
        if len(photos) >= 2:
            media = [
                InputMediaPhoto(
                    key_frame_jpeg(p),
                    filename=f"scene-{i}.jpg",
                    caption=caption if i == 1 else None,
                    parse_mode=ParseMode.MARKDOWN_V2 if i == 1 else None,
                )
                for i, p in enumerate(photos, 1)
            ]
            await self.calls(lambda: self.bot.send_media_group(self.chat_id, media), "album")
        else:
            await self.say(caption)
        if event.preview_video is not None:
            await self._send_video(event.preview_video, "preview", tx.md("Preview"))

    async def _progress_of(self, job_id: str, kind: str, stage: str, percent: float) -> None:
        body = tx.progress_text(kind, stage, percent)
        now = time.monotonic()
        current = self._progress.get(job_id)
        if current is None:
            sent = await self.calls(
                lambda: self.bot.send_message(self.chat_id, body, parse_mode=ParseMode.MARKDOWN_V2),
                "progress",
            )
            if isinstance(sent, Message):
                self._progress[job_id] = _Progress(sent.message_id, body, now, stage)
            return
        finished = percent >= 100 or stage == "cancelled"
        due = now - current.at >= self.progress_interval_s
        if body == current.text or not (due or finished):
            return
        current.text, current.at, current.stage = body, now, stage
        await self.calls(
            lambda: self.bot.edit_message_text(
                body, self.chat_id, current.message_id, parse_mode=ParseMode.MARKDOWN_V2
            ),
            "progress edit",
        )

    async def _card(self, event: VideoReady) -> None:
        """A facts card on its own: the video, then its PNG still as a file (uncompressed)."""
        result = event.result
        self._sent |= {str(result.video): "the card above", str(result.thumbnail): "the still"}
        caption = tx.md(
            f"Your facts card ({result.width}x{result.height}, {result.duration:.0f} s)"
        )
        await self._send_video(
            result.video, "card", caption, size=(result.width, result.height, result.duration)
        )
        still = await asyncio.to_thread(read_if_file, result.thumbnail)
        if still:
            await self.calls(
                lambda: self.bot.send_document(
                    self.chat_id, still, filename=result.thumbnail.name, caption="Still (PNG)"
                ),
                "still",
            )

    async def _video(self, event: VideoReady) -> None:
        if event.kind == "infographic":
            await self._card(event)
            return
        result = event.result
        self._sent |= {
            str(result.video): "the video above",
            str(result.subtitles): "the subtitles above",
            str(result.thumbnail): "the thumbnail",
        }
        await self._progress_of(event.job_id, "final", "done", 100.0)
        caption = tx.md(f"Your video (v{event.version}, {result.duration:.0f} s)")
        await self._send_video(
            result.video,
            "video",
            caption,
            thumbnail=result.thumbnail,
            size=(result.width, result.height, result.duration),
        )
        subtitles = await asyncio.to_thread(read_if_file, result.subtitles)
        if subtitles:
            await self.calls(
                lambda: self.bot.send_document(
                    self.chat_id,
                    subtitles,
                    filename=result.subtitles.name,
                    caption="Subtitles (SRT)",
                ),
                "subtitles",
            )

    async def _send_video(
        self,
        path: Path,
        label: str,
        caption: str,
        *,
        thumbnail: Path | None = None,
        size: tuple[int, int, float] | None = None,
    ) -> None:
        async def upload(file: Path) -> None:
            width, height, duration = size or (None, None, None)
            thumb = await asyncio.to_thread(read_if_file, thumbnail)
            await self.calls(
                lambda: self.bot.send_video(
                    self.chat_id,
                    file.read_bytes(),
                    filename=path.name,
                    caption=caption,
                    parse_mode=ParseMode.MARKDOWN_V2,
                    supports_streaming=True,
                    width=width,
                    height=height,
                    duration=round(duration) if duration else None,
                    thumbnail=thumb,
                    read_timeout=120,
                    write_timeout=300,
                ),
                "sendVideo",
            )

        async def send_text(markdown: str) -> None:
            await self.say(markdown)

        how = await self.delivery.deliver(path, self.ctx, upload, send_text, label)
        _log.info("chat %s: %s %s sent by %s", self.chat_id, label, path.name, how)
