"""Provider checks against local fakes, real PostgreSQL and Redis, moto S3 and a closed port."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from reelestate.cli.diagnostics import PartStatus, check_providers, safe_url
from reelestate.cli.diagnostics.model import scrub, secret_values
from reelestate.cli.diagnostics.run import Check
from reelestate.core.settings import Settings
from tests.support.fake_cloud import FakeCloud
from tests.support.services import PG_ADMIN, free_port

OPENAI_KEY = "sk-OPENAI-secret-7f3a"
ELEVEN_KEY = "xi-ELEVEN-secret-91bd"
FAL_KEY = "fal-id:FAL-secret-22ce"
TG_TOKEN = "123456:TG-secret-token-x9"
PG_PASSWORD = "pg-SECRET-pw"
REDIS_PASSWORD = "rd-SECRET-pw"
AWS_SECRET = "aws-SECRET-key-55"
SECRETS = [OPENAI_KEY, ELEVEN_KEY, FAL_KEY, TG_TOKEN, PG_PASSWORD, REDIS_PASSWORD, AWS_SECRET]
BUCKET = "reelestate-check"


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    with FakeCloud(
        openai_key=OPENAI_KEY, elevenlabs_key=ELEVEN_KEY, fal_key=FAL_KEY, telegram_token=TG_TOKEN
    ) as fake:
        yield fake


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def with_password(url: str, password: str, port: int | None = None) -> str:
    scheme, rest = url.split("://", 1)
    user_host, path = rest.split("/", 1)
    user, host = user_host.split("@") if "@" in user_host else ("default", user_host)
    if port is not None:
        host = f"{host.rsplit(':', 1)[0]}:{port}"
    return f"{scheme}://{user}:{password}@{host}/{path}"


def real_environment(base: str, *, s3: str, tmp: Path, port: int | None = None) -> dict[str, Any]:
    """Every real implementation switched on, each pointing at `base` (or the down `port`)."""
    return {
        "REELESTATE_DATA_DIR": tmp,
        "DATABASE_URL": with_password(PG_ADMIN, PG_PASSWORD, port),
        "REDIS_URL": with_password("redis://127.0.0.1:6379/0", REDIS_PASSWORD, port),
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3,
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": f"{base}/v1",
        "ELEVENLABS_API_KEY": ELEVEN_KEY,
        "ELEVENLABS_BASE_URL": base,
        "FAL_KEY": FAL_KEY,
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_BASE_URL": base,
    }


def by_implementation(parts: list[PartStatus]) -> dict[str, PartStatus]:
    return {part.implementation: part for part in parts}


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"
    assert "TG-secret" not in text and "123456%3A" not in text


def make_bucket(endpoint: str) -> None:
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)


async def test_every_real_part_answers(
    cloud: FakeCloud, moto_endpoint: str, aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_bucket(moto_endpoint)
    monkeypatch.setenv("REELESTATE_FAL_BASE_URL", cloud.base)
    settings = Settings(**real_environment(cloud.base, s3=moto_endpoint, tmp=tmp_path))
    report = await check_providers(settings, timeout_s=5)
    parts = by_implementation(report.parts)
    assert report.ok, [p for p in report.parts if not p.ok]
    expected = {
        "PostgreSQL": "SELECT 1 answered",
        "Redis (arq)": "PING answered (Redis ",
        "S3": f"bucket {BUCKET} answered HEAD",
        "OpenAI-compatible (gpt-4o-mini)": "HTTP 200; gpt-4o-mini listed",
        "OpenAI-compatible (gpt-4o-mini-transcribe)": "gpt-4o-mini-transcribe listed",
        "OpenAI-compatible TTS": "shares the OpenAI check",
        "ElevenLabs": "HTTP 200",
        "fal.ai": "HTTP 200",
        "Telegram Bot API": "HTTP 200; bot @s_bot",
        "espeak-ng (embedded)": "loaded",
    }
    for implementation, detail in expected.items():
        part = parts[implementation]
        assert part.configured and part.reachable, part
        assert detail in part.detail, part
    assert parts["PostgreSQL"].settings["DATABASE_URL"] == "postgresql://127.0.0.1:5432/test"
    assert parts["OpenAI-compatible (gpt-4o-mini)"].settings["OPENAI_API_KEY"] == "set"
    assert parts["fal.ai"].settings["REELESTATE_FAL_BASE_URL"] == cloud.base
    # each service was asked the way its client asks it
    assert cloud.on("models")[0].headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert len(cloud.on("models")) == 1, "one request serves every OpenAI-backed part"
    assert cloud.on("voices")[0].headers["xi-api-key"] == ELEVEN_KEY
    assert cloud.on("voices")[0].query == {"page_size": ["1"]}
    token = cloud.on("fal_token")[0]
    assert (token.headers["authorization"], token.query) == (
        f"Key {FAL_KEY}",
        {"storage_type": ["fal-cdn-v3"]},
    )
    assert cloud.on("getMe")
    assert_no_secret(report.model_dump_json())


async def test_unreachable_parts_are_named_and_fail_the_report(
    moto_endpoint: str, aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = free_port()
    base = f"http://127.0.0.1:{down}"
    monkeypatch.setenv("REELESTATE_FAL_BASE_URL", base)
    settings = Settings(**real_environment(base, s3=base, tmp=tmp_path, port=down))
    report = await check_providers(settings, timeout_s=3)
    assert not report.ok
    parts = by_implementation(report.parts)
    for implementation in ("Redis (arq)", "S3", "ElevenLabs", "fal.ai", "Telegram Bot API"):
        assert parts[implementation].reachable is False
        assert parts[implementation].detail == "cannot connect", parts[implementation]
    assert parts["OpenAI-compatible (gpt-4o-mini)"].detail == "cannot connect"
    assert parts["PostgreSQL"].reachable is False
    assert "refused" in parts["PostgreSQL"].detail.lower()
    assert parts["espeak-ng (embedded)"].ok and parts["FFmpeg"].ok
    assert_no_secret(report.model_dump_json())


async def test_refused_keys_and_a_missing_bucket(
    moto_endpoint: str, aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeCloud(
        openai_key="other", elevenlabs_key="other", fal_key="other", telegram_token="1:other"
    ) as wrong:
        monkeypatch.setenv("REELESTATE_FAL_BASE_URL", wrong.base)
        settings = Settings(**real_environment(wrong.base, s3=moto_endpoint, tmp=tmp_path))
        settings = settings.model_copy(update={"s3_bucket": "no-such-bucket"})
        report = await check_providers(settings, timeout_s=5)
    parts = by_implementation(report.parts)
    assert parts["S3"].detail == "bucket no-such-bucket: 404"
    for implementation in (
        "ElevenLabs",
        "Telegram Bot API",
        "OpenAI-compatible (gpt-4o-mini)",
        "fal.ai",
    ):
        assert parts[implementation].detail == "credentials refused (HTTP 401)"
    assert not report.ok
    assert_no_secret(report.model_dump_json())


async def test_the_built_in_defaults_need_no_service(tmp_path: Path) -> None:
    settings = Settings(
        REELESTATE_DATA_DIR=tmp_path / "data",
        DATABASE_URL=None,
        REDIS_URL=None,
        S3_BUCKET=None,
        OPENAI_API_KEY=None,
        OPENAI_BASE_URL=None,
        ELEVENLABS_API_KEY=None,
        FAL_KEY=None,
        TELEGRAM_BOT_TOKEN=None,
    )
    report = await check_providers(settings, timeout_s=5)
    assert report.ok
    parts = by_implementation(report.parts)
    for name in (
        "SQLite (embedded)",
        "in-process (embedded)",
        "local folder (embedded)",
        "rule-based (embedded)",
        "Ken Burns (embedded)",
    ):
        assert parts[name].embedded and parts[name].reachable, parts[name]
    assert parts["SQLite (embedded)"].detail == f"will be created in {tmp_path}"
    assert not (tmp_path / "data").exists(), "checking creates nothing"
    for name in ("ElevenLabs", "Telegram bot", "OpenAI TTS", "none (the bot asks for typed text)"):
        assert not parts[name].configured and parts[name].reachable is None
    settings.blobs_dir.mkdir(parents=True)
    with sqlite3.connect(settings.sqlite_path) as conn:
        conn.execute("CREATE TABLE t (x)")
    again = by_implementation((await check_providers(settings, timeout_s=5)).parts)
    assert again["SQLite (embedded)"].detail.startswith("SELECT 1 answered")
    assert again["local folder (embedded)"].detail == "folder is writable"
    assert list(settings.blobs_dir.iterdir()) == []


async def test_slow_services_time_out_and_unlisted_models_are_noted(tmp_path: Path) -> None:
    with FakeCloud(openai_key=OPENAI_KEY, elevenlabs_key=ELEVEN_KEY) as cloud:
        cloud.models = ["llama3"]
        settings = Settings(
            REELESTATE_DATA_DIR=tmp_path,
            OPENAI_API_KEY=OPENAI_KEY,
            OPENAI_BASE_URL=f"{cloud.base}/v1",
            REELESTATE_TRANSCRIBE_VOICE=False,
        )
        parts = by_implementation((await check_providers(settings, timeout_s=5)).parts)
        llm = parts["OpenAI-compatible (gpt-4o-mini)"]
        assert llm.ok and llm.detail == "HTTP 200; gpt-4o-mini not among the 1 models listed"
        assert parts["none (the bot asks for typed text)"].detail == "turned off"
        cloud.delay_s = 1.0
        slow = by_implementation((await check_providers(settings, timeout_s=0.3)).parts)
        assert slow["OpenAI-compatible (gpt-4o-mini)"].detail == "timed out after 0.3 s"


async def test_a_broken_or_hung_check_does_not_hide_the_others() -> None:
    def broken(_s: Settings, _t: float) -> PartStatus:
        raise RuntimeError(f"boom {OPENAI_KEY}")

    def hung(_s: Settings, timeout_s: float) -> PartStatus:
        time.sleep(timeout_s + 3)
        raise AssertionError("given up on before this")

    def fine(_s: Settings, _t: float) -> list[PartStatus]:
        return [
            PartStatus(part="x", implementation="X", embedded=True, configured=True, reachable=True)
        ]

    report = await check_providers(
        Settings(),
        timeout_s=0.1,
        checks=[Check("a", "A", broken), Check("b", "B", hung), Check("x", "X", fine)],
    )
    a, b, x = report.parts
    assert (a.implementation, a.detail) == ("A", "check failed (RuntimeError)")
    assert (b.implementation, b.detail) == ("B", "no answer within 2.1 s")
    assert x.ok and not report.ok


def test_urls_lose_credentials_and_secrets_are_scrubbed() -> None:
    assert safe_url("postgresql://u:p@db.example:5432/app?sslpassword=x#f") == (
        "postgresql://db.example:5432/app"
    )
    assert safe_url(None) == "not set"
    assert safe_url("no scheme") == "(unparseable URL)"
    settings = Settings(
        OPENAI_API_KEY=OPENAI_KEY,
        TELEGRAM_BOT_TOKEN=TG_TOKEN,
        DATABASE_URL=f"postgresql://u:{PG_PASSWORD}@h/db",
    )
    secrets = secret_values(settings)
    text = f"{OPENAI_KEY} bot{TG_TOKEN.replace(':', '%3A')} {PG_PASSWORD}"
    assert scrub(text, secrets) == "*** bot*** ***"
