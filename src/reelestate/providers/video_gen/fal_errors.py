"""fal's failures as the product's provider errors, so one retry policy can decide for every call.

fal-client retries 408/409/429 and gateway pages by itself but never a plain 500, and it reports
everything else as `FalClientHTTPError(message=detail, status_code, error_type)`. Here:
429 and 5xx are retryable (a 429 carries its `Retry-After`), timeouts are `ProviderTimeoutError`,
a refused key is `ProviderNotConfiguredError`, and other 4xx answers and content-policy flags
are `ProviderRejectedError`, which no retry can fix. The key is never part of a message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import fal_client
import httpx

from reelestate.core.errors import (
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)

CONTENT_POLICY_TYPES = frozenset({"content_policy_violation", "nsfw", "content_moderation"})
TIMEOUT_TYPES = frozenset({"request_timeout", "startup_timeout", "runner_connection_timeout"})
INFRA_TYPES = TIMEOUT_TYPES | frozenset(
    {
        "runner_scheduling_failure",
        "runner_disconnected",
        "runner_connection_refused",
        "runner_connection_error",
        "runner_incomplete_response",
        "runner_server_error",
        "internal_error",
    }
)
"""fal's request error types (failures on fal's side); anything else is about our input."""

MAX_DETAIL = 240
_STATUS_IN_TEXT = re.compile(r"status code:?\s*(\d{3})", re.IGNORECASE)


def redact(text: str, secret: str | None) -> str:
    """`text` cut to a readable length, with the key (and its halves) blanked out."""
    if secret:
        for part in {secret, *secret.split(":")}:
            if len(part) >= 6:
                text = text.replace(part, "***")
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 3] + "..."


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (seconds, or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def describe_detail(detail: Any) -> str:
    """fal's `detail`: a string (request errors) or a list of `{loc, msg, type}` (model errors)."""
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                msg = str(item.get("msg", "")).strip()
                parts.append(f"{loc}: {msg}" if loc else msg)
            else:
                parts.append(str(item))
        return "; ".join(p for p in parts if p)
    if isinstance(detail, dict):
        return str(detail.get("msg") or detail.get("message") or detail)
    return "" if detail is None else str(detail)


def detail_types(detail: Any) -> set[str]:
    if isinstance(detail, list):
        return {str(item.get("type")) for item in detail if isinstance(item, dict)}
    return set()


def classify(
    status: int,
    detail: Any,
    error_type: str | None,
    *,
    action: str,
    retry_after: float | None = None,
    secret: str | None = None,
) -> ProviderError:
    """The error for fal answering `status` to `action` ("submitting the clip", ...)."""
    text = redact(describe_detail(detail), secret)
    said = f": {text}" if text else ""
    kinds = detail_types(detail) | ({error_type} if error_type else set())
    if kinds & CONTENT_POLICY_TYPES:
        return ProviderRejectedError(
            f"The video model refused this photo or prompt (content policy){said}",
            hint="Use another photo for this scene, or keep the Ken Burns motion.",
        )
    if status == 429:
        return ProviderError(f"fal is rate-limiting us while {action}.", retry_after=retry_after)
    if status in {401, 403}:
        return ProviderNotConfiguredError(
            f"fal refused our key while {action}.", hint="Check FAL_KEY and the fal account."
        )
    if status == 504 or kinds & TIMEOUT_TYPES:
        return ProviderTimeoutError(f"fal timed out while {action}{said}")
    if status in {408, 409} or status >= 500 or kinds & INFRA_TYPES:
        return ProviderError(f"fal failed while {action} (HTTP {status}){said}")
    return ProviderRejectedError(
        f"fal rejected the request while {action} (HTTP {status}){said}",
        hint="The model's inputs may have changed; check the video model list.",
    )


def from_exception(exc: BaseException, *, action: str, secret: str | None) -> ProviderError:
    """Any failure of a fal or HTTP call as a provider error."""
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, fal_client.FalClientHTTPError):
        return classify(
            exc.status_code,
            _json_detail(exc.response, exc.message),
            exc.error_type,
            action=action,
            retry_after=retry_after_seconds(_header(exc.response_headers, "retry-after")),
            secret=secret,
        )
    if isinstance(exc, httpx.HTTPStatusError):
        response = exc.response
        return classify(
            response.status_code,
            _json_detail(response, response.reason_phrase),
            response.headers.get("x-fal-error-type"),
            action=action,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
            secret=secret,
        )
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return ProviderTimeoutError(f"fal did not answer in time while {action}.")
    if isinstance(exc, httpx.HTTPError):
        return ProviderError(f"fal could not be reached while {action} ({type(exc).__name__}).")
    return ProviderError(f"fal failed while {action}: {redact(str(exc), secret)}")


def webhook_failure(body: dict[str, Any], *, secret: str | None) -> ProviderError:
    """The error a webhook with `"status": "ERROR"` reports.

    fal puts the model's HTTP status in `error` ("Invalid status code: 422") and its error
    body in `payload`; a payload that was not JSON arrives as `payload_error`.
    """
    error = str(body.get("error") or "")
    found = _STATUS_IN_TEXT.search(error)
    status = int(found.group(1)) if found else 500
    payload = body.get("payload")
    detail = payload.get("detail") if isinstance(payload, dict) else None
    error_type = payload.get("error_type") if isinstance(payload, dict) else None
    return classify(
        status,
        detail if detail is not None else error or body.get("payload_error"),
        error_type if isinstance(error_type, str) else None,
        action="generating the clip",
        secret=secret,
    )


def check_result(result: dict[str, Any]) -> None:
    """Refuse a result the model flagged (`has_nsfw_concepts`) or that carries no video."""
    flags = result.get("has_nsfw_concepts")
    flagged = any(flags) if isinstance(flags, list) else bool(flags)
    if flagged:
        raise ProviderRejectedError(
            "The video model flagged this clip as unsafe and it was not used.",
            hint="Use another photo for this scene, or keep the Ken Burns motion.",
        )
    video_url_of(result)


def video_url_of(result: dict[str, Any]) -> str:
    """The `video.url` every image-to-video endpoint returns."""
    video = result.get("video")
    url = video.get("url") if isinstance(video, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ProviderError("fal's result has no video URL.")
    return url


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _json_detail(response: httpx.Response | None, fallback: Any) -> Any:
    if response is None:
        return fallback
    try:
        body = response.json()
    except (ValueError, httpx.ResponseNotRead):
        return fallback
    return body.get("detail", fallback) if isinstance(body, dict) else fallback
