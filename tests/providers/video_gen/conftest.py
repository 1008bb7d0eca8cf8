"""The fake fal and its clips for the video generation tests.

`fal_clips` is session-wide (FFmpeg runs once); every test puts fal-client back on the real
hosts afterwards, since `REELESTATE_FAL_BASE_URL` moves them for the whole process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings
from reelestate.providers.video_gen.fal import FalVideoGenerator
from reelestate.providers.video_gen.fal_hosts import point_fal_client_at
from reelestate.providers.video_gen.inbox import WebhookInbox
from tests.conftest import PHOTOS
from tests.support.fake_fal import FakeFal
from tests.support.fal_clips import FalClips, make_fal_clips

QUICK: dict[str, Any] = {
    "retry": RetryPolicy(attempts=3, base_delay_s=0, jitter=0),
    "poll_interval_s": 0.02,
    "cancel_check_s": 0.05,
}
"""Polling and retrying without the production pauses."""


@pytest.fixture(scope="session")
def fal_clips(tmp_path_factory: pytest.TempPathFactory) -> FalClips:
    return make_fal_clips(tmp_path_factory.mktemp("fal-clips"))


@pytest.fixture(autouse=True)
def real_fal_hosts() -> Iterator[None]:
    yield
    point_fal_client_at(None)


@pytest.fixture
def photo() -> Path:
    return PHOTOS / "house3" / "kitchen.jpg"


def fal_settings(fake: FakeFal, tmp_path: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "REELESTATE_DATA_DIR": tmp_path / "data",
        "FAL_KEY": fake.key,
        "REELESTATE_FAL_BASE_URL": fake.base_url,
        **extra,
    }
    return Settings(**values)


def fal_generator(
    fake: FakeFal,
    tmp_path: Path,
    *,
    settings: dict[str, Any] | None = None,
    inbox: WebhookInbox | None = None,
    **options: Any,
) -> FalVideoGenerator:
    return FalVideoGenerator.from_settings(
        fal_settings(fake, tmp_path, **(settings or {})), inbox=inbox, **{**QUICK, **options}
    )
