"""The webhook path end to end: the fake fal calls our route, the generator finishes from the
inbox; bad signatures are refused and the slow status poll still brings the clip home."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelestate.api import problems
from reelestate.api.app import AppOptions, create_app
from reelestate.api.v1.webhooks import fal_webhook_router
from reelestate.core.errors import ProviderRejectedError
from reelestate.core.settings import Settings
from reelestate.prompts.motion import motion_prompt
from reelestate.providers.video_gen.base import ClipRequest
from reelestate.providers.video_gen.inbox import InMemoryWebhookInbox, process_inbox
from reelestate.providers.video_gen.webhook import FAL_WEBHOOK_PATH, JwksCache
from reelestate.storage import migrate
from tests.providers.video_gen.conftest import fal_generator
from tests.support.fake_fal import FakeFal, run_fake_fal
from tests.support.fal_clips import FalClips
from tests.web.live_server import live_server


def request(photo: Path) -> ClipRequest:
    return ClipRequest(
        model="kling-1.6-pro", image=photo, prompt=motion_prompt("bedroom"), duration_s=5,
        aspect="16:9",
    )  # fmt: skip


async def run_with_webhooks(
    fal_clips: FalClips, photo: Path, tmp_path: Path, backstop_s: float, **knobs: Any
) -> tuple[FakeFal, Path | None, Exception | None]:
    with run_fake_fal(clip=fal_clips.good, **knobs) as fal:
        inbox = InMemoryWebhookInbox()
        app = FastAPI()
        problems.install(app)
        app.include_router(fal_webhook_router(inbox, JwksCache(fal.jwks_url)), prefix="/api/v1")
        with live_server(app) as base:
            generator = fal_generator(
                fal, tmp_path, settings={"REELESTATE_PUBLIC_URL": base}, inbox=inbox,
                webhook_backstop_s=backstop_s,
            )  # fmt: skip
            assert generator.webhook_url == f"{base}{FAL_WEBHOOK_PATH}"
            try:
                clip = await generator.generate(request(photo), tmp_path / "out")
            except ProviderRejectedError as exc:
                return fal, None, exc
    return fal, clip.path, None


async def test_the_clip_arrives_by_webhook(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    fal, path, _ = await run_with_webhooks(fal_clips, photo, tmp_path, backstop_s=60)
    assert path is not None
    assert path.read_bytes() == fal_clips.good.read_bytes()
    assert fal.of("submit")[0].query["fal_webhook"].endswith(FAL_WEBHOOK_PATH)
    assert fal.webhook_responses == [200]
    assert fal.of("status") == []  # the backstop poll never had to run
    assert fal.of("result") == []  # the result came in the webhook


@pytest.mark.parametrize(("signature", "answer"), [("tampered", 403), ("stale", 403),
                                                   ("unsigned", 401)])  # fmt: skip
async def test_a_bad_signature_is_refused_and_polling_takes_over(
    fal_clips: FalClips, photo: Path, tmp_path: Path, signature: str, answer: int
) -> None:
    fal, path, _ = await run_with_webhooks(
        fal_clips, photo, tmp_path, backstop_s=0.3, webhook_signature=signature
    )
    assert fal.webhook_responses == [answer]
    assert path is not None and path.read_bytes() == fal_clips.good.read_bytes()
    assert fal.of("status") != []
    assert len(fal.of("result")) == 1


async def test_a_failed_job_reported_by_webhook_is_an_error(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    flagged = (422, {"detail": [{"loc": ["body", "prompt"], "msg": "flagged",
                                 "type": "content_policy_violation"}]})  # fmt: skip
    fal, path, error = await run_with_webhooks(
        fal_clips, photo, tmp_path, backstop_s=60, result_error=flagged
    )
    assert path is None
    assert isinstance(error, ProviderRejectedError)
    assert fal.webhook_responses == [200]
    assert len(fal.of("submit")) == 1


def test_the_web_app_carries_the_route(tmp_path: Path) -> None:
    with run_fake_fal() as fal:
        settings = Settings(
            REELESTATE_DATA_DIR=tmp_path / "data",
            REELESTATE_JWT_SECRET="x" * 40,
            REELESTATE_FAL_WEBHOOK_JWKS_URL=fal.jwks_url,
            FAL_KEY="key-id:key-secret",  # fal only calls back installations that use it
        )
        migrate.upgrade(settings)
        app = create_app(settings, AppOptions(chat=False, worker=False))
        body = json.dumps({"request_id": "req-77", "status": "OK", "payload": {"v": 1}}).encode()
        with TestClient(app) as client:
            unsigned = client.post(FAL_WEBHOOK_PATH, content=body)
            forged = client.post(
                FAL_WEBHOOK_PATH, content=body + b" ", headers=fal.sign("req-77", body)
            )
            ok = client.post(FAL_WEBHOOK_PATH, content=body, headers=fal.sign("req-77", body))
            huge = client.post(FAL_WEBHOOK_PATH, content=b"x" * (5 * 1024 * 1024))
    assert huge.status_code == 422
    assert unsigned.status_code == 401
    assert unsigned.headers["content-type"] == "application/problem+json"
    assert forged.status_code == 403
    assert "signature" in forged.json()["title"]
    for answer in (unsigned, forged):
        assert fal.key not in answer.text
        assert "keys" not in answer.text
    assert ok.status_code == 200
    assert ok.json() == {"ok": True}
    stored = asyncio.run(process_inbox().wait("req-77", 0))
    assert stored == {"request_id": "req-77", "status": "OK", "payload": {"v": 1}}
