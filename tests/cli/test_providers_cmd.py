"""`reelestate providers check` as an operator runs it: a table or JSON, never a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from tests.support.fake_cloud import FakeCloud
from tests.support.services import PG_ADMIN, free_port

OPENAI_KEY = "sk-cli-OPENAI-secret-41"
ELEVEN_KEY = "cli-ELEVEN-secret-42"
FAL_KEY = "cli-fal:FAL-secret-43"
TG_TOKEN = "424242:CLI-TG-secret-44"
PG_PASSWORD = "cli-PG-secret-45"
SECRETS = [OPENAI_KEY, ELEVEN_KEY, FAL_KEY, TG_TOKEN, PG_PASSWORD, "CLI-TG-secret"]


def configure(
    monkeypatch: pytest.MonkeyPatch, base: str, tmp: Path, *, pg_port: int = 5432
) -> None:
    host = PG_ADMIN.split("@", 1)[1].rsplit(":", 1)[0]
    env = {
        "REELESTATE_DATA_DIR": str(tmp),
        "DATABASE_URL": f"postgresql://postgres:{PG_PASSWORD}@{host}:{pg_port}/test",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": f"{base}/v1",
        "ELEVENLABS_API_KEY": ELEVEN_KEY,
        "ELEVENLABS_BASE_URL": base,
        "FAL_KEY": FAL_KEY,
        "REELESTATE_FAL_BASE_URL": base,
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_BASE_URL": base,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("S3_BUCKET", raising=False)
    monkeypatch.setenv("COLUMNS", "220")  # one table row per line, so the text can be searched
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["providers", "check", *args])
    return result.exit_code, result.output


def test_all_reachable_exits_0_with_no_secret_in_table_or_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeCloud(
        openai_key=OPENAI_KEY, elevenlabs_key=ELEVEN_KEY, fal_key=FAL_KEY, telegram_token=TG_TOKEN
    ) as cloud:
        configure(monkeypatch, cloud.base, tmp_path)
        code, table = run()
        json_code, raw = run("--json")
    assert code == 0, table
    assert "every configured part answered" in table
    for shown in ("PostgreSQL", "Redis (arq)", "ElevenLabs", "fal.ai", "Telegram Bot API"):
        assert shown in table
    assert "OPENAI_API_KEY=set" in table and "TELEGRAM_BOT_TOKEN=set" in table
    assert json_code == 0
    report = json.loads(raw)
    assert report["ok"] is True and all(part["ok"] for part in report["parts"])
    for secret in SECRETS:
        assert secret not in table and secret not in raw, secret


def test_an_unreachable_part_exits_1_and_says_which(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    down = free_port()
    configure(monkeypatch, f"http://127.0.0.1:{down}", tmp_path, pg_port=down)
    code, table = run("--timeout", "2")
    assert code == 1
    assert "cannot connect" in table and "some parts failed" in table
    json_code, raw = run("--json", "--timeout", "2")
    assert json_code == 1
    failed = {p["implementation"] for p in json.loads(raw)["parts"] if not p["ok"]}
    assert {"PostgreSQL", "ElevenLabs", "fal.ai", "Telegram Bot API"} <= failed
    assert "Redis (arq)" not in failed
    for secret in SECRETS:
        assert secret not in table and secret not in raw, secret
