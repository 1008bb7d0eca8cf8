"""D-ID's Talks API and HeyGen's v2 API on 127.0.0.1, making real clips from what they get.

One server speaks both (they share no paths). A finished job is a real H.264/AAC MP4 made by
FFmpeg from the uploaded photo and the uploaded audio, with a magenta square in the middle
(the marker a test looks for in the composited video). The status steps once per poll
(`created` -> `started` -> `done`; `pending` -> `processing` -> `completed`), and `mode`
scripts the failures: a job ending in `error`/`rejected`/`failed`, a job that never finishes,
a create that hangs, a result that is an HTML page; `faults` play 4xx/5xx answers in order.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reelestate.render.ffmpeg import find_tools
from tests.providers.fakes.http_fake import FakeHttpService, Request, Response

DID_KEY = "ZGFuYUBleGFtcGxlLmNvbQ:secret-did"
HEYGEN_KEY = "heygen-test-key"
Mode = Literal["ok", "error", "rejected", "never_done", "hang_create", "html_result"]
MARKER_RGB = (255, 0, 255)


@dataclass
class Job:
    image: bytes
    audio: bytes
    audio_suffix: str
    polls: int = 0
    clip: bytes | None = None


def make_clip(image: bytes, audio: bytes, audio_suffix: str) -> bytes:
    """The photo over the audio with a magenta marker: 128x128, 25 fps, at most 2 s."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "photo").write_bytes(image)
        (folder / f"voice{audio_suffix}").write_bytes(audio)
        out = folder / "clip.mp4"
        graph = (
            "scale=128:128:force_original_aspect_ratio=increase,crop=128:128,"
            "drawbox=x=40:y=40:w=48:h=48:color=0xFF00FF:t=fill,format=yuv420p"
        )
        subprocess.run(
            [
                find_tools().ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-loop",
                "1",
                "-framerate",
                "25",
                "-i",
                str(folder / "photo"),
                "-i",
                str(folder / f"voice{audio_suffix}"),
                "-vf",
                graph,
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-c:a",
                "aac",
                "-shortest",
                "-t",
                "2",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


def _multipart_file(request: Request) -> tuple[str, bytes]:
    header = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + request.body)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        return part.get_filename() or "file", payload if isinstance(payload, bytes) else b""
    return "file", b""


def _error(status: int, kind: str, description: str) -> Response:
    return Response.of_json(status, {"kind": kind, "description": description})


class FakeAvatarServices(FakeHttpService):
    def __init__(self) -> None:
        super().__init__()
        self.mode: Mode = "ok"
        self.images: dict[str, bytes] = {}
        self.audios: dict[str, tuple[bytes, str]] = {}
        self.jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/results/"):
            return self._result(request.path.removeprefix("/results/").removesuffix(".mp4"))
        if request.path.startswith(("/images", "/audios", "/talks")):
            return self._did(request)
        return self._heygen(request)

    # -- D-ID ------------------------------------------------------------------------
    def _did(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Basic {DID_KEY}":
            return _error(401, "AuthorizationError", "the authorization header is not valid")
        faulted = self.faulted()
        if faulted is not None:
            return faulted
        n = next(self._ids)
        if request.method == "POST" and request.path == "/images":
            name, data = _multipart_file(request)
            url = f"s3://d-id-images-prod/user/img_{n}/{name}"
            self.images[url] = data
            return Response.of_json(201, {"id": f"img_{n}", "url": url})
        if request.method == "POST" and request.path == "/audios":
            name, data = _multipart_file(request)
            url = f"s3://d-id-audios-prod/user/aud_{n}/{name}"
            self.audios[url] = (data, Path(name).suffix or ".wav")
            return Response.of_json(201, {"id": f"aud_{n}", "url": url, "duration": 1.0})
        if request.method == "POST" and request.path == "/talks":
            body = request.json()
            script = body.get("script") or {}
            image = self.images.get(body.get("source_url", ""))
            audio = self.audios.get(script.get("audio_url", ""))
            if image is None or audio is None:
                return _error(400, "ValidationError", "source_url and script are required")
            if self.mode == "hang_create":
                self._stop.wait(30)
            talk = f"tlk_{n}"
            self.jobs[talk] = Job(image, audio[0], audio[1])
            return Response.of_json(201, {"id": talk, "object": "talk", "status": "created"})
        if request.method == "GET" and request.path.startswith("/talks/"):
            job = self.jobs.get(request.path.removeprefix("/talks/"))
            if job is None:
                return _error(404, "NotFoundError", "talk not found")
            talk = request.path.removeprefix("/talks/")
            job.polls += 1
            if self.mode in ("error", "rejected") and job.polls >= 2:
                return Response.of_json(
                    200,
                    {
                        "id": talk,
                        "status": self.mode,
                        "error": {"kind": "FaceError", "description": "no face detected"},
                    },
                )
            if self.mode == "never_done" or job.polls < 3:
                status = "created" if job.polls == 1 else "started"
                return Response.of_json(200, {"id": talk, "status": status})
            return Response.of_json(
                200,
                {
                    "id": talk,
                    "status": "done",
                    "result_url": f"{self.base_url}/results/{talk}.mp4?Expires=1&Signature=x",
                    "duration": 2.0,
                },
            )
        return _error(404, "NotFoundError", "no such endpoint")

    # -- HeyGen ----------------------------------------------------------------------
    def _heygen(self, request: Request) -> Response:
        if request.headers.get("x-api-key") != HEYGEN_KEY:
            return Response.of_json(401, {"code": 401, "message": "Unauthorized"})
        faulted = self.faulted()
        if faulted is not None:
            return faulted
        n = next(self._ids)
        if request.path == "/v1/talking_photo":
            self.images[f"tp_{n}"] = request.body
            data = {"talking_photo_id": f"tp_{n}", "talking_photo_url": "https://x/tp.jpg"}
            return Response.of_json(200, {"code": 100, "data": data})
        if request.path == "/v1/asset":
            kind = request.headers.get("content-type", "")
            suffix = ".wav" if "wav" in kind else ".mp3"
            self.audios[f"as_{n}"] = (request.body, suffix)
            data = {"id": f"as_{n}", "name": "voice", "file_type": "audio", "url": "https://x/a"}
            return Response.of_json(200, {"code": 100, "data": data})
        if request.path == "/v2/video/generate":
            first = (request.json().get("video_inputs") or [{}])[0]
            image = self.images.get(first.get("character", {}).get("talking_photo_id", ""))
            audio = self.audios.get(first.get("voice", {}).get("audio_asset_id", ""))
            if image is None or audio is None:
                return Response.of_json(
                    400, {"error": {"code": "invalid_parameter", "message": "bad inputs"}}
                )
            if self.mode == "hang_create":
                self._stop.wait(30)
            video = f"vid_{n}"
            self.jobs[video] = Job(image, audio[0], audio[1])
            return Response.of_json(200, {"error": None, "data": {"video_id": video}})
        if request.path == "/v1/video_status.get":
            video = request.query.get("video_id", "")
            job = self.jobs.get(video)
            if job is None:
                return Response.of_json(404, {"code": 404, "message": "not found"})
            job.polls += 1
            data: dict[str, object] = {"id": video, "status": "processing"}
            if self.mode in ("error", "rejected") and job.polls >= 2:
                data = {
                    "id": video,
                    "status": "failed",
                    "error": {"code": 40001, "message": "photo rejected", "detail": "no face"},
                }
            elif self.mode != "never_done" and job.polls >= 3:
                data = {
                    "id": video,
                    "status": "completed",
                    "video_url": f"{self.base_url}/results/{video}.mp4?sig=1",
                    "duration": 2.0,
                }
            elif job.polls == 1:
                data["status"] = "pending"
            return Response.of_json(200, {"code": 100, "message": "Success", "data": data})
        return Response.of_json(404, {"code": 404, "message": "no such endpoint"})

    def _result(self, job_id: str) -> Response:
        job = self.jobs.get(job_id)
        if job is None:
            return Response(403, b"<Error><Code>AccessDenied</Code></Error>", "application/xml")
        if self.mode == "html_result":
            return Response(200, b"<html><body>Preview unavailable</body></html>", "text/html")
        if job.clip is None:
            job.clip = make_clip(job.image, job.audio, job.audio_suffix)
        return Response(200, job.clip, "video/mp4")
