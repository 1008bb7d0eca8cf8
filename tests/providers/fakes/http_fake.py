"""A scripted HTTP service on 127.0.0.1: records every request, plays faults in order."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-cased names."""
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_json(cls, status: int, payload: object, **headers: str) -> Response:
        return cls(status, json.dumps(payload).encode(), headers=dict(headers))


@dataclass(frozen=True)
class Fault:
    """What the next synthesis request meets: a delay, then an error status (or the answer)."""

    status: int | None = None
    retry_after: str | None = None
    delay_s: float = 0.0
    payload: object = None
    """The JSON body to answer with instead of a scripted error."""


class FakeHttpService:
    """Subclasses answer in `handle`; faults apply to the requests they route to `faulted`."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.base_url = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def count(self, path_part: str) -> int:
        return sum(1 for r in self.requests if path_part in r.path)

    def faulted(self) -> Response | None:
        """Play the next fault, if any: None means answer normally."""
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault is None:
            return None
        if fault.delay_s:
            self._stop.wait(fault.delay_s)
        if fault.status is None:
            return None
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        body = fault.payload or {
            "detail": {"status": "fault", "message": f"scripted {fault.status}"}
        }
        return Response.of_json(fault.status, body, **headers)

    @contextmanager
    def running(self, prefix: str = "") -> Iterator[Self]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                parts = urlsplit(self.path)
                request = Request(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                with service._lock:
                    service.requests.append(request)
                response = service.handle(request)
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        try:
            yield self
        finally:
            self._stop.set()
            server.shutdown()
            server.server_close()
            thread.join()
