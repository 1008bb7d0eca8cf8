"""A Chainlit client speaking the web app's wire protocol: cookie sign-in over HTTP, then
socket.io for the conversation (the recipe in integrations.md §5)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import socketio


class ChatClient:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.AsyncClient(base_url=base, timeout=30)
        self.sio = socketio.AsyncClient()
        self.session_id = str(uuid.uuid4())
        self.events: list[tuple[str, Any]] = []
        self.token: str | None = None

        @self.sio.on("*")  # type: ignore[untyped-decorator]
        async def _record(event: str, data: Any = None) -> None:
            self.events.append((event, data))

    async def sign_in(self, email: str, password: str) -> int:
        response = await self.http.post(
            "/chat/login", data={"username": email, "password": password}
        )
        self.token = response.cookies.get("access_token")
        return response.status_code

    async def connect(self, thread_id: str | None = None) -> None:
        await self.sio.connect(
            self.base,
            socketio_path="/chat/ws/socket.io",
            headers={"Cookie": f"access_token={self.token}"},
            auth={
                "clientType": "webapp",
                "sessionId": self.session_id,
                "threadId": thread_id or str(uuid.uuid4()),
                "userEnv": "{}",
            },
            transports=["websocket"],
        )
        mark = len(self.events)
        await self.sio.emit("connection_successful")
        await self.wait_for("task_end", after=mark)

    async def upload(self, photos: list[Path], mime: str = "image/jpeg") -> list[dict[str, str]]:
        refs = []
        for photo in photos:
            response = await self.http.post(
                "/chat/project/file",
                params={"session_id": self.session_id},
                files={"file": (photo.name, photo.read_bytes(), mime)},
            )
            assert response.status_code == 200, response.text
            refs.append({"id": response.json()["id"]})
        return refs

    async def say(
        self, text: str, files: list[dict[str, str]] | None = None
    ) -> list[tuple[str, Any]]:
        """Send a message; the events until its task ends.

        The end is looked for after the message's own task starts: a late `task_end` of the
        chat's start (sent after `connect` returned) must not pass for this message's."""
        mark = await self.send(text, files)
        started = mark + len(await self.wait_for("task_start", after=mark))
        end = started + len(await self.wait_for("task_end", after=started))
        return self.events[mark:end]

    async def send(self, text: str, files: list[dict[str, str]] | None = None) -> int:
        """Send a message without waiting; returns the mark of the events that follow it."""
        mark = len(self.events)
        await self.sio.emit(
            "client_message",
            {
                "message": {
                    "id": str(uuid.uuid4()),
                    "threadId": "",
                    "output": text,
                    "name": "User",
                    "type": "user_message",
                    "createdAt": "2026-01-01T00:00:00Z",
                },
                "fileReferences": files or [],
            },
        )
        return mark

    async def stop(self) -> None:
        """Chainlit's stop button."""
        await self.sio.emit("stop")

    async def wait_until(
        self, check: Any, *, after: int, limit_s: float = 180
    ) -> list[tuple[str, Any]]:
        """The events from `after` once `check(events)` holds (waiting up to `limit_s`)."""
        async with asyncio.timeout(limit_s):
            while not check(self.events[after:]):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        return self.events[after:]

    async def click(self, action: dict[str, Any]) -> list[tuple[str, Any]]:
        """Press a button; the request returns when its callback has finished."""
        mark = len(self.events)
        response = await self.http.post(
            "/chat/project/action",
            json={"sessionId": self.session_id, "action": action},
            timeout=300,
        )
        assert response.status_code == 200, response.text
        await asyncio.sleep(0.2)  # the last socket.io frames may trail the HTTP answer
        return self.events[mark:]

    async def wait_for(
        self, name: str, *, after: int, limit_s: float = 180
    ) -> list[tuple[str, Any]]:
        """The events from `after` up to the first `name` event (waiting up to `limit_s`)."""
        async with asyncio.timeout(limit_s):
            while not any(e == name for e, _ in self.events[after:]):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        end = next(i for i, (e, _) in enumerate(self.events) if i >= after and e == name)
        return self.events[after : end + 1]

    async def change_settings(
        self, settings: dict[str, Any], *, expect: str
    ) -> list[tuple[str, Any]]:
        """Submit the settings panel; the events until a message containing `expect`."""
        mark = len(self.events)
        await self.sio.emit("chat_settings_change", settings)
        async with asyncio.timeout(180):
            while not any(expect in t for t in messages(self.events[mark:])):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        return self.events[mark:]

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
        await self.http.aclose()


def messages(events: list[tuple[str, Any]]) -> list[str]:
    """The text of every message sent or updated, in order."""
    return [
        d["output"] for e, d in events if e in {"new_message", "update_message"} and d.get("output")
    ]


def actions(events: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [d for e, d in events if e == "action"]


def elements(events: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [d for e, d in events if e == "element"]
