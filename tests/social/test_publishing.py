"""Posting a finished video: Instagram Reel and Facebook Reel, through the local Graph server
that fetches and probes the signed URL; resuming after a crash; failures the user can act on."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidInputError, ReconnectRequiredError
from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings
from reelestate.providers.social.meta_graph import MetaGraphClient
from reelestate.services.publishing import PublishingService
from reelestate.storage import migrate
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.blobs.signing import blob_url_secret
from reelestate.storage.context import TenantContext
from reelestate.storage.db import open_database
from reelestate.storage.models import Channel, PublicationStatus, SocialAccountRow, utcnow
from reelestate.storage.repositories.publications import PublicationsRepository
from reelestate.workers.publish_post import PublishDeps, publish_publication
from reelestate.workers.publish_schedule import claim_due_posts
from reelestate.workers.service import open_env
from tests.social.helpers import (
    TOKEN,
    blob_server,
    finished_render,
    new_connected_org,
    settings_for,
)
from tests.support.fake_graph import FakeGraphApi, GraphFault

FAST = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02, jitter=0)


class ProcessKilled(BaseException):
    """Stands for the process dying: nothing below catches it."""


@dataclass
class World:
    settings: Settings
    svc: PublishingService
    graph: FakeGraphApi
    public_url: str

    def deps(self, **extra: object) -> PublishDeps:
        from reelestate.core.sealing import secret_box  # noqa: PLC0415

        client = MetaGraphClient(self.graph.base_url, "v23.0", timeout_s=10, policy=FAST)
        return PublishDeps(
            self.settings, self.svc.db, self.svc.blobs, client, secret_box(self.settings),
            sleep=lambda _s: None, **extra,  # type: ignore[arg-type]
        )  # fmt: skip

    def render(
        self, ctx: TenantContext, video: Path, size: tuple[int, int] = (180, 320)
    ) -> uuid.UUID:
        return finished_render(self.svc.db, self.svc.blobs, ctx, video, size=size)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, graph_server: FakeGraphApi) -> Iterator[World]:
    data = tmp_path_factory.mktemp("publishing")
    secret = blob_url_secret(Settings(REELESTATE_DATA_DIR=data))
    with blob_server(data / "blobs", secret) as public:
        settings = settings_for(data, graph_server.base_url, public)
        migrate.upgrade(settings)
        svc = PublishingService(settings, open_database(settings), open_blob_store(settings))
        yield World(settings, svc, graph_server, public)
        svc.db.dispose()


@pytest.fixture
def w(world: World, graph: FakeGraphApi) -> World:
    return world


def test_instagram_reel_is_posted_after_meta_fetched_the_signed_url(
    w: World, reel_video: Path
) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.INSTAGRAM, caption="12 Oak St")
    done = w.svc.publish_now(ctx, post.id, w.deps())
    assert done.status == PublicationStatus.PUBLISHED and done.remote_id
    assert w.graph.fetched[-1].startswith(f"{w.public_url}/blobs/org/{ctx.org_id}/")
    assert "signature=" in w.graph.fetched[-1]
    assert [p["id"] for p in w.graph.published] == [done.remote_id]
    # The stored token is sealed, never the token itself.
    with w.svc.db.tenant(ctx) as session:
        sealed = session.query(SocialAccountRow).one().page_token_sealed
    assert TOKEN not in sealed


def test_facebook_reel_is_posted_through_the_upload_phases(w: World, reel_video: Path) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.FACEBOOK)
    done = w.svc.publish_now(ctx, post.id, w.deps())
    assert done.status == PublicationStatus.PUBLISHED
    assert w.graph.published[-1]["channel"] == "facebook"
    assert w.graph.calls("/rupload/") == 1


def test_two_schedulers_publish_one_due_post_once(w: World, reel_video: Path) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.INSTAGRAM)
    envs = [open_env(w.settings), open_env(w.settings)]
    won: list[list[object]] = [[], []]
    start = threading.Barrier(2)

    def scheduler(i: int) -> None:
        start.wait()
        won[i] = list(claim_due_posts(envs[i]))

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(x) for x in won) == [0, 1]
    assert publish_publication(w.deps(), ctx, post.id).status == PublicationStatus.PUBLISHED
    assert publish_publication(w.deps(), ctx, post.id).status == PublicationStatus.PUBLISHED
    assert claim_due_posts(envs[0]) == []
    assert len(w.graph.published) == 1
    for env in envs:
        env.close()


def test_moved_and_cancelled_posts_are_not_published_when_first_due(
    w: World, reel_video: Path
) -> None:
    ctx = new_connected_org(w.svc)
    job = w.render(ctx, reel_video)
    soon = utcnow() + timedelta(minutes=1)
    moved = w.svc.schedule(ctx, job, Channel.INSTAGRAM, at=soon)
    cancelled = w.svc.schedule(ctx, job, Channel.FACEBOOK, at=soon)
    w.svc.move(ctx, moved.id, utcnow() + timedelta(days=3))
    w.svc.cancel(ctx, cancelled.id)
    env = open_env(w.settings)
    try:
        assert [j for j in claim_due_posts(env, now=soon + timedelta(minutes=1))
                if j.organization_id == ctx.org_id] == []  # fmt: skip
        later = [j for j in claim_due_posts(env, now=utcnow() + timedelta(days=3, minutes=1))
                 if j.organization_id == ctx.org_id]  # fmt: skip
        assert [j.payload["publication_id"] for j in later] == [str(moved.id)]
    finally:
        env.close()
    assert w.svc.posts.get(ctx, cancelled.id).status == PublicationStatus.CANCELLED
    with pytest.raises(InvalidInputError):
        w.svc.move(ctx, cancelled.id, utcnow() + timedelta(days=1))


def test_killed_between_container_and_publish_the_retry_posts_once(
    w: World, reel_video: Path
) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.INSTAGRAM)

    def die(_container: str) -> None:
        raise ProcessKilled

    with pytest.raises(ProcessKilled):
        w.svc.publish_now(ctx, post.id, w.deps(after_container=die))
    stored = w.svc.posts.get(ctx, post.id)
    assert stored.status == PublicationStatus.PUBLISHING and stored.container_id
    done = publish_publication(w.deps(), ctx, post.id)
    assert done.status == PublicationStatus.PUBLISHED
    assert w.graph.containers_created() == 1  # one container
    assert len(w.graph.published) == 1


def test_a_container_ending_in_error_fails_the_post_with_meta_s_reason(
    w: World, media_dir: Path
) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, media_dir / "wide.mp4", (320, 180)), Channel.INSTAGRAM)
    with pytest.raises(InvalidInputError.__mro__[1]):  # a ReelEstateError
        w.svc.publish_now(ctx, post.id, w.deps())
    failed = w.svc.posts.get(ctx, post.id)
    assert failed.status == PublicationStatus.FAILED
    assert "2207026" in (failed.error_message or "")
    assert w.graph.published == []


def test_an_expired_token_fails_the_post_and_asks_to_reconnect(w: World, reel_video: Path) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.INSTAGRAM)
    w.graph.graph_faults.append(GraphFault("content_publishing_limit", 190, subcode=463))
    with pytest.raises(ReconnectRequiredError):
        w.svc.publish_now(ctx, post.id, w.deps())
    failed = w.svc.posts.get(ctx, post.id)
    assert failed.status == PublicationStatus.FAILED and failed.error_code == "reconnect_required"
    assert "Reconnect" in (failed.error_message or "")
    with pytest.raises(ReconnectRequiredError):  # no silent retries until reconnected
        w.svc.publish_now(ctx, w.svc.schedule(ctx, post.render_job_id or uuid.uuid4(),
                                              Channel.INSTAGRAM).id, w.deps())  # fmt: skip
    assert PublicationsRepository(w.svc.db).get(ctx, post.id).remote_id is None


def test_the_publishing_limit_is_respected(w: World, reel_video: Path) -> None:
    ctx = new_connected_org(w.svc)
    post = w.svc.schedule(ctx, w.render(ctx, reel_video), Channel.INSTAGRAM)
    w.graph.quota_total = 0
    try:
        with pytest.raises(InvalidInputError.__mro__[1], match="limit"):
            w.svc.publish_now(ctx, post.id, w.deps())
    finally:
        w.graph.quota_total = 100
    assert w.svc.posts.get(ctx, post.id).error_code == "publishing_limit"
    assert w.graph.containers_created() == 0


def test_captions_are_written_from_facts_and_checked(w: World, reel_video: Path) -> None:
    ctx = new_connected_org(w.svc)
    job = w.render(ctx, reel_video)
    with pytest.raises(InvalidInputError, match="hashtags"):
        w.svc.schedule(ctx, job, Channel.INSTAGRAM, caption=" ".join(f"#t{i}" for i in range(31)))
    with pytest.raises(InvalidInputError, match="2,200"):
        w.svc.schedule(ctx, job, Channel.INSTAGRAM, caption="a" * 2201)
    with pytest.raises(InvalidInputError, match="Say instead"):
        w.svc.schedule(ctx, job, Channel.INSTAGRAM, caption="Perfect for a young couple")
    with pytest.raises(InvalidInputError, match="vertical"):
        w.svc.schedule(ctx, w.render(ctx, reel_video, (320, 180)), Channel.FACEBOOK)
