"""Graph API error bodies turned into the product's errors, by `code` and `error_subcode`.

Meta mostly answers 400 whatever went wrong (5xx for codes 1 and 2), so the HTTP status decides
nothing here. The token never appears in a message; Meta's own message and trace id do, for
support.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reelestate.core.errors import (
    ProviderError,
    ProviderRejectedError,
    PublishingLimitError,
    ReconnectRequiredError,
)

TOKEN_CODES = frozenset({102, 104, 190})
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
TRANSIENT_CODES = frozenset({1, 2})
NOT_READY = (9007, 2207027)
LIMIT_REACHED = (9, 2207042)
RECONNECT_HINT = (
    "Reconnect the Facebook Page in the settings (or `reelestate social connect`), then try again."
)
USAGE_HEADERS = ("x-business-use-case-usage", "x-page-usage", "x-app-usage")


class ContainerNotReadyError(ProviderError):
    """Publishing was asked before Meta finished the container: wait, don't recreate."""

    code = "container_not_ready"


class GraphRateLimitedError(ProviderError):
    """Meta throttled the app, the user or the Page (codes 4, 17, 32, 613, 80001, 80002)."""

    code = "provider_rate_limited"


def _regain_seconds(headers: Mapping[str, str]) -> float | None:
    """`estimated_time_to_regain_access` (minutes) from Meta's usage headers, as seconds."""
    longest: float | None = None

    def visit(value: Any) -> None:
        nonlocal longest
        if isinstance(value, dict):
            minutes = value.get("estimated_time_to_regain_access")
            if isinstance(minutes, int | float):
                longest = max(longest or 0.0, float(minutes) * 60.0)
            for inner in value.values():
                visit(inner)
        elif isinstance(value, list):
            for inner in value:
                visit(inner)

    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if raw:
            try:
                visit(json.loads(raw))
            except ValueError:
                continue
    return longest


def graph_error(status: int, body: bytes, headers: Mapping[str, str]) -> ProviderError:
    try:
        error = json.loads(body or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict) or "code" not in error:
        text = f"Meta answered HTTP {status}."
        if status >= 500 or status == 429:
            return ProviderError(text, hint="Meta is having trouble; it is tried again.")
        return ProviderRejectedError(text)
    code = int(error.get("code") or 0)
    subcode = int(error.get("error_subcode") or 0)
    trace = error.get("fbtrace_id")
    said = str(error.get("message") or "no message")[:300]
    detail = f"Meta said: {said} (code {code}{f'/{subcode}' if subcode else ''}"
    detail += f", trace {trace})" if trace else ")"
    if code in TOKEN_CODES:
        return ReconnectRequiredError(
            "The Facebook connection has expired or was revoked.", hint=RECONNECT_HINT
        )
    if code in THROTTLE_CODES:
        return GraphRateLimitedError(
            f"Meta is limiting how fast we may post. {detail}",
            retry_after=_regain_seconds(headers),
        )
    if (code, subcode) == NOT_READY or subcode == NOT_READY[1]:
        return ContainerNotReadyError(f"The video is still being processed. {detail}")
    if (code, subcode) == LIMIT_REACHED or subcode == LIMIT_REACHED[1]:
        return PublishingLimitError(
            "The Instagram account reached its publishing limit for the last 24 hours.",
            hint="Schedule the post for later.",
        )
    if code in TRANSIENT_CODES or error.get("is_transient") is True:
        return ProviderError(f"Meta had a temporary problem. {detail}")
    if subcode == 2207052:
        return ProviderRejectedError(
            f"Meta could not fetch the video. {detail}",
            hint="Check that REELESTATE_PUBLIC_URL (or the CDN) is reachable from the internet.",
        )
    if subcode == 2207026:
        return ProviderRejectedError(f"Meta refused the video's format. {detail}")
    return ProviderRejectedError(f"Meta refused the request. {detail}")
