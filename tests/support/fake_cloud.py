"""One loopback HTTP server speaking the wire formats of the paid services we check or call.

- OpenAI-compatible: `GET /v1/models`, `POST /v1/audio/transcriptions` (multipart, `json` or
  `verbose_json` replies), `Authorization: Bearer <key>`.
- ElevenLabs: `GET /v2/voices` with `xi-api-key`.
- fal: `POST /storage/auth/token?storage_type=fal-cdn-v3` with `Authorization: Key <key>`.
- Telegram: `POST /bot<token>/getMe`.

A wrong or missing credential gets the service's 401. `fail(route, status)` answers the next
request on a route with that status; every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    message: Message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = Upload(filename, part.get_content_type(), payload)
        else:
            fields[name] = payload.decode()
    return fields, files


ROUTES = {
    ("GET", "/v1/models"): "models",
    ("POST", "/v1/audio/transcriptions"): "transcriptions",
    ("GET", "/v2/voices"): "voices",
    ("POST", "/storage/auth/token"): "fal_token",
}


class FakeCloud:
    def __init__(
        self,
        *,
        openai_key: str | None = None,
        elevenlabs_key: str | None = None,
        fal_key: str | None = None,
        telegram_token: str | None = None,
    ) -> None:
        self.openai_key = openai_key
        self.elevenlabs_key = elevenlabs_key
        self.fal_key = fal_key
        self.telegram_token = telegram_token
        self.heard = "make it shorter"
        """What every transcription request is answered with."""
        self.models = ["gpt-4o-mini", "gpt-4o-mini-transcribe"]
        self.requests: list[Request] = []
        self.delay_s = 0.0
        """How long every answer waits (for client timeouts)."""
        self.faults: dict[str, list[int]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeCloud:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def fail(self, route: str, status: int, times: int = 1) -> None:
        self.faults.setdefault(route, []).extend([status] * times)

    def on(self, route: str) -> list[Request]:
        return [r for r in self.requests if self.route_of(r.method, r.path) == route]

    def route_of(self, method: str, path: str) -> str | None:
        if method == "POST" and path.startswith("/bot") and path.endswith("/getMe"):
            return "getMe"
        return ROUTES.get((method, path))

    # -- answers --------------------------------------------------------------------

    def answer(self, route: str, request: Request) -> tuple[int, dict[str, Any]]:
        if route == "getMe":
            token = request.path[len("/bot") : -len("/getMe")]
            if token != self.telegram_token:
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return 200, {
                "ok": True,
                "result": {"id": 1, "is_bot": True, "first_name": "Studio", "username": "s_bot"},
            }
        if route in {"models", "transcriptions"}:
            if request.headers.get("authorization") != f"Bearer {self.openai_key}":
                return 401, {"error": {"message": "Incorrect API key provided.", "code": 401}}
            if route == "models":
                data = [
                    {"id": m, "object": "model", "created": 0, "owned_by": "t"} for m in self.models
                ]
                return 200, {"object": "list", "data": data}
            return self._transcription(request)
        if route == "voices":
            if request.headers.get("xi-api-key") != self.elevenlabs_key:
                return 401, {"detail": {"status": "invalid_api_key", "message": "Invalid key"}}
            voice = {"voice_id": "v1", "name": "Rachel", "category": "premade"}
            return 200, {"voices": [voice], "has_more": False, "total_count": 1}
        if route == "fal_token":
            if request.headers.get("authorization") != f"Key {self.fal_key}":
                return 401, {"detail": "Invalid key"}
            if request.query.get("storage_type") != ["fal-cdn-v3"]:
                return 422, {"detail": "storage_type"}
            return 200, {
                "token": "cdn-token",
                "token_type": "Bearer",
                "base_url": self.base,
                "expires_at": "2099-01-01T00:00:00+00:00",
            }
        raise AssertionError(route)

    def _transcription(self, request: Request) -> tuple[int, dict[str, Any]]:
        upload = request.files.get("file")
        if upload is None or not request.fields.get("model") or not upload.data:
            return 400, {"error": {"message": "file and model are required"}}
        if upload.filename.rsplit(".", 1)[-1] not in {"ogg", "mp3", "m4a", "wav", "webm"}:
            return 400, {"error": {"message": "Invalid file format."}}
        if request.fields.get("response_format") == "verbose_json":
            return 200, {
                "task": "transcribe",
                "language": request.fields.get("language", "english"),
                "duration": 2.5,
                "text": self.heard,
                "segments": [],
            }
        return 200, {"text": self.heard, "usage": {"type": "duration", "seconds": 2.5}}

    # -- the server -----------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        cloud = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:
                return

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                request = Request(
                    method,
                    url.path,
                    parse_qs(url.query),
                    {k.lower(): v for k, v in self.headers.items()},
                )
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    request.fields, request.files = parse_multipart(content_type, body)
                cloud.requests.append(request)
                time.sleep(cloud.delay_s)
                route = cloud.route_of(method, url.path)
                payload: dict[str, Any]
                if route is None:
                    status, payload = 404, {"detail": "Not Found"}
                elif cloud.faults.get(route):
                    status = cloud.faults[route].pop(0)
                    payload = {"error": {"message": "injected failure"}}
                else:
                    status, payload = cloud.answer(route, request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        return Handler
