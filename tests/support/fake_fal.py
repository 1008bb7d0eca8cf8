"""A fake fal.ai on 127.0.0.1 speaking the wire format the real fal-client 1.0.3 expects.

Start it, point the product at it, read what it saw:

    with run_fake_fal(clip=clips.good) as fal:
        settings = Settings(FAL_KEY=fal.key, REELESTATE_FAL_BASE_URL=fal.base_url, ...)
        clip = await FalVideoGenerator.from_settings(settings).generate(request, out_dir)
        fal.of("submit")[0].json()       # the model arguments
        fal.cancelled                     # request ids cancelled with PUT .../cancel

`REELESTATE_FAL_BASE_URL` points all four fal-client hosts (queue, run, REST, CDN) here.

What it serves (one base URL):
- `POST /{endpoint...}[?fal_webhook=URL]` submit: `{request_id, gateway_request_id,
  response_url, status_url, cancel_url, status, queue_position}`;
- `GET /{owner}/{alias}/requests/{id}/status?logs=` IN_QUEUE (one poll per entry of
  `queue_positions`), IN_PROGRESS (`running_polls` polls, with log lines), then COMPLETED
  (with `error`/`error_type` when `result_error` is set); `stuck=True` never completes;
- `GET /{owner}/{alias}/requests/{id}` result `{"video": {url, content_type, file_name,
  file_size}, **result_extra}`, or `result_error` as `(status, body)`;
- `PUT /{owner}/{alias}/requests/{id}/cancel` recorded in `cancelled`;
- `POST /storage/auth/token`, `POST /files/upload` (and the `storage/upload/initiate` fallback):
  uploads kept in `uploads`; `GET /files/...` serves uploads and clips;
- `GET /.well-known/jwks.json`: the ED25519 key webhooks are signed with (`jwks_url`).
With a `fal_webhook` URL the job completes `webhook_delay_s` after submit and the result is
POSTed there, signed as fal signs it (`webhook_signature`: "valid", "tampered", "stale",
"unsigned"); our app's answers are in `webhook_responses`.

Faults: `fail_next(kind, status, body, headers, times)` answers the next `times` calls of a
kind ("submit", "status", "result", "cancel", "token", "upload", "download") with an error;
`clips_by_endpoint` serves a different file per model; `clip_bytes` overrides the file.
Every request is in `requests` (`of(kind)` filters them).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FAKE_KEY = "fake-key-id:fake-key-secret-0123456789"
WebhookSignature = Literal["valid", "tampered", "stale", "unsigned"]


@dataclass
class Recorded:
    kind: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeJob:
    request_id: str
    endpoint: str
    app: str
    """`owner/alias`, the part of the endpoint id the queue URLs use."""
    arguments: dict[str, Any]
    webhook_url: str | None
    clip: bytes
    polls: int = 0
    completed: bool = False
    cancelled: bool = False


class FakeFal:
    def __init__(
        self,
        *,
        clip: Path | None = None,
        clip_bytes: bytes | None = None,
        clips_by_endpoint: Mapping[str, Path] | None = None,
        key: str = FAKE_KEY,
        queue_positions: tuple[int, ...] = (2, 1, 0),
        running_polls: int = 1,
        stuck: bool = False,
        result_extra: dict[str, Any] | None = None,
        result_error: tuple[int, dict[str, Any]] | None = None,
        webhook_delay_s: float = 0.2,
        webhook_signature: WebhookSignature = "valid",
        user_id: str = "fake-user-1",
    ) -> None:
        self.key = key
        self.clip_bytes = clip_bytes if clip_bytes is not None else _read(clip)
        self.clips_by_endpoint = {k: v.read_bytes() for k, v in (clips_by_endpoint or {}).items()}
        self.queue_positions = queue_positions
        self.running_polls = running_polls
        self.stuck = stuck
        self.result_extra = result_extra or {}
        self.result_error = result_error
        self.webhook_delay_s = webhook_delay_s
        self.webhook_signature: WebhookSignature = webhook_signature
        self.user_id = user_id
        self.requests: list[Recorded] = []
        self.jobs: dict[str, FakeJob] = {}
        self.uploads: list[tuple[str, str, bytes]] = []
        self.cancelled: list[str] = []
        self.webhook_responses: list[int] = []
        self.signing_key = Ed25519PrivateKey.generate()
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._timers: list[threading.Timer] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- what tests use ----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/.well-known/jwks.json"

    def jwks(self) -> dict[str, Any]:
        raw = self.signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "fake-1"}]}

    def of(self, kind: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.kind == kind]

    def fail_next(
        self,
        kind: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        times: int = 1,
    ) -> None:
        fault = Fault(status, body or {"detail": f"fake failure {status}"}, headers or {})
        with self._lock:
            self._faults.setdefault(kind, []).extend([fault] * times)

    def sign(self, request_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        """Headers fal sends with a webhook delivery of `body`."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        digest = hashlib.sha256(body).hexdigest()
        message = f"{request_id}\n{self.user_id}\n{ts}\n{digest}".encode()
        return {
            "X-Fal-Webhook-Request-Id": request_id,
            "X-Fal-Webhook-User-Id": self.user_id,
            "X-Fal-Webhook-Timestamp": ts,
            "X-Fal-Webhook-Signature": self.signing_key.sign(message).hex(),
        }

    def __enter__(self) -> FakeFal:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        for timer in self._timers:
            timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    # -- behaviour ---------------------------------------------------------------------

    def _fault(self, kind: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(kind)
            return queue.pop(0) if queue else None

    def _submit(self, path: str, query: dict[str, str], body: bytes) -> tuple[int, Any]:
        endpoint = path.strip("/")
        parts = endpoint.split("/")
        request_id = str(uuid.UUID(int=next(self._ids)))
        job = FakeJob(
            request_id=request_id,
            endpoint=endpoint,
            app="/".join(parts[:2]),
            arguments=json.loads(body or b"{}"),
            webhook_url=query.get("fal_webhook"),
            clip=self.clips_by_endpoint.get(endpoint, self.clip_bytes),
        )
        with self._lock:
            self.jobs[request_id] = job
        if job.webhook_url and not self.stuck:
            timer = threading.Timer(self.webhook_delay_s, self._deliver_webhook, (job,))
            timer.daemon = True
            self._timers.append(timer)
            timer.start()
        base = f"{self.base_url}/{job.app}/requests/{request_id}"
        return 200, {
            "request_id": request_id,
            "gateway_request_id": request_id,
            "response_url": base,
            "status_url": f"{base}/status",
            "cancel_url": f"{base}/cancel",
            "status": "IN_QUEUE",
            "queue_position": self.queue_positions[0] if self.queue_positions else 0,
        }

    def _status(self, job: FakeJob, with_logs: bool) -> tuple[int, Any]:
        with self._lock:
            job.polls += 1
            n = job.polls
            if not job.completed and not self.stuck:
                job.completed = n > len(self.queue_positions) + self.running_polls
        response_url = f"{self.base_url}/{job.app}/requests/{job.request_id}"
        if n <= len(self.queue_positions) and not job.completed:
            position = self.queue_positions[n - 1]
            return 202, {"status": "IN_QUEUE", "queue_position": position,
                         "response_url": response_url}  # fmt: skip
        logs = [
            {"message": f"Generating frames ({n})", "level": "INFO", "source": "user",
             "timestamp": datetime.now(UTC).isoformat()}
        ] if with_logs else None  # fmt: skip
        if not job.completed:
            return 202, {"status": "IN_PROGRESS", "logs": logs, "response_url": response_url}
        body: dict[str, Any] = {"status": "COMPLETED", "logs": logs, "response_url": response_url,
                                "metrics": {"inference_time": 1.5}}  # fmt: skip
        if self.result_error is not None:
            body["error"] = f"Invalid status code: {self.result_error[0]}"
            body["error_type"] = self.result_error[1].get("error_type")
        return 200, body

    def _result_body(self, job: FakeJob) -> dict[str, Any]:
        name = f"{job.request_id}.mp4"
        return {
            "video": {
                "url": f"{self.base_url}/files/clips/{name}",
                "content_type": "video/mp4",
                "file_name": name,
                "file_size": len(job.clip),
            },
            **self.result_extra,
        }

    def _result(self, job: FakeJob) -> tuple[int, Any]:
        if not job.completed:
            return 400, {"detail": "Request is still in progress"}
        if self.result_error is not None:
            return self.result_error
        return 200, self._result_body(job)

    def _cancel(self, job: FakeJob) -> tuple[int, Any]:
        with self._lock:
            self.cancelled.append(job.request_id)
            if job.completed:
                return 400, {"status": "ALREADY_COMPLETED"}
            job.cancelled = True
        return 202, {"status": "CANCELLATION_REQUESTED"}

    def _deliver_webhook(self, job: FakeJob) -> None:
        with self._lock:
            if job.cancelled:
                return
            job.completed = True
        if self.result_error is not None:
            status, error = self.result_error
            payload: dict[str, Any] = {"request_id": job.request_id,
                                       "gateway_request_id": job.request_id, "status": "ERROR",
                                       "error": f"Invalid status code: {status}",
                                       "payload": error}  # fmt: skip
        else:
            payload = {"request_id": job.request_id, "gateway_request_id": job.request_id,
                       "status": "OK", "payload": self._result_body(job)}  # fmt: skip
        body = json.dumps(payload).encode()
        stale = int(time.time()) - 3600 if self.webhook_signature == "stale" else None
        headers = (
            {} if self.webhook_signature == "unsigned" else self.sign(job.request_id, body, stale)
        )
        if self.webhook_signature == "tampered":
            body = body.replace(b'"status": "OK"', b'"status": "OK", "x": 1')
        request = urllib.request.Request(
            str(job.webhook_url),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                code = int(response.status)
        except urllib.error.HTTPError as exc:
            code = exc.code
        except OSError:
            code = 0
        with self._lock:
            self.webhook_responses.append(code)

    # -- HTTP --------------------------------------------------------------------------

    @staticmethod
    def kind_of(method: str, path: str) -> str:
        """Which call a request is, from its method and path alone."""
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/.well-known/jwks.json":
            return "jwks"
        if method == "GET" and parts[0] == "files":
            return "download"
        if method == "POST" and path == "/storage/auth/token":
            return "token"
        if (method == "POST" and path == "/files/upload") or (
            method == "PUT" and parts[:2] == ["storage", "put"]
        ):
            return "upload"
        if method == "POST" and path == "/storage/upload/initiate":
            return "initiate"
        if "requests" in parts and len(parts) > parts.index("requests") + 1:
            if method == "GET" and parts[-1] == "status":
                return "status"
            if method == "PUT" and parts[-1] == "cancel":
                return "cancel"
            if method == "GET" and parts.index("requests") == len(parts) - 2:
                return "result"
            return "unknown"
        if method == "POST" and len(parts) >= 2:
            return "submit"
        return "unknown"

    def _route(self, kind: str, path: str, query: dict[str, str], body: bytes,
               headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
        """(status, JSON body or bytes, extra headers) for a call that passed auth and faults."""
        parts = path.strip("/").split("/")
        if kind == "jwks":
            return 200, self.jwks(), {}
        if kind == "download":
            return *self._file(path), {"Content-Type": "video/mp4"}
        if kind == "token":
            return 200, {
                "token": "fake-cdn-token", "token_type": "Bearer", "base_url": self.base_url,
                "expires_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            }, {}  # fmt: skip
        if kind == "upload" and parts[0] == "files":
            return 200, {"access_url": self._keep_upload(headers, body)}, {}
        if kind == "upload":
            with self._lock:
                self.uploads.append((f"uploads/{parts[2]}", headers.get("content-type", ""), body))
            return 200, {}, {}
        if kind == "initiate":
            n = next(self._ids)
            return 200, {"upload_url": f"{self.base_url}/storage/put/{n}",
                         "file_url": f"{self.base_url}/files/uploads/{n}"}, {}  # fmt: skip
        if kind == "submit":
            return *self._submit(path, query, body), {}
        if kind in {"status", "cancel", "result"}:
            job = self.jobs.get(parts[parts.index("requests") + 1])
            if job is None:
                return 404, {"detail": "Request not found"}, {}
            if kind == "status":
                return *self._status(job, query.get("logs") == "true"), {}
            if kind == "cancel":
                return *self._cancel(job), {}
            return *self._result(job), {}
        return 404, {"detail": "Not found"}, {}

    def _keep_upload(self, headers: dict[str, str], body: bytes) -> str:
        name = headers.get("x-fal-file-name", "upload.bin")
        with self._lock:
            n = next(self._ids)
            self.uploads.append((f"uploads/{n}/{name}", headers.get("content-type", ""), body))
        return f"{self.base_url}/files/uploads/{n}/{name}"

    def _file(self, path: str) -> tuple[int, Any]:
        if path.startswith("/files/clips/"):
            request_id = path.rsplit("/", 1)[-1].removesuffix(".mp4")
            job = self.jobs.get(request_id)
            return (200, job.clip) if job is not None else (404, {"detail": "No such file"})
        wanted = path.removeprefix("/files/")
        for name, _, data in self.uploads:
            if name == wanted:
                return 200, data
        return 404, {"detail": "No such file"}

    def _authorised(self, kind: str, headers: dict[str, str]) -> bool:
        given = headers.get("authorization", "")
        if kind in {"jwks", "download"}:
            return True
        if kind == "upload" and given.startswith("Bearer "):
            return given == "Bearer fake-cdn-token"
        return given == f"Key {self.key}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:
                return

            def _serve(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                query = dict(parse_qsl(url.query))
                kind = fake.kind_of(self.command, url.path)
                with fake._lock:
                    fake.requests.append(
                        Recorded(kind, self.command, url.path, query, headers, body)
                    )
                fault = fake._fault(kind)
                if not fake._authorised(kind, headers):
                    self._reply(401, {"detail": "Invalid key"}, {})
                elif fault is not None:
                    self._reply(fault.status, fault.body, fault.headers)
                else:
                    self._reply(*fake._route(kind, url.path, query, body, headers))

            def _reply(self, status: int, payload: Any, extra: dict[str, str]) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                if not isinstance(payload, bytes):
                    extra = {**extra, "Content-Type": "application/json"}
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("x-fal-request-id", "fake")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def do_PUT(self) -> None:
                self._serve()

        return Handler


def _read(path: Path | None) -> bytes:
    return path.read_bytes() if path is not None else b"\x00\x00\x00\x18ftypmp42fake-clip"


@contextmanager
def run_fake_fal(clip: Path | None = None, **knobs: Any) -> Iterator[FakeFal]:
    """A started fake fal; see the module docstring for the knobs."""
    with FakeFal(clip=clip, **knobs) as fake:
        yield fake
