"""HTTP failures of a speech service as our provider errors, worded for the user.

Only the status, a short detail the service wrote for people and the setting to check reach
the message: never a header, a key or a whole reply body.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from reelestate.core.errors import ProviderError, ProviderRejectedError, ProviderTimeoutError

_MAX_DETAIL_CHARS = 160


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a `Retry-After` header (a number or an HTTP date); None when absent."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def short_detail(body: object) -> str | None:
    """The human-readable part of an error body (`{"detail": {"message": ...}}` and kin)."""
    for _ in range(3):
        if isinstance(body, Mapping):
            body = body.get("detail") or body.get("error") or body.get("message")
        elif isinstance(body, list) and body:
            body = body[0]
    if not isinstance(body, str) or not body.strip():
        return None
    text = " ".join(body.split())
    return text if len(text) <= _MAX_DETAIL_CHARS else text[: _MAX_DETAIL_CHARS - 1] + "…"


def status_error(
    service: str,
    status: int,
    *,
    key_setting: str,
    retry_after: float | None = None,
    detail: str | None = None,
) -> ProviderError:
    """The error for a non-2xx answer: 429/5xx may be retried, other 4xx may not."""
    said = f" ({detail})" if detail else ""
    if status == 429:
        return ProviderError(
            f"{service} is rate limiting us (HTTP 429){said}.", retry_after=retry_after
        )
    if status == 408:
        return ProviderTimeoutError(f"{service} timed out on its side (HTTP 408).")
    if status >= 500:
        return ProviderError(f"{service} failed on its side (HTTP {status}).")
    if status in (401, 403):
        return ProviderRejectedError(
            f"{service} refused our credentials (HTTP {status}).",
            hint=f"Check {key_setting}.",
        )
    return ProviderRejectedError(f"{service} refused the request (HTTP {status}){said}.")


def timeout_error(service: str, seconds: float) -> ProviderTimeoutError:
    return ProviderTimeoutError(
        f"{service} did not answer within {seconds:g} s.",
        hint="Raise REELESTATE_TTS_TIMEOUT if long narrations need more time.",
    )


def connection_error(service: str) -> ProviderError:
    return ProviderError(f"{service} could not be reached.")
