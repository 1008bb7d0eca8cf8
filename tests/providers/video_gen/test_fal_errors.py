"""fal's failures as provider errors: what is retried, what is refused, what is a timeout."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import fal_client
import httpx
import pytest

from reelestate.core.errors import (
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.providers.video_gen.fal_errors import (
    classify,
    describe_detail,
    from_exception,
    redact,
    retry_after_seconds,
    webhook_failure,
)

SECRET = "key-id-1234:key-secret-abcdef"


def fal_http_error(status: int, body: Any, headers: dict[str, str] | None = None) -> Exception:
    """The error fal-client raises for `status` (its own `_raise_for_status` builds it so)."""
    response = httpx.Response(
        status, json=body, headers=headers, request=httpx.Request("POST", "http://fal.test/x")
    )
    detail = body.get("detail", response.text) if isinstance(body, dict) else response.text
    error_type = body.get("error_type") if isinstance(body, dict) else None
    return fal_client.FalClientHTTPError(
        detail, status, dict(response.headers), response=response, error_type=error_type
    )


@pytest.mark.parametrize(
    ("status", "body", "kind", "retryable"),
    [
        (429, {"detail": "Too many requests"}, ProviderError, True),
        (500, {"detail": "Internal error"}, ProviderError, True),
        (503, {"detail": "No runner", "error_type": "runner_scheduling_failure"},
         ProviderError, True),
        (504, {"detail": "Request timed out", "error_type": "request_timeout"},
         ProviderTimeoutError, True),
        (408, {"detail": "timeout"}, ProviderError, True),
        (401, {"detail": "Invalid key"}, ProviderNotConfiguredError, False),
        (403, {"detail": "Forbidden"}, ProviderNotConfiguredError, False),
        (422, {"detail": [{"loc": ["body", "prompt"], "msg": "field required",
                           "type": "missing"}]}, ProviderRejectedError, False),
        (422, {"detail": [{"loc": ["body", "image_url"], "msg": "flagged",
                           "type": "content_policy_violation"}]}, ProviderRejectedError, False),
        (404, {"detail": "Application not found"}, ProviderRejectedError, False),
    ],
)  # fmt: skip
def test_http_errors_map_to_provider_errors(
    status: int, body: dict[str, Any], kind: type[ProviderError], retryable: bool
) -> None:
    error = from_exception(fal_http_error(status, body), action="submitting", secret=SECRET)
    assert type(error) is kind
    assert error.retryable is retryable


def test_a_429_carries_its_retry_after() -> None:
    exc = fal_http_error(429, {"detail": "slow down"}, {"Retry-After": "7"})
    error = from_exception(exc, action="submitting", secret=None)
    assert error.retry_after == 7.0


def test_retry_after_may_be_a_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("-3") == 0.0


def test_the_key_never_reaches_a_message() -> None:
    exc = fal_http_error(400, {"detail": f"bad header Key {SECRET}"})
    error = from_exception(exc, action="submitting", secret=SECRET)
    assert SECRET not in str(error)
    assert "key-secret-abcdef" not in str(error)
    assert "***" in str(error)
    assert redact("x" * 500, None).endswith("...")


def test_transport_failures_are_retryable_and_timeouts_are_timeouts() -> None:
    request = httpx.Request("GET", "http://fal.test/")
    refused = from_exception(
        httpx.ConnectError("refused", request=request), action="a", secret=None
    )
    assert type(refused) is ProviderError
    slow = from_exception(httpx.ReadTimeout("slow", request=request), action="a", secret=None)
    assert isinstance(slow, ProviderTimeoutError)
    fal_slow = from_exception(fal_client.FalClientTimeoutError(5.0), action="a", secret=None)
    assert isinstance(fal_slow, ProviderTimeoutError)
    odd = from_exception(KeyError("request_id"), action="a", secret=None)
    assert type(odd) is ProviderError
    same = ProviderRejectedError("no")
    assert from_exception(same, action="a", secret=None) is same


def test_plain_http_status_errors_map_too() -> None:
    response = httpx.Response(
        500, text="oops", request=httpx.Request("POST", "http://rest.test/storage/auth/token")
    )
    exc = httpx.HTTPStatusError("500", request=response.request, response=response)
    error = from_exception(exc, action="uploading", secret=None)
    assert type(error) is ProviderError
    assert "HTTP 500" in error.message


def test_webhook_errors_carry_the_model_status() -> None:
    flagged = webhook_failure(
        {"status": "ERROR", "error": "Invalid status code: 422",
         "payload": {"detail": [{"loc": ["body", "image_url"], "msg": "flagged",
                                 "type": "content_policy_violation"}]}},
        secret=None,
    )  # fmt: skip
    assert isinstance(flagged, ProviderRejectedError)
    crashed = webhook_failure({"status": "ERROR", "error": "Invalid status code: 500"}, secret=None)
    assert type(crashed) is ProviderError
    unknown = webhook_failure(
        {"status": "ERROR", "payload": None, "payload_error": "x"}, secret=None
    )
    assert type(unknown) is ProviderError


def test_details_read_as_one_line() -> None:
    detail = [{"loc": ["body", "duration"], "msg": "must be 5 or 10"}, "odd", {"msg": "and this"}]
    assert describe_detail(detail) == "duration: must be 5 or 10; odd; and this"
    assert describe_detail({"message": "hi"}) == "hi"
    assert describe_detail(None) == ""
    assert "HTTP 418" in classify(418, None, None, action="a").message
