"""HeyGen v2: the presenter photo as a talking photo, speaking our narration.

Uploads go to HeyGen's upload host (`HEYGEN_UPLOAD_URL`): the photo as a talking photo
(`POST /v1/talking_photo`), the narration as an asset (`POST /v1/asset`), both as raw bytes.
Then `POST /v2/video/generate`, and `GET /v1/video_status.get` until `completed` or
`failed`, under one deadline; the video URL expires, so it is downloaded at once. Replies
carry errors two ways (`code != 100`, or an `error` object): both are checked. HeyGen calls
v1/v2 legacy (supported until October 2026); the client sits behind the same interface as
D-ID's, so it can be swapped for v3 without touching callers.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx

from reelestate.core.errors import ProviderError, ProviderRejectedError
from reelestate.core.presenter_names import AvatarProviderName
from reelestate.core.retry import RetryPolicy
from reelestate.providers.avatar.base import (
    AvatarClip,
    AvatarRequest,
    CancelCheck,
    estimate_avatar_cost,
)
from reelestate.providers.avatar.http import download_video, poll_until, send

SERVICE = "HeyGen"


def _data(body: Any, action: str) -> dict[str, Any]:
    """The `data` object of a reply, or the error it carries instead."""
    if not isinstance(body, dict):
        raise ProviderError(f"HeyGen sent an unexpected reply while {action}.")
    error = body.get("error")
    code = body.get("code")
    if error or (code is not None and code != 100):
        message = error.get("message") if isinstance(error, dict) else body.get("message")
        raise ProviderRejectedError(f"HeyGen refused {action}: {message or 'no reason given'}.")
    data = body.get("data")
    if not isinstance(data, dict):
        raise ProviderError(f"HeyGen sent no data while {action}.")
    return data


def _image_type(path: Path) -> str:
    return "image/png" if path.suffix.lower() == ".png" else "image/jpeg"


def _audio_type(path: Path) -> str:
    return "audio/wav" if path.suffix.lower() == ".wav" else "audio/mpeg"


class HeyGenAvatarGenerator:
    """`AvatarGenerator` on HeyGen's v2 video API with a talking photo."""

    name: AvatarProviderName = "heygen"

    def __init__(
        self,
        key: str,
        *,
        base_url: str = "https://api.heygen.com",
        upload_url: str = "https://upload.heygen.com",
        timeout_s: float = 600.0,
        poll_interval_s: float = 3.0,
        request_timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        max_clip_bytes: int = 200 * 2**20,
    ) -> None:
        self._headers = {"X-Api-Key": key, "Accept": "application/json"}
        self.base_url = base_url.rstrip("/")
        self.upload_url = upload_url.rstrip("/")
        self.timeout_s = timeout_s
        self.poll_interval_s = poll_interval_s
        self.request_timeout_s = min(request_timeout_s, timeout_s)
        self.retry = retry or RetryPolicy(attempts=3, base_delay_s=1.0, max_delay_s=10.0)
        self.max_clip_bytes = max_clip_bytes

    async def generate(
        self, request: AvatarRequest, out_dir: Path, *, should_cancel: CancelCheck | None = None
    ) -> AvatarClip:
        deadline = time.monotonic() + self.timeout_s
        await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
        async with httpx.AsyncClient(
            headers=self._headers, timeout=self.request_timeout_s, follow_redirects=True
        ) as client:
            uploaded = await self._upload(
                client, "talking_photo", request.photo, _image_type(request.photo), "the photo"
            )
            asset = await self._upload(
                client, "asset", request.audio, _audio_type(request.audio), "the narration"
            )
            created = _data(
                await send(
                    lambda: client.post(
                        f"{self.base_url}/v2/video/generate",
                        json={
                            "video_inputs": [
                                {
                                    "character": {
                                        "type": "talking_photo",
                                        "talking_photo_id": uploaded.get("talking_photo_id"),
                                    },
                                    "voice": {"type": "audio", "audio_asset_id": asset.get("id")},
                                }
                            ],
                            "dimension": {"width": request.size, "height": request.size},
                            "caption": False,
                        },
                    ),
                    service=SERVICE,
                    action="creating the video",
                    retry=self.retry,
                ),
                "the video",
            )
            video_id = str(created.get("video_id") or "")
            if not video_id:
                raise ProviderError("HeyGen created a video without an id.")

            async def check() -> dict[str, Any] | None:
                data = _data(
                    await send(
                        lambda: client.get(
                            f"{self.base_url}/v1/video_status.get", params={"video_id": video_id}
                        ),
                        service=SERVICE,
                        action="checking the video",
                        retry=self.retry,
                    ),
                    "the status check",
                )
                status = data.get("status")
                if status == "failed":
                    error = data.get("error") or {}
                    detail = error.get("message") if isinstance(error, dict) else None
                    raise ProviderRejectedError(
                        f"HeyGen could not make the presenter ({detail or 'no reason given'})."
                    )
                return data if status == "completed" else None

            done = await poll_until(
                check,
                service=SERVICE,
                deadline=deadline,
                interval_s=self.poll_interval_s,
                should_cancel=should_cancel,
            )
            url = done.get("video_url")
            if not isinstance(url, str) or not url:
                raise ProviderError("HeyGen finished the video without a URL.")
            path = await download_video(
                url,
                out_dir / "presenter-heygen.mp4",
                service=SERVICE,
                max_bytes=self.max_clip_bytes,
                timeout_s=self.request_timeout_s,
            )
        seconds = float(done.get("duration") or request.audio_seconds)
        return AvatarClip(
            path=path,
            provider="heygen",
            request_id=video_id,
            cost_usd=estimate_avatar_cost("heygen", seconds),
            lip_synced=True,
            generated=True,
        )

    async def _upload(
        self, client: httpx.AsyncClient, kind: str, file: Path, content_type: str, what: str
    ) -> dict[str, Any]:
        """One file to HeyGen's upload host (`/v1/talking_photo` or `/v1/asset`), its data."""
        content = await asyncio.to_thread(file.read_bytes)
        return _data(
            await send(
                lambda: client.post(
                    f"{self.upload_url}/v1/{kind}",
                    content=content,
                    headers={"Content-Type": content_type},
                ),
                service=SERVICE,
                action=f"uploading {what}",
                retry=self.retry,
            ),
            what,
        )
