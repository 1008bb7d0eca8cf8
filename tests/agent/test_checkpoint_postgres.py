"""Conversations kept in PostgreSQL (127.0.0.1:5432, a fresh database) survive a restart."""

from __future__ import annotations

import uuid

import pytest

from reelestate.agent.checkpoint import postgres_dsn
from reelestate.agent.runner import Runner
from reelestate.core.settings import get_settings
from reelestate.storage import migrate
from tests.agent.helpers import FACTS, FileNameAnalyser, RecordingRenderer, listing_photos, say
from tests.support.services import fresh_postgres_database

DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_postgres_urls_are_recognised() -> None:
    assert postgres_dsn(DATABASE_URL) == "postgresql://postgres@127.0.0.1:5432/test"
    assert postgres_dsn("postgres://u@h/db") == "postgresql://u@h/db"
    assert postgres_dsn("sqlite:///x.db") is None
    assert postgres_dsn(None) is None


async def test_pending_approval_survives_a_restart_on_postgres(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with fresh_postgres_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        migrate.upgrade(get_settings())
        await _survives_a_restart()


async def _survives_a_restart() -> None:
    thread = f"pg-{uuid.uuid4().hex[:8]}"
    renderer = RecordingRenderer()
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer
    ) as runner:
        await say(runner, FACTS, listing_photos(), thread=thread)
        assert await runner.pending_approval(thread) is not None
    assert not (get_settings().data_dir / "conversations.sqlite3").exists()
    async with Runner.open(get_settings(), analyser=FileNameAnalyser(), renderer=renderer) as fresh:
        pending = await fresh.pending_approval(thread)
        assert pending is not None and pending.version == 1
        events = [e async for e in fresh.approve(thread, "ann")]
        assert any(e.type == "video_ready" for e in events)
    assert len(renderer.finals) == 1
