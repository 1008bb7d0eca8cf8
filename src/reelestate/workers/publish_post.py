"""Publishing one post: Instagram Reel (container, poll, publish) or Facebook Page Reel
(start, upload by URL, finish), resumable after a crash at any step.

The container (or Facebook video) id is committed before publishing is asked, so a retry after
the process died between the two finds it, asks Meta how it stands, and publishes it (or sees
it already published) instead of creating and posting a second one.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reelestate.core.errors import (
    ConfigurationError,
    ProviderError,
    ProviderRejectedError,
    ProviderTimeoutError,
    PublishingLimitError,
    ReconnectRequiredError,
    ReelEstateError,
)
from reelestate.core.sealing import SecretBox, secret_box
from reelestate.core.settings import Settings
from reelestate.providers.social.base import SocialAccount, SocialPublisher
from reelestate.providers.social.graph_errors import ContainerNotReadyError
from reelestate.providers.social.meta_graph import MetaGraphClient
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Channel, PublicationStatus
from reelestate.storage.repositories.publications import PublicationsRepository
from reelestate.storage.repositories.social_accounts import SocialAccountsRepository
from reelestate.storage.schemas import PublicationView
from reelestate.workers.execute import JobRun

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _client(base_url: str, version: str, timeout_s: float) -> MetaGraphClient:
    return MetaGraphClient(base_url, version, timeout_s=timeout_s)


def meta_publisher(settings: Settings) -> SocialPublisher:
    """The process's Graph client for these settings (one connection pool per process)."""
    return _client(settings.meta_graph_url, settings.meta_graph_version, settings.meta_timeout_s)


@dataclass
class PublishDeps:
    settings: Settings
    db: Database
    blobs: BlobStore
    publisher: SocialPublisher
    box: SecretBox
    sleep: Callable[[float], None] = time.sleep
    after_container: Callable[[str], None] | None = None
    """Called once a new container id is stored (tests stop the process here)."""
    posts: PublicationsRepository = field(init=False)

    def __post_init__(self) -> None:
        self.posts = PublicationsRepository(self.db)

    @classmethod
    def of(cls, settings: Settings, db: Database, blobs: BlobStore) -> PublishDeps:
        return cls(settings, db, blobs, meta_publisher(settings), secret_box(settings))


def video_url_for_meta(deps: PublishDeps, ctx: TenantContext, key: str) -> str:
    """A signed URL of the MP4 that lives long enough for Meta to fetch it."""
    url = deps.blobs.signed_url(ctx, key, deps.settings.publish_url_ttl_s)
    if "://" in url:
        return url
    base = deps.settings.public_base_url
    if not base:
        raise ConfigurationError(
            "Meta fetches the video itself, so it needs an address it can reach.",
            hint="Set REELESTATE_PUBLIC_URL to where this app is reachable, or use S3/CDN.",
        )
    return base.rstrip("/") + url


def account_for(deps: PublishDeps, ctx: TenantContext) -> SocialAccount:
    row = SocialAccountsRepository(deps.db).current(ctx)
    if row.needs_reconnect:
        raise ReconnectRequiredError(
            "The Facebook connection has expired or was revoked.",
            hint="Reconnect the Page, then post again.",
        )
    return SocialAccount.model_validate(
        {
            "page_id": row.page_id,
            "page_token": deps.box.open(row.page_token_sealed),
            "instagram_id": row.instagram_id,
        }
    )


def _wait_finished(deps: PublishDeps, account: SocialAccount, container_id: str) -> str:
    deadline = time.monotonic() + deps.settings.publish_wait_s
    while True:
        state = deps.publisher.container_state(account, container_id)
        if state.status_code in ("FINISHED", "PUBLISHED", "ERROR", "EXPIRED"):
            return state.status_code if state.status_code != "ERROR" else f"ERROR {state.status}"
        if time.monotonic() > deadline:
            raise ProviderTimeoutError(
                "Meta is still processing the video.", hint="It is tried again shortly."
            )
        deps.sleep(deps.settings.publish_poll_s)


