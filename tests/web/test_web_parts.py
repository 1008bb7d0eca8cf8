"""The web app's small parts: passwords, tokens, rate limits, the first admin, settings phrases,
photo intake, chat history SQL, render-job progress mapping."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reelestate.agent.backends.queued import failure_of, progress_of, wait_words
from reelestate.api.bootstrap import ensure_first_admin
from reelestate.api.security.tokens import TokenIssuer, app_secret
from reelestate.chat_ui.history import chat_table_sql
from reelestate.chat_ui.photos import accept_photos
from reelestate.chat_ui.present import progress_text, scrub_paths, storyboard_markdown
from reelestate.chat_ui.services import async_database_url
from reelestate.chat_ui.settings_panel import change_phrases
from reelestate.cli.serve_cmd import admin_lines
from reelestate.core.errors import (
    AuthenticationError,
    BlobRejectedError,
    ConfigurationError,
    InvalidInputError,
    RateLimitedError,
    RenderCancelledError,
    RenderError,
)
from reelestate.core.jobs import EngineStage
from reelestate.core.passwords import hash_password, verify_password
from reelestate.core.ratelimit import RateLimiter
from reelestate.core.settings import Settings
from reelestate.services.brand_kits import brand_data
from reelestate.storage import migrate
from reelestate.storage.context import TenantContext
from reelestate.storage.db import open_database
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import AccountsRepository, authenticate
from reelestate.storage.schemas import JobEventView
from tests.agent.helpers import listing_photos


def test_passwords() -> None:
    stored = hash_password("a long enough password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long enough password")
    assert not verify_password(stored, "a long enough passworD")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not-a-hash", "anything at all")
    with pytest.raises(InvalidInputError, match="too short"):
        hash_password("short")


def test_tokens_expire_and_keep_their_use(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path)
    secret = app_secret(settings)
    assert app_secret(settings) == secret  # made once, then read back
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o777 == 0o600
    issuer = TokenIssuer(secret, access_ttl_s=60, refresh_ttl_s=600)
    ctx = TenantContext(org_id=uuid.uuid4(), user_id=uuid.uuid4(), role=Role.ADMIN)
    session = {"session_version": 1, "refresh_id": uuid.uuid4(), "family": uuid.uuid4()}
    pair = issuer.issue(ctx, now=1_000_000.0, **session)
    with pytest.raises(AuthenticationError, match="expired"):
        issuer.verify(pair.access_token, "access")
    fresh = issuer.issue(ctx, **session)
    assert issuer.verify(fresh.access_token, "access").context() == ctx
    with pytest.raises(AuthenticationError, match="not an refresh"):
        issuer.verify(fresh.access_token, "refresh")
    other = TokenIssuer(b"another secret of at least 32 bytes", access_ttl_s=60, refresh_ttl_s=600)
    with pytest.raises(AuthenticationError, match="not valid"):
        other.verify(fresh.access_token, "access")
    with pytest.raises(AuthenticationError):
        issuer.issue(TenantContext(org_id=uuid.uuid4()), **session)
    with pytest.raises(ConfigurationError, match="too short"):
        app_secret(Settings(REELESTATE_DATA_DIR=tmp_path, REELESTATE_JWT_SECRET="short"))


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10.0, clock=lambda: now[0])
    limiter.hit("a")
    limiter.hit("a")
    with pytest.raises(RateLimitedError) as refused:
        limiter.hit("a")
    assert refused.value.retry_after == 10.0
    limiter.hit("b")
    now[0] = 10.5
    limiter.hit("a")
    limiter.reset("a")
    limiter.hit("a")
    limiter.hit("a")


def test_first_admin_is_made_once_and_remembered(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path)
    migrate.upgrade(settings)
    db = open_database(settings)
    try:
        first = ensure_first_admin(settings, db)
        assert first.created
        assert first.password
        again = ensure_first_admin(settings, db)
        assert not again.created
        assert again.password == first.password
        user, ctx = authenticate(AccountsRepository(db), first.email, first.password)
        assert ctx.role == Role.OWNER
        assert user.email == "admin@reelestate.local"
        reset = Settings(REELESTATE_DATA_DIR=tmp_path, REELESTATE_ADMIN_PASSWORD="new password 42")
        assert ensure_first_admin(reset, db).password == "new password 42"
        authenticate(AccountsRepository(db), first.email, "new password 42")
        (tmp_path / "first-admin-password").unlink()
        unknown = ensure_first_admin(settings, db)
        assert unknown.password is None
        assert "REELESTATE_ADMIN_PASSWORD" in "\n".join(admin_lines(unknown, "http://h:1"))
        with pytest.raises(AuthenticationError):
            authenticate(AccountsRepository(db), first.email, first.password)
    finally:
        db.dispose()


def test_a_replica_that_loses_the_first_admin_race_takes_the_winners_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path, REELESTATE_ADMIN_PASSWORD="shared pw 42")
    migrate.upgrade(settings)
    db = open_database(settings)
    try:
        winner = ensure_first_admin(settings, db)
        assert winner.created
        # The loser looked before the winner's account was committed, then tries to create it.
        looked = AccountsRepository.credentials
        calls: list[str] = []

        def first_look_misses(self: AccountsRepository, email: str) -> object:
            calls.append(email)
            return None if len(calls) == 1 else looked(self, email)

        monkeypatch.setattr(AccountsRepository, "credentials", first_look_misses)
        loser = ensure_first_admin(settings, db)
        assert not loser.created and loser.password == "shared pw 42"
        assert len(calls) == 2
    finally:
        db.dispose()


def test_settings_become_phrases() -> None:
    old = {"style": "modern", "voice": "American", "music": "calm", "aspect": "9:16 vertical",
           "length": 30, "captions": True}  # fmt: skip
    new = {**old, "style": "luxury", "music": "off", "aspect": "1:1 square", "length": 20}
    assert change_phrases(old, new) == [
        "more luxurious",
        "no music",
        "make it square",
        "make it 20 seconds",
    ]
    assert change_phrases(old, {**old, "captions": False}) == []
    assert change_phrases(old, {**old, "voice": "ElevenLabs"}) == ["use the ElevenLabs voice"]


def test_photo_intake(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path, REELESTATE_MAX_PHOTOS=7)
    photos = listing_photos()
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not a photo")
    uploads = [(p.name, p) for p in photos] + [("broken.jpg", bad)]
    batch = accept_photos(uploads, tmp_path / "in", settings=settings)
    assert len(batch.accepted) == 6
    assert batch.accepted[0].name == "01-1-frontal.jpg"
    assert batch.refused[0][0] == "broken.jpg"
    assert "broken.jpg" in batch.refused_text()
    too_many = accept_photos(uploads, tmp_path / "in2", settings=settings, already=3)
    assert too_many.problem is not None
    assert "at most 7" in too_many.problem
    few = accept_photos(uploads[:2], tmp_path / "in3", settings=settings)
    assert few.accepted == []
    assert few.problem is not None
    assert "Drop 3 more" in few.problem


def test_chat_sql_and_urls() -> None:
    sql = 'DELETE FROM feedbacks WHERE "forId" IN (SELECT "id" FROM steps WHERE "threadId" = :id)'
    assert chat_table_sql(sql) == (
        'DELETE FROM chat_feedbacks WHERE "forId" IN '
        '(SELECT "id" FROM chat_steps WHERE "threadId" = :id)'
    )
    assert chat_table_sql('SELECT "userId" FROM threads t JOIN users u') == (
        'SELECT "userId" FROM chat_threads t JOIN chat_users u'
    )
    assert chat_table_sql('SELECT "steps" FROM x') == 'SELECT "steps" FROM x'
    assert async_database_url("sqlite:////tmp/a.db") == "sqlite+aiosqlite:////tmp/a.db"
    assert async_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def _event(
    stage: str,
    status: str,
    percent: float,
    message: str | None,
    render_stage: EngineStage | None = None,
) -> JobEventView:
    return JobEventView(
        organization_id=uuid.uuid4(), job_id=uuid.uuid4(), seq=1, type="progress",
        status=status, stage=stage, render_stage=render_stage, percent=percent, attempt=1,
        message=message, data=None, created_at=datetime.now(UTC),
    )  # fmt: skip


def test_job_events_as_progress_and_words() -> None:
    assert progress_of(_event("render", "running", 40, "frames", "frames")).stage == "frames"
    assert progress_of(_event("render", "running", 40, None)).stage == "frames"
    assert progress_of(_event("fetch", "running", 2, None)).stage == "prepare"
    assert progress_of(_event("upload", "running", 96, None)).stage == "probe"
    # The engine's stage is read from its field, never from the message.
    assert progress_of(_event("render", "running", 97, "frames", "mux")).stage == "mux"
    assert progress_of(_event("ai_clips", "running", 20, "1 of 2 AI clips ready")).stage == (
        "prepare"
    )
    assert progress_of(_event("done", "succeeded", 100, None)).stage == "probe"
    assert progress_text("final", "frames", 50).startswith(
        "**Rendering the final video:** 50% · animating the photos"
    )
    assert scrub_paths("saved to /srv/data/conversations/t/final/video.mp4.") == (
        "saved to video.mp4."
    )


def test_failures_and_brand_data() -> None:
    from reelestate.storage.schemas import RenderJobView  # noqa: PLC0415

    base = {
        "id": uuid.uuid4(), "organization_id": uuid.uuid4(), "kind": "render_video",
        "queue": "cpu", "status": "failed", "stage": "render", "percent": 40.0, "attempts": 3,
        "max_attempts": 3, "error_code": "render_failed", "error_message": "The encoder crashed.",
        "outputs": None, "payload": {}, "input_hash": "x", "idempotency_key": None,
        "credits": 10, "project_id": None, "storyboard_version_id": None,
        "cancel_requested": False, "dispatch_count": 1, "heartbeat_at": None, "run_after": None,
        "created_at": datetime.now(UTC), "started_at": None, "finished_at": None,
    }  # fmt: skip
    failed = failure_of(RenderJobView.model_validate(base))
    assert isinstance(failed, RenderError)
    assert failed.message == "The encoder crashed."
    cancelled = failure_of(RenderJobView.model_validate({**base, "status": "cancelled"}))
    assert isinstance(cancelled, RenderCancelledError)
    refused = failure_of(RenderJobView.model_validate({**base, "error_code": "invalid_spec"}))
    assert type(refused) is InvalidInputError and refused.message == "The encoder crashed."
    assert [wait_words(s) for s in (0.2, 40, 60, 61, 3599)] == [
        "1 second", "40 seconds", "1 minute", "2 minutes", "60 minutes",
    ]  # fmt: skip
    ctx = TenantContext(org_id=uuid.uuid4())
    mine = f"org/{ctx.org_id}/media/logo.png"
    data = brand_data(ctx, {"name": "Oak", "primary_color": "#112233", "logo": mine})
    assert data["logo"] == mine
    assert data["primary_color"] == "#112233"
    with pytest.raises(BlobRejectedError):
        brand_data(ctx, {"logo": f"org/{uuid.uuid4()}/media/logo.png"})


def test_storyboard_markdown() -> None:
    from reelestate.agent.events import SceneSummary, StoryboardReady  # noqa: PLC0415

    event = StoryboardReady(
        version=2, reason="r", total_seconds=12.5, aspect="1:1", style="cozy", music="off",
        voice="en-us", storyboard_file=Path("/x.json"),
        scenes=[SceneSummary(number=1, photo_number=3, room="living_room", seconds=4.0,
                             caption="Sunny | bright", motion="zoom_in")],
    )  # fmt: skip
    text = storyboard_markdown(event)
    assert text.startswith("### Storyboard v2")
    assert "| 1 | living room | 3 | 4.0 | zoom_in | Sunny / bright |" in text
