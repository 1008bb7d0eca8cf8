"""Videos sent into a chat whatever their size: uploaded, re-encoded to fit, or linked.

The Bot API refuses uploads over 50 MB (2000 MB from a `--local` server) and PTB does not check.
A file over the limit is re-encoded to a bitrate that fits when that still looks decent, and
otherwise stored and sent as a signed download link; a 413 from the server leads to the link
too. A video is never dropped silently.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from reelestate.bots.telegram.calls import UploadTooLargeError
from reelestate.bots.telegram.text import md
from reelestate.core.errors import ReelEstateError
from reelestate.render.ffmpeg import run_ffmpeg
from reelestate.render.probe import ffprobe_json
from reelestate.storage.blobs import BlobStore, blob_key
from reelestate.storage.context import TenantContext

_log = logging.getLogger(__name__)
AUDIO_KBPS = 128
MIN_VIDEO_KBPS = 400
"""Below this a re-encoded listing video looks worse than following a link."""
FIT_MARGIN = 0.92
LINK_LIFETIME_S = 7 * 24 * 3600


def size_of(path: Path) -> int:
    return path.stat().st_size


def probed_duration(path: Path) -> float:
    return float(ffprobe_json(path)["format"]["duration"])


def fit_bitrate_kbps(limit_bytes: int, duration_s: float) -> int | None:
    """The video bitrate that keeps the file under `limit_bytes`, or None when too low."""
    if duration_s <= 0:
        return None
    kbps = int(limit_bytes * FIT_MARGIN * 8 / duration_s / 1000) - AUDIO_KBPS
    return kbps if kbps >= MIN_VIDEO_KBPS else None


def reencode_to_fit(source: Path, limit_bytes: int, target: Path) -> Path | None:
    """`source` re-encoded under `limit_bytes` and probed, or None when it cannot fit well."""
    kbps = fit_bitrate_kbps(limit_bytes, probed_duration(source))
    if kbps is None:
        return None
    run_ffmpeg(
        [
            "-y", "-v", "error", "-i", str(source),
            "-map", "0:v:0", "-map", "0:a?",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k", "-bufsize", f"{2 * kbps}k",
            "-c:a", "aac", "-b:a", f"{AUDIO_KBPS}k",
            "-movflags", "+faststart", str(target),
        ],
        timeout=900,
    )  # fmt: skip
    if target.stat().st_size > limit_bytes:
        target.unlink()
        return None
    ffprobe_json(target)
    return target


Upload = Callable[[Path], Awaitable[None]]
SendText = Callable[[str], Awaitable[None]]


class VideoDelivery:
    def __init__(
        self,
        *,
        upload_limit: int,
        blobs: BlobStore | None,
        public_base_url: str | None,
        work_dir: Path,
    ) -> None:
        self.upload_limit = upload_limit
        self.blobs = blobs
        self.public_base_url = public_base_url
        self.work_dir = work_dir

    async def deliver(
        self, path: Path, ctx: TenantContext, upload: Upload, send_text: SendText, label: str
    ) -> str:
        """Send `path` one way or another; returns how: 'upload', 'reencoded' or 'link'."""
        if size_of(path) <= self.upload_limit:
            try:
                await upload(path)
                return "upload"
            except UploadTooLargeError:
                _log.warning("%s refused as too large; sending a link", path.name)
                return await self._link(path, ctx, send_text, label)
        fitted = await self._fit(path)
        if fitted is not None:
            try:
                await upload(fitted)
                return "reencoded"
            except UploadTooLargeError:
                _log.warning("%s refused as too large after re-encoding", path.name)
            finally:
                fitted.unlink(missing_ok=True)
        return await self._link(path, ctx, send_text, label)

    async def _fit(self, path: Path) -> Path | None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        target = self.work_dir / f"fit-{uuid.uuid4().hex[:12]}.mp4"
        try:
            return await asyncio.to_thread(reencode_to_fit, path, self.upload_limit, target)
        except ReelEstateError as exc:
            _log.warning("re-encoding %s to fit failed: %s", path.name, exc)
            target.unlink(missing_ok=True)
            return None

    async def _link(self, path: Path, ctx: TenantContext, send_text: SendText, label: str) -> str:
        size_mb = size_of(path) / 1e6
        url = self._store(path, ctx)
        if url is None:
            await send_text(
                md(
                    f"Your {label} is ready ({size_mb:.0f} MB), but it is too large to send "
                    "here. Download it from your projects in the web app."
                )
            )
            return "unavailable"
        await send_text(
            md(f"Your {label} is ready ({size_mb:.0f} MB, too large for Telegram). ")
            + f"[{md('Download it here')}]({url.replace(')', '%29')})"
            + md(" (the link works for 7 days).")
        )
        return "link"

    def _store(self, path: Path, ctx: TenantContext) -> str | None:
        if self.blobs is None:
            return None
        key = blob_key(ctx, "telegram", uuid.uuid4().hex, path.name)
        self.blobs.put_file(ctx, key, path, "video/mp4")
        url = self.blobs.signed_url(ctx, key, expires_in=LINK_LIFETIME_S)
        if url.startswith("/"):
            if not self.public_base_url:
                return None
            url = self.public_base_url.rstrip("/") + url
        return url
