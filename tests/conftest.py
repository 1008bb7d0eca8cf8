"""Shared fixtures: each test gets its own data dir, so nothing leaks between tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelestate.core.settings import get_settings

pytest_plugins = ["tests.support.web"]

FIXTURES = Path(__file__).parent / "fixtures"
PHOTOS = FIXTURES / "photos"


@pytest.fixture(autouse=True)
def isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("REELESTATE_DATA_DIR", str(data))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


@pytest.fixture
def house_photos() -> list[Path]:
    """Twelve real listing photos (three houses, four rooms each)."""
    return sorted(PHOTOS.glob("house*/*.jpg"))
