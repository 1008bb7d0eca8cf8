"""Shared fixtures: each test gets its own data dir, so nothing leaks between tests."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelestate.chat_ui.root import prepare_chainlit_root
from reelestate.core.settings import Settings, get_settings

pytest_plugins = ["tests.support.web"]

# Chainlit reads its folder (config: CORS origins, upload limits) when it is first imported, and
# some test modules import it while being collected: give it the product's folder before that,
# as `reelestate serve` does, instead of the working directory's.
prepare_chainlit_root(
    Settings(REELESTATE_DATA_DIR=Path(tempfile.mkdtemp(prefix="reelestate-chainlit-"))),
    auth_secret="tests-only-chainlit-secret-0123456789abcdef",
)

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
