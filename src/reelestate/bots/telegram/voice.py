"""Voice notes, fetched through `getFile` and turned into text.

Audio files (sent with the paper clip) are music beds, not instructions: `channel` routes
them to the music handler before this module sees them.

Checked before anything is fetched: the size (the Bot API's download limit, as for photos) and
the length (long recordings cost money and are rarely an instruction).
"""

from __future__ import annotations

import asyncio
import warnings
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from telegram import Audio, Bot, Message, Voice
from telegram.warnings import PTBDeprecationWarning

from reelestate.bots.telegram.calls import TelegramCalls
from reelestate.bots.telegram.config import MB
from reelestate.core.errors import InvalidInputError
from reelestate.core.filenames import safe_name
from reelestate.providers.stt.base import Transcriber, Transcript

MAX_VOICE_SECONDS = 300


class IncomingAudio(BaseModel):
    """A voice note or audio file still on Telegram's side."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    file_size: int | None
    duration: int | None
    file_name: str
    """A safe local name whose suffix tells the transcriber the format."""


def seconds_of(media: Voice | Audio) -> int:
    """The recording's length; PTB 22 gives an int (with a deprecation warning) or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = media.duration
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def audio_of(message: Message) -> IncomingAudio | None:
    """The voice note in `message`, if it has one."""
    if message.voice is None:
        return None
    voice = message.voice
    # Voice notes are Opus in OGG; Telegram names them `.oga`, which transcribers refuse.
    return IncomingAudio(
        file_id=voice.file_id,
        file_size=voice.file_size,
        duration=seconds_of(voice),
        file_name=f"voice-{safe_name(voice.file_unique_id)}.ogg",
    )


def check_audio(audio: IncomingAudio, limit: int) -> None:
    if audio.file_size is not None and audio.file_size > limit:
        raise InvalidInputError(
            f"The recording is {audio.file_size / MB:.0f} MB and the bot can fetch files up to "
            f"{limit / MB:.0f} MB."
        )
    if audio.duration is not None and audio.duration > MAX_VOICE_SECONDS:
        raise InvalidInputError(
            f"The recording is {audio.duration // 60} min long; I transcribe up to "
            f"{MAX_VOICE_SECONDS // 60} minutes."
        )


async def hear(
    bot: Bot,
    audio: IncomingAudio,
    folder: Path,
    *,
    transcriber: Transcriber,
    limit: int,
    calls: TelegramCalls,
) -> Transcript:
    """Fetch the recording into `folder` and transcribe it (the caller removes `folder`)."""
    check_audio(audio, limit)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    file = await calls(lambda: bot.get_file(audio.file_id), "getFile")
    assert file is not None
    if file.file_size is not None:
        check_audio(audio.model_copy(update={"file_size": file.file_size}), limit)
    target = folder / audio.file_name
    await calls(lambda: file.download_to_drive(target), "download")
    return await asyncio.to_thread(transcriber.transcribe, target, language=None)
