"""A fake Telegram Bot API server on 127.0.0.1 speaking the real wire format.

PTB's own HTTPXRequest talks to it: `POST /bot<token>/<method>` with urlencoded or multipart
bodies (JSON-encoded non-string values, `attach://` parts for media groups), replies
`{"ok": true, "result": ...}`, `getFile` + `GET /file/bot<token>/<path>` (the token arrives
percent-encoded), long-polled `getUpdates`, 429 with `retry_after`, and 413 over an upload limit.
Every call is recorded for the tests to read.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

BOT_ID = 7000001
TOKEN = f"{BOT_ID}:AAFakeTokenForTests_x"


@dataclass
class Call:
    method: str
    fields: dict[str, str]
    files: dict[str, bytes]
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        value = self.fields.get("chat_id")
        return int(value) if value is not None else None

    def json(self, name: str) -> Any:
        return json.loads(self.fields[name])


def parse_body(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    if content_type.startswith("multipart/form-data"):
        message: Message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = payload
            else:
                fields[name] = payload.decode()
        return fields, files
    if body:
        return dict(parse_qsl(body.decode(), keep_blank_values=True)), {}
    return {}, {}


def describe(call: Call) -> str:
    """One line for a transcript: the method, the chat, what was shown."""
    parts = [call.method]
    if call.chat_id is not None:
        parts.append(f"chat={call.chat_id}")
    for name in ("text", "caption", "callback_query_id", "status"):
        if name in call.fields:
            parts.append(f"{name}={call.fields[name]!r}")
    if call.method == "sendMediaGroup":
        media = call.json("media")
        parts.append(f"{len(media)} items, caption={media[0].get('caption', '')!r}")
    if "reply_markup" in call.fields:
        markup = json.loads(call.fields["reply_markup"]) or {}
        labels = [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
        parts.append(f"buttons={labels}")
    parts += [f"{name}: {len(data)} bytes" for name, data in call.files.items()]
    return " ".join(parts)


def describe_update(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        query = update["callback_query"]
        return f"chat={query['from']['id']} pressed {query['data']!r}"
    message = update.get("message", {})
    chat = message.get("chat", {}).get("id")
    for kind in ("text", "voice", "photo", "document"):
        if kind in message:
            detail = message[kind] if kind == "text" else message.get("media_group_id", "")
            name = message[kind].get("file_name", "") if kind == "document" else ""
            return f"chat={chat} {kind} {name} {detail!r}".replace("  ", " ")
    return f"chat={chat} update"


class FakeBotApi:
    def __init__(self, *, upload_limit: int = 50 * 1024 * 1024, token: str = TOKEN) -> None:
        self.token = token
        self.upload_limit = upload_limit
        self.calls: list[Call] = []
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (data, path)
        self.faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.webhook: dict[str, str] = {}
        self.transcript: list[str] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what tests do --------------------------------------------------------------

    def host_file(self, data: bytes, name: str) -> dict[str, Any]:
        n = next(self._file_ids)
        file_id = f"F{n:06d}"
        self.files[file_id] = (data, f"documents/{n}-{name}")
        return {"file_id": file_id, "file_unique_id": f"U{n:06d}", "file_size": len(data)}

    def record(self, call: Call) -> None:
        self.calls.append(call)
        self.transcript.append(f"bot> {describe(call)}")

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for `getUpdates`; returns its id."""
        self.transcript.append(f"user> {describe_update(update)}")
        with self._cond:
            update = {"update_id": update.get("update_id") or next(self._update_ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def fail(self, method: str, status: int, **parameters: Any) -> None:
        """Answer the next call of `method` with an error (`retry_after=` for a 429)."""
        self.faults.setdefault(method, []).append((status, parameters))

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in list(self.calls)
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def texts(self, chat_id: int) -> list[str]:
        """Everything the chat was shown as text: messages, edits and captions, in order."""
        out = []
        for call in list(self.calls):
            if call.chat_id != chat_id:
                continue
            if call.method in {"sendMessage", "editMessageText"}:
                out.append(call.fields["text"])
            elif call.method == "sendMediaGroup":
                out += [m["caption"] for m in call.json("media") if m.get("caption")]
            elif "caption" in call.fields:
                out.append(call.fields["caption"])
        return out

    async def wait_for(self, check: Callable[[], bool], within_s: float = 60.0) -> None:
        """Let the bot work until `check()` holds (a generous deadline, not a timing test)."""
        deadline = time.monotonic() + within_s
        while not check():
            if time.monotonic() > deadline:
                methods = [(c.method, c.fields.get("text", "")[:60]) for c in self.calls[-15:]]
                raise AssertionError(f"condition not met; last calls: {methods}")
            await asyncio.sleep(0.05)

    # -- the server -----------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:
                return

            def _reply(self, status: int, payload: Any, content_type: str = "") -> None:
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type or "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (polling stopped)

            def do_GET(self) -> None:
                prefix = f"/file/bot{api.token}/"
                path = unquote(self.path)
                if not path.startswith(prefix):
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                wanted = path[len(prefix) :]
                for data, file_path in api.files.values():
                    if file_path == wanted:
                        self._reply(200, data, "application/octet-stream")
                        return
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                if length > api.upload_limit:
                    self.rfile.read(length)
                    method = self.path.rsplit("/", 1)[-1]
                    api.record(Call(method, {"status": "413"}, {}))
                    self._reply(413, b"Request Entity Too Large", "text/plain")
                    return
                body = self.rfile.read(length)
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                method = self.path[len(prefix) :]
                fields, files = parse_body(self.headers.get("Content-Type", ""), body)
                faults = api.faults.get(method)
                if faults:
                    status, parameters = faults.pop(0)
                    api.record(Call(method, fields, files))
                    self._reply(status, api.error(status, parameters))
                    return
                result = api.answer(method, fields, files)
                if method != "getUpdates":
                    api.record(Call(method, fields, files))
                self._reply(200, {"ok": True, "result": result})

        return Handler

    @staticmethod
    def error(status: int, parameters: dict[str, Any]) -> dict[str, Any]:
        descriptions = {
            400: "Bad Request: message is not modified: specified new message content and "
            "reply markup are exactly the same as a current content and reply markup of the "
            "message",
            403: "Forbidden: bot was blocked by the user",
            429: f"Too Many Requests: retry after {parameters.get('retry_after', 1)}",
        }
        out: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": parameters.pop("description", descriptions.get(status, "Error")),
        }
        if parameters:
            out["parameters"] = parameters
        return out

    def _message(self, fields: dict[str, str], **extra: Any) -> dict[str, Any]:
        chat_id = int(fields.get("chat_id", "0"))
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Studio"},
            **extra,
        }

    def answer(self, method: str, fields: dict[str, str], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Studio",
                "username": "reelestate_test_bot",
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            return self._get_updates(fields)
        if method in {"deleteWebhook", "answerCallbackQuery", "setMyCommands"}:
            return True
        if method == "setWebhook":
            self.webhook = dict(fields)
            return True
        if method == "getFile":
            data, path = self.files[fields["file_id"]]
            return {
                "file_id": fields["file_id"],
                "file_unique_id": "U" + fields["file_id"][1:],
                "file_size": len(data),
                "file_path": path,
            }
        if method == "sendMessage":
            return self._message(fields, text=fields["text"])
        if method in {"editMessageText", "editMessageReplyMarkup"}:
            return self._message(fields, text=fields.get("text", ""))
        if method == "sendMediaGroup":
            return [self._message(fields, photo=[]) for _ in json.loads(fields["media"])]
        if method == "sendPhoto":
            info = self.host_file(files.get("photo", b""), "photo")
            size = {"file_id": info["file_id"], "file_unique_id": info["file_unique_id"]}
            return self._message(fields, photo=[{**size, "width": 800, "height": 600}])
        if method in {"sendVideo", "sendDocument"}:
            kind = {"sendVideo": "video", "sendDocument": "document"}
            name = kind[method]
            data = files.get(name, b"")
            info = self.host_file(data, name)
            if name == "video":
                info |= {k: int(fields.get(k, "0")) for k in ("width", "height", "duration")}
            return self._message(fields, **{name: info})
        return True

    def _get_updates(self, fields: dict[str, str]) -> list[dict[str, Any]]:
        offset = int(fields.get("offset", "0") or 0)
        wait = min(float(fields.get("timeout", "0") or 0), 0.5)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and wait > 0:
                self._cond.wait(wait)
            return list(self._updates)
