"""A Graph API server on 127.0.0.1 speaking Meta's wire format, for the publishing tests.

It does what Meta does with a Reel: fetches the `video_url` (or `file_url`) it is given and
probes it with ffprobe (H.264 + AAC in MP4, 9:16, 3-90 s), answers the first status poll of a
container with IN_PROGRESS, refuses to publish before FINISHED (9007/2207027) or twice
(100/2207008), counts the publishing quota, serves insights, and plays scripted errors with
`code`/`error_subcode` bodies (403 for throttling, as Meta's test servers do).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from tests.providers.fakes.http_fake import FakeHttpService, Request, Response

DEPRECATED_METRICS = frozenset({"plays", "impressions", "video_views", "clips_replays_count"})


@dataclass
class GraphFault:
    """The next request whose path contains `path_part` gets this error body."""

    path_part: str
    code: int
    subcode: int | None = None
    http_status: int = 400
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Container:
    id: str
    ig_user: str
    caption: str
    final: str
    status_text: str | None
    polls: int = 0
    published: bool = False


def probe_video(url: str) -> str | None:
    """None when the file at `url` is a Reel Meta accepts; else Meta's error subcode text."""
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            data = reply.read()
    except OSError:
        return "2207052"
    probe = subprocess.run(
        [
            "ffprobe", "-v", "error", "-print_format", "json",
            "-show_streams", "-show_format", "-i", "pipe:0",
        ],
        input=data, capture_output=True, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        return "2207026"
    info = json.loads(probe.stdout)
    streams = info.get("streams", [])
    video = [s for s in streams if s.get("codec_type") == "video"]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if "mp4" not in info.get("format", {}).get("format_name", ""):
        return "2207026"
    if not video or video[0].get("codec_name") != "h264":
        return "2207026"
    if not audio or audio[0].get("codec_name") != "aac":
        return "2207026"
    width, height = int(video[0]["width"]), int(video[0]["height"])
    if abs(width / height - 9 / 16) > 0.01:
        return "2207026"
    duration = float(info["format"].get("duration", 0))
    if not 3.0 <= duration <= 90.0:
        return "2207026"
    return None


class FakeGraphApi(FakeHttpService):
    def __init__(
        self, *, token: str = "PAGE-TOKEN", page_id: str = "1001", ig_id: str = "17841"
    ) -> None:
        super().__init__()
        self.token, self.page_id, self.ig_id = token, page_id, ig_id
        self.graph_faults: list[GraphFault] = []
        self.containers: dict[str, Container] = {}
        self.published: list[dict[str, Any]] = []
        self.fetched: list[str] = []
        self.next_container_final: str | None = None
        self.quota_total = 100
        self.insights: dict[str, dict[str, float]] = {}
        self.fb_videos: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(5000)
        self._state = threading.Lock()
        # Facebook Login: one app, one code the dialog handed out, the tokens it leads to.
        self.app_id, self.app_secret = "APP-1", "APP-SECRET"
        self.login_code, self.redirect_uri = "CODE-1", ""
        self.short_token, self.user_token = "SHORT-USER-TOKEN", "LONG-USER-TOKEN"
        self.page_name = "Oak Realty"

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def error(code: int, message: str, *, subcode: int | None = None, status: int = 400,
              headers: dict[str, str] | None = None) -> Response:  # fmt: skip
        body: dict[str, Any] = {
            "message": message, "type": "OAuthException" if code == 190 else "GraphMethodException",
            "code": code, "fbtrace_id": "AbCdEf",
        }  # fmt: skip
        if subcode is not None:
            body["error_subcode"] = subcode
        return Response.of_json(status, {"error": body}, **(headers or {}))

    def _form(self, request: Request) -> dict[str, str]:
        form = dict(parse_qsl(request.body.decode())) if request.body else {}
        return {**request.query, **form}

    def _token_ok(self, request: Request, form: dict[str, str]) -> bool:
        header = request.headers.get("authorization", "")
        given = form.get("access_token") or header.split(" ", 1)[-1]
        return given == self.token

    def calls(self, part: str, method: str | None = None) -> int:
        return sum(
            1 for r in self.requests if part in r.path and (method is None or r.method == method)
        )

    def containers_created(self) -> int:
        return sum(1 for r in self.requests if r.method == "POST" and r.path.endswith("/media"))

    # -- routing -------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        form = self._form(request)
        with self._state:
            for fault in self.graph_faults:
                if fault.path_part in request.path:
                    self.graph_faults.remove(fault)
                    return self.error(
                        fault.code, "scripted", subcode=fault.subcode,
                        status=fault.http_status, headers=fault.headers,
                    )  # fmt: skip
        parts = [p for p in request.path.split("/") if p]
        if parts and parts[0].startswith("v") and "." in parts[0]:
            parts = parts[1:]
        if parts == ["oauth", "access_token"]:
            return self._access_token(form)
        if parts == ["me", "accounts"]:
            return self._me_accounts(request, form)
        if not self._token_ok(request, form):
            return self.error(190, "Error validating access token", subcode=463)
        if parts[:2] == ["rupload", "video-upload"]:
            return self._upload(parts[-1], request)
        if len(parts) == 2 and parts[0] == self.ig_id:
            return self._instagram(parts[1], request.method, form)
        if len(parts) == 2 and parts[0] == self.page_id and parts[1] == "video_reels":
            return self._page_reels(form)
        if len(parts) == 2 and parts[1] in ("insights", "video_insights"):
            return self._insights(parts[0], form)
        if len(parts) == 1 and request.method == "GET":
            return self._object(parts[0])
        return self.error(100, "Unsupported request", subcode=33)

    def _access_token(self, form: dict[str, str]) -> Response:
        """Code -> short-lived user token; `fb_exchange_token` -> long-lived user token."""
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_secret:
            return self.error(101, "Error validating application. Invalid application ID.")
        if form.get("grant_type") == "fb_exchange_token":
            if form.get("fb_exchange_token") != self.short_token:
                return self.error(190, "Invalid OAuth access token.", subcode=463)
            return Response.of_json(
                200, {"access_token": self.user_token, "token_type": "bearer",
                      "expires_in": 5_183_944},
            )  # fmt: skip
        if form.get("code") != self.login_code:
            return self.error(100, "This authorization code has been used.", subcode=36009)
        if form.get("redirect_uri") != self.redirect_uri:
            return self.error(100, "Error validating verification code: redirect_uri differs.")
        return Response.of_json(
            200, {"access_token": self.short_token, "token_type": "bearer", "expires_in": 3600}
        )

    def _me_accounts(self, request: Request, form: dict[str, str]) -> Response:
        header = request.headers.get("authorization", "")
        if (form.get("access_token") or header.split(" ", 1)[-1]) != self.user_token:
            return self.error(190, "Error validating access token", subcode=463)
        page = {"id": self.page_id, "name": self.page_name, "access_token": self.token,
                "instagram_business_account": {"id": self.ig_id}}  # fmt: skip
        return Response.of_json(200, {"data": [page], "paging": {"cursors": {}}})

    def _instagram(self, edge: str, method: str, form: dict[str, str]) -> Response:
        if edge == "media" and method == "POST":
            if form.get("media_type") != "REELS":
                return self.error(100, "The parameter media_type must be REELS")
            caption = form.get("caption", "")
            if len(caption) > 2200 or caption.count("#") > 30:
                return self.error(100, "The caption is too long or has too many hashtags")
            self.fetched.append(form["video_url"])
            problem = probe_video(form["video_url"])
            final = self.next_container_final or ("ERROR" if problem else "FINISHED")
            self.next_container_final = None
            text = f"Error: Media upload has failed with error code {problem or 2207001}"
            cid = str(next(self._ids))
            with self._state:
                self.containers[cid] = Container(
                    cid, self.ig_id, caption, final, text if final == "ERROR" else None
                )
            return Response.of_json(200, {"id": cid})
        if edge == "media_publish" and method == "POST":
            with self._state:
                container = self.containers.get(form.get("creation_id", ""))
                if container is None:
                    return self.error(100, "Unsupported post request", subcode=33)
                if container.published:
                    return self.error(100, "The media was already published", subcode=2207008)
                if container.polls < 2 or container.final == "IN_PROGRESS":
                    return self.error(9007, "Media ID is not available", subcode=2207027)
                if container.final != "FINISHED":
                    return self.error(9007, "The media is not ready", subcode=2207027)
                container.published = True
                media_id = str(next(self._ids))
                self.published.append(
                    {"channel": "instagram", "id": media_id, "caption": container.caption}
                )
            return Response.of_json(200, {"id": media_id})
        if edge == "content_publishing_limit":
            used = sum(1 for p in self.published if p["channel"] == "instagram")
            return Response.of_json(
                200,
                {"data": [{"quota_usage": used, "config": {"quota_total": self.quota_total,
                                                           "quota_duration": 86400}}]},
            )  # fmt: skip
        return self.error(100, "Unsupported request", subcode=33)

    def _page_reels(self, form: dict[str, str]) -> Response:
        phase = form.get("upload_phase")
        if phase == "start":
            vid = str(next(self._ids))
            self.fb_videos[vid] = {"uploaded": False, "published": False}
            url = f"{self.base_url}/rupload/video-upload/v23.0/{vid}"
            return Response.of_json(200, {"video_id": vid, "upload_url": url})
        if phase == "finish":
            video = self.fb_videos.get(form.get("video_id", ""))
            if video is None or not video["uploaded"]:
                return self.error(100, "The video was not uploaded")
            if video["published"]:
                return self.error(100, "The video was already published")
            video["published"] = True
            self.published.append(
                {"channel": "facebook", "id": form["video_id"], "caption": form.get("description"),
                 "state": form.get("video_state")}
            )  # fmt: skip
            return Response.of_json(200, {"success": True, "post_id": f"{self.page_id}_1"})
        return self.error(100, "upload_phase must be start or finish")

    def _upload(self, vid: str, request: Request) -> Response:
        video = self.fb_videos.get(vid)
        url = request.headers.get("file_url")
        if video is None or not url:
            return self.error(100, "Bad upload")
        self.fetched.append(url)
        problem = probe_video(url)
        if problem:
            return self.error(
                6000, "There was a problem uploading your video", subcode=int(problem)
            )
        video["uploaded"] = True
        return Response.of_json(200, {"success": True})

    def _object(self, object_id: str) -> Response:
        with self._state:
            container = self.containers.get(object_id)
            if container is not None:
                container.polls += 1
                code = "IN_PROGRESS" if container.polls == 1 else container.final
                if container.published:
                    code = "PUBLISHED"
                body: dict[str, Any] = {"status_code": code, "id": object_id}
                if code == "ERROR":
                    body["status"] = container.status_text
                return Response.of_json(200, body)
        video = self.fb_videos.get(object_id)
        if video is not None:
            done = "complete" if video["published"] else "not_started"
            return Response.of_json(
                200, {"status": {"video_status": "ready", "publishing_phase": {"status": done}}}
            )
        return self.error(100, "Unsupported get request", subcode=33)

    def _insights(self, object_id: str, form: dict[str, str]) -> Response:
        metrics = form.get("metric", "").split(",")
        if DEPRECATED_METRICS & set(metrics):
            return self.error(100, "metric[0] must be one of the following values: views, ...")
        values = self.insights.get(object_id, {})
        data = [
            {"name": m, "period": "lifetime", "values": [{"value": values[m]}], "title": m,
             "description": m, "id": f"{object_id}/insights/{m}/lifetime"}
            for m in metrics if m in values
        ]  # fmt: skip
        return Response.of_json(200, {"data": data})
