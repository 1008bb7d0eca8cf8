"""Fetching a generated video from fal's CDN into our folder, bounded in size and time.

The file is streamed to `<name>.part` and renamed when complete, so a crash or a cancel never
leaves a half-written clip under the final name (a cache would take it for a good one).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import anyio
import httpx

from reelestate.core.errors import ProviderError, ProviderRejectedError
from reelestate.providers.video_gen.fal_errors import from_exception

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".webm", ".mkv"})
CHUNK = 256 * 1024


def safe_stem(stem: str) -> str:
    """`stem` usable as a file name: the request id comes from the service, not from us."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", stem).lstrip(".")[:120]
    return cleaned or "clip"


def clip_suffix(url: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return suffix if suffix in VIDEO_SUFFIXES else ".mp4"


async def download_clip(
    url: str, out_dir: Path, stem: str, *, max_bytes: int, timeout_s: float
) -> Path:
    """`url` saved as `out_dir/<stem><suffix>`; the path."""
    target = anyio.Path(out_dir) / f"{safe_stem(stem)}{clip_suffix(url)}"
    partial = target.with_name(target.name + ".part")
    await anyio.Path(out_dir).mkdir(parents=True, exist_ok=True)
    try:
        async with (
            httpx.AsyncClient(timeout=timeout_s, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.is_error:
                await response.aread()
                response.raise_for_status()
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise _too_large(max_bytes)
            size = 0
            async with await anyio.open_file(partial, "wb") as out:
                async for chunk in response.aiter_bytes(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise _too_large(max_bytes)
                    await out.write(chunk)
        if size == 0:
            raise ProviderError("fal's video file was empty.")
        await partial.rename(target)
    except httpx.HTTPError as exc:
        raise from_exception(exc, action="downloading the clip", secret=None) from None
    finally:
        await partial.unlink(missing_ok=True)
    return Path(target)


def _too_large(max_bytes: int) -> ProviderRejectedError:
    return ProviderRejectedError(
        f"The generated clip is larger than {max_bytes // (1024 * 1024)} MB and was not kept.",
        hint="Raise REELESTATE_FAL_MAX_CLIP_MB if such clips are expected.",
    )