def _publish_instagram(deps: PublishDeps, ctx: TenantContext, post: PublicationView) -> str:
    account = account_for(deps, ctx)
    container = post.container_id
    if container is not None:
        state = _wait_finished(deps, account, container)
        if state == "PUBLISHED":
            log.info("post %s was published before the process stopped", post.id)
            return container
        if state != "FINISHED":  # ERROR or EXPIRED: this container cannot be published
            container = None
    if container is None:
        quota = deps.publisher.publishing_quota(account)
        if quota.left == 0:
            raise PublishingLimitError(
                f"The Instagram account published {quota.used} posts in the last 24 hours, "
                "its limit.",
                hint="Schedule the post for later.",
            )
        container = deps.publisher.create_reel_container(
            account,
            video_url=video_url_for_meta(deps, ctx, post.video_key),
            caption=post.caption,
        )
        deps.posts.save_container(ctx, post.id, container)
        if deps.after_container is not None:
            deps.after_container(container)
        state = _wait_finished(deps, account, container)
        if state.startswith("ERROR") or state == "EXPIRED":
            deps.posts.save_container(ctx, post.id, "")
            reason = state.removeprefix("ERROR ")
            raise ProviderRejectedError(f"Meta could not use the video: {reason}")
    deadline = time.monotonic() + deps.settings.publish_wait_s
    while True:
        try:
            return deps.publisher.publish_container(account, container)
        except ContainerNotReadyError:
            if time.monotonic() > deadline:
                raise
            deps.sleep(deps.settings.publish_poll_s)


def _publish_facebook(deps: PublishDeps, ctx: TenantContext, post: PublicationView) -> str:
    account = account_for(deps, ctx)
    if post.container_id and deps.publisher.page_reel_published(account, post.container_id):
        return post.container_id
    # An upload that was never finished is not on the Page: starting again posts it once.
    upload = deps.publisher.start_page_reel(account)
    video_id, upload_url = upload.video_id, upload.upload_url
    deps.posts.save_container(ctx, post.id, video_id)
    if deps.after_container is not None:
        deps.after_container(video_id)
    deps.publisher.upload_page_reel(
        account, upload_url, video_url_for_meta(deps, ctx, post.video_key)
    )
    deps.publisher.finish_page_reel(account, video_id, description=post.caption)
    return video_id


def publish_publication(
    deps: PublishDeps, ctx: TenantContext, pub_id: uuid.UUID, *, last_attempt: bool = True
) -> PublicationView:
    """Publish a claimed post; a user-actionable failure (or the last try) marks it failed."""
    post = deps.posts.get(ctx, pub_id)
    if post.status != PublicationStatus.PUBLISHING:
        return post  # published already, or cancelled/moved before its turn
    try:
        if post.channel == Channel.INSTAGRAM:
            remote = _publish_instagram(deps, ctx, post)
        else:
            remote = _publish_facebook(deps, ctx, post)
    except ReconnectRequiredError as exc:
        account = SocialAccountsRepository(deps.db).current(ctx)
        SocialAccountsRepository(deps.db).mark_needs_reconnect(ctx, account.page_id)
        deps.posts.failed(ctx, pub_id, code=exc.code, message=str(exc))
        raise
    except ReelEstateError as exc:
        retryable = isinstance(exc, ProviderError) and exc.retryable
        if not retryable or last_attempt:
            deps.posts.failed(ctx, pub_id, code=exc.code, message=str(exc))
        raise
    return deps.posts.published(ctx, pub_id, remote)


def publish_post_job(run: JobRun) -> dict[str, Any]:
    """The `publish_post` job: the scheduler claimed the post and queued this."""
    pub_id = uuid.UUID(str(run.job.payload["publication_id"]))
    deps = PublishDeps.of(run.env.settings, run.env.db, run.env.blobs)
    last = run.lease.attempt >= run.job.max_attempts
    post = publish_publication(deps, run.ctx, pub_id, last_attempt=last)
    return {
        "publication_id": str(post.id),
        "status": post.status.value,
        "channel": post.channel.value,
        "remote_id": post.remote_id,
    }
