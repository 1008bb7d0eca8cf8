"""Telegram updates as the Bot API sends them (JSON), for private chats."""

from __future__ import annotations

import itertools
import time
from typing import Any

_message_ids = itertools.count(5000)


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"Agent{user_id}", "language_code": "en"}


def message(user_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message": {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"Agent{user_id}"},
            "from": _user(user_id),
            **content,
        }
    }


def text(user_id: int, words: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": words}
    if words.startswith("/"):
        command = words.split(maxsplit=1)[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return message(user_id, **content)


def document(
    user_id: int,
    file: dict[str, Any],
    name: str,
    group: str | None = None,
    *,
    mime_type: str = "image/jpeg",
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "document": {**file, "file_name": name, "mime_type": mime_type},
    }
    if group:
        content["media_group_id"] = group
    return message(user_id, **content)


def photo(user_id: int, file: dict[str, Any], group: str | None = None) -> dict[str, Any]:
    small = {**file, "file_id": file["file_id"] + "s", "width": 90, "height": 60}
    sizes = [{**small, "file_size": 900}, {**file, "width": 1280, "height": 853}]
    content: dict[str, Any] = {"photo": sizes}
    if group:
        content["media_group_id"] = group
    return message(user_id, **content)


def voice(user_id: int, file: dict[str, Any] | None = None, duration: int = 2) -> dict[str, Any]:
    """A voice note; `file` is one hosted on the fake Bot API (`FakeBotApi.host_file`)."""
    hosted = file or {"file_id": "V1", "file_unique_id": "V1", "file_size": 10}
    return message(user_id, voice={**hosted, "duration": duration, "mime_type": "audio/ogg"})


def audio(
    user_id: int, file: dict[str, Any], name: str, *, mime_type: str = "audio/mpeg"
) -> dict[str, Any]:
    """A music file sent as audio (Telegram shows it in its player)."""
    return message(
        user_id,
        audio={**file, "duration": 12, "file_name": name, "mime_type": mime_type, "title": name},
    )


def button(user_id: int, data: str, message_id: int) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cb{next(_message_ids)}",
            "from": _user(user_id),
            "chat_instance": f"ci{user_id}",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": 7000001, "is_bot": True, "first_name": "Studio"},
                "text": "Approve?",
            },
        }
    }
