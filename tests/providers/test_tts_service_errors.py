"""HTTP failures of speech services as provider errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from reelestate.core.errors import ProviderRejectedError, ProviderTimeoutError
from reelestate.providers.tts.service_errors import parse_retry_after, short_detail, status_error


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"retry-after": "-1"}) == 0.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    waited = parse_retry_after({"Retry-After": later})
    assert waited is not None and 25 <= waited <= 30
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({"Content-Type": "text/plain"}) is None
    assert parse_retry_after(None) is None


def test_only_a_short_human_detail_is_kept() -> None:
    assert short_detail({"detail": {"message": "Voice  not\nfound"}}) == "Voice not found"
    assert short_detail({"detail": [{"msg": "x"}, "second"]}) is None
    assert short_detail(["first problem"]) == "first problem"
    assert short_detail({"error": {"message": "x" * 500}}) == "x" * 159 + "…"
    assert short_detail(None) is None and short_detail({"detail": "  "}) is None


@pytest.mark.parametrize(
    ("status", "kind", "retryable"),
    [(408, ProviderTimeoutError, True), (422, ProviderRejectedError, False)],
)
def test_status_mapping(status: int, kind: type[Exception], retryable: bool) -> None:
    error = status_error("Svc", status, key_setting="SVC_KEY", detail="text too long")
    assert isinstance(error, kind) and error.retryable is retryable
    assert error.message.startswith("Svc ")
