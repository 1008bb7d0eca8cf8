"""The HTTP habits both presenter services share: typed errors, retries, bounded downloads.

Both answer 429 and 5xx when busy (retried with backoff), 401/402 when the key or the credits
are wrong (not retried: the fallback takes over), and hand back a presigned URL to download
as soon as the clip is done. Messages never contain the key or a raw reply beyond a short
description.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from reelestate.core.errors import (
    ProviderError,
    ProviderRejectedError,
    ProviderTimeoutError,
    RenderCancelledError,
)
from reelestate.core.retry import RetryPolicy, retry_async
from reelestate.providers.avatar.base import CancelCheck, is_video_file

T = TypeVar("T")
CHUNK = 256 * 1024


def error_for(service: str, response: httpx.Response, action: str) -> ProviderError:
    """A typed error for a failed reply; 401/402/403 are rejections a retry will not fix."""
    status = response.status_code
    description = _description(response)
    where = f"{service} answered {status} while {action}"
    if status in (401, 403):
        return ProviderRejectedError(
            f"{where}: the API key was refused.",
            hint=f"Check the {service} key in the environment.",
        )
    if status == 402:
        return ProviderRejectedError(f"{where}: the account has no credits left.")
    if status == 429:
        return ProviderError(f"{where}: too many requests.", retry_after=_retry_after(response))
    if status >= 500:
        return ProviderError(f"{where}: {description or 'a server error'}.")
    return ProviderRejectedError(f"{where}: {description or 'the request was refused'}.")


def _description(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    nested = body.get("error")
    for holder in (body, nested if isinstance(nested, dict) else {}):
        for key in ("description", "message", "detail"):
            value = holder.get(key)
            if isinstance(value, str) and value:
                return value[:200]
    return ""


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("retry-after", ""))
    except ValueError:
        return None


async def send(
    call: Callable[[], Awaitable[httpx.Response]],
    *,
    service: str,
    action: str,
    retry: RetryPolicy,
) -> Any:
    """Run `call` with retries on 429, 5xx and network errors; the JSON body of its reply."""

    async def once() -> Any:
        try:
            response = await call()
        except httpx.TimeoutException as exc:
            raise ProviderError(f"{service} did not answer in time while {action}.") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"{service} could not be reached while {action}.") from exc
        if response.is_error:
            raise error_for(service, response, action)
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderError(f"{service} sent a reply that is not JSON while {action}.") from exc

    return await retry_async(once, retry)


async def poll_until(
    check: Callable[[], Awaitable[T | None]],
    *,
    service: str,
    deadline: float,
    interval_s: float,
    should_cancel: CancelCheck | None,
) -> T:
    """Call `check` every `interval_s` until it returns a value, the deadline or a cancel."""
    while True:
        if should_cancel is not None and should_cancel():
            raise RenderCancelledError("The presenter clip was cancelled.")
        found = await check()
        if found is not None:
            return found
        if time.monotonic() + interval_s > deadline:
            raise ProviderTimeoutError(
                f"{service} did not finish the presenter clip in time.",
                hint="Try again later, or use the portrait presenter.",
            )
        await asyncio.sleep(interval_s)


async def download_video(
    url: str, target: Path, *, service: str, max_bytes: int, timeout_s: float
) -> Path:
    """`url` saved at `target` (through a `.part` file); refused when it is not a video.

    The URL is presigned by the service's storage host, so it is fetched with a client of its
    own that carries no API key."""
    partial = target.with_name(target.name + ".part")
    try:
        async with (
            httpx.AsyncClient(timeout=timeout_s, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.is_error:
                await response.aread()
                raise error_for(service, response, "downloading the clip")
            size = 0
            with partial.open("wb") as out:
                async for chunk in response.aiter_bytes(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ProviderRejectedError(
                            f"{service}'s clip is larger than {max_bytes // 2**20} MB."
                        )
                    out.write(chunk)
        if size == 0 or not is_video_file(partial):
            raise ProviderRejectedError(f"{service} returned a file that is not a video.")
        partial.replace(target)
    except httpx.HTTPError as exc:
        raise ProviderError(f"{service}'s clip could not be downloaded.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
