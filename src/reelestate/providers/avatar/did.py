"""D-ID Talks: the presenter photo speaking our narration, lips matched to our own voice.

One `generate` call: upload the photo (`POST /images`) and the narration (`POST /audios`),
create a talk from both (`POST /talks`, `stitch` keeps the whole photo), poll
`GET /talks/{id}` through `created` and `started` to `done` (or `error` / `rejected`) under
one deadline, and download `result_url` at once: it is a presigned URL that expires.
The key goes in `Authorization: Basic <key>` exactly as D-ID Studio shows it.
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

SERVICE = "D-ID"
FAILED = frozenset({"error", "rejected"})


def _content_type(path: Path) -> str:
    return {
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".mp3": "audio/mpeg",
        ".wav": "audio/wav",
    }.get(path.suffix.lower(), "application/octet-stream")


class DidAvatarGenerator:
    """`AvatarGenerator` on D-ID's Talks API."""

    name: AvatarProviderName = "did"

    def __init__(
        self,
        key: str,
        *,
        base_url: str = "https://api.d-id.com",
        timeout_s: float = 600.0,
        poll_interval_s: float = 3.0,
        request_timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        max_clip_bytes: int = 200 * 2**20,
    ) -> None:
        self._headers = {"Authorization": f"Basic {key}", "Accept": "application/json"}
        self.base_url = base_url.rstrip("/")
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
            base_url=self.base_url,
            headers=self._headers,
            timeout=self.request_timeout_s,
            follow_redirects=True,
        ) as client:
            image_url = await self._upload(client, "/images", "image", request.photo)
            audio_url = await self._upload(client, "/audios", "audio", request.audio)
            talk = await send(
                lambda: client.post(
                    "/talks",
                    json={
                        "source_url": image_url,
                        "script": {"type": "audio", "audio_url": audio_url},
                        "config": {"stitch": True, "result_format": "mp4", "fluent": False},
                    },
                ),
                service=SERVICE,
                action="creating the talk",
                retry=self.retry,
            )
            talk_id = str(talk.get("id") or "")
            if not talk_id:
                raise ProviderError("D-ID created a talk without an id.")

            async def check() -> dict[str, Any] | None:
                body = await send(
                    lambda: client.get(f"/talks/{talk_id}"),
                    service=SERVICE,
                    action="checking the talk",
                    retry=self.retry,
                )
                status = body.get("status")
                if status in FAILED:
                    error = body.get("error") or {}
                    detail = error.get("description") if isinstance(error, dict) else None
                    raise ProviderRejectedError(
                        f"D-ID could not make the presenter ({status}: "
                        f"{detail or 'no reason given'})."
                    )
                return body if status == "done" else None

            done = await poll_until(
                check,
                service=SERVICE,
                deadline=deadline,
                interval_s=self.poll_interval_s,
                should_cancel=should_cancel,
            )
            url = done.get("result_url")
            if not isinstance(url, str) or not url:
                raise ProviderError("D-ID finished the talk without a result URL.")
            path = await download_video(
                url,
                out_dir / "presenter-did.mp4",
                service=SERVICE,
                max_bytes=self.max_clip_bytes,
                timeout_s=self.request_timeout_s,
            )
        seconds = float(done.get("duration") or request.audio_seconds)
        return AvatarClip(
            path=path,
            provider="did",
            request_id=talk_id,
            cost_usd=estimate_avatar_cost("did", seconds),
            lip_synced=True,
            generated=True,
        )

    async def _upload(self, client: httpx.AsyncClient, path: str, field: str, file: Path) -> str:
        data = await asyncio.to_thread(file.read_bytes)
        body = await send(
            lambda: client.post(path, files={field: (file.name, data, _content_type(file))}),
            service=SERVICE,
            action=f"uploading the {field}",
            retry=self.retry,
        )
        url = body.get("url")
        if not isinstance(url, str) or not url:
            raise ProviderError(f"D-ID stored the {field} without a URL.")
        return url
