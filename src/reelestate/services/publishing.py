"""Publishing use cases every channel calls: post a finished video now or at a time, move,
re-word or cancel a post, read the calendar, connect a Page.

Times come in and go out in the organisation's time zone; they are stored in UTC.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reelestate.core.errors import InvalidInputError, JobStateError
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.core.sealing import secret_box
from reelestate.core.settings import Settings
from reelestate.render.spec import ListingFacts
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Channel, PublicationStatus, utcnow
from reelestate.storage.repositories.content import StoryboardsRepository
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.publications import NewPublication, PublicationsRepository
from reelestate.storage.repositories.social_accounts import SocialAccountsRepository
from reelestate.storage.schemas import PublicationView, RenderJobView, SocialAccountView
from reelestate.tools.social_caption import caption_from_facts, check_caption
from reelestate.workers.publish_post import PublishDeps, publish_publication
from reelestate.workers.publish_schedule import PUBLISH_CLAIM_STALE_S

VIDEO_JOBS = frozenset({JobKind.RENDER_VIDEO, JobKind.RENDER_PREVIEW})


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInputError(
            f"{name!r} is not a time zone.", hint='Use e.g. "America/Denver".'
        ) from exc


def parse_when(text: str, zone: ZoneInfo) -> datetime:
    """ISO 8601 ('2026-12-11T09:00', with or without an offset): a time without an offset is
    the organisation's local time."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInputError(
            f"{text!r} is not a date and time.", hint="Write it like 2026-12-11T09:00."
        ) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(UTC)


@dataclass
class PublishingService:
    settings: Settings
    db: Database
    blobs: BlobStore

    @property
    def posts(self) -> PublicationsRepository:
        return PublicationsRepository(self.db)

    def zone(self, ctx: TenantContext) -> ZoneInfo:
        return zone_of(OrganisationsRepository(self.db).get(ctx).time_zone)

    def local(self, ctx: TenantContext, when: datetime | None) -> datetime | None:
        return when.astimezone(self.zone(ctx)) if when is not None else None

    def connect(
        self,
        ctx: TenantContext,
        *,
        page_id: str,
        page_token: str,
        instagram_id: str | None,
        page_name: str | None = None,
    ) -> SocialAccountView:
        """Store a Page's token sealed with the installation's key."""
        if not page_id.strip() or not page_token.strip():
            raise InvalidInputError("A Page id and a Page token are both needed.")
        sealed = secret_box(self.settings).seal(page_token.strip())
        return SocialAccountsRepository(self.db).connect(
            ctx,
            page_id=page_id.strip(),
            page_token_sealed=sealed,
            instagram_id=(instagram_id or "").strip() or None,
            page_name=page_name,
        )

    def _finished_video(self, ctx: TenantContext, job: RenderJobView) -> str:
        if job.kind not in VIDEO_JOBS or job.status != JobStatus.SUCCEEDED:
            raise JobStateError(
                "Only a finished video can be posted.",
                hint="Wait for the render to finish, or render the approved storyboard.",
            )
        video = (job.outputs or {}).get("video")
        if not isinstance(video, dict) or "key" not in video:
            raise JobStateError("This render has no video file to post.")
        return str(video["key"])

    def _facts(self, ctx: TenantContext, job: RenderJobView) -> tuple[ListingFacts | None, str]:
        if job.storyboard_version_id is None:
            return None, ""
        spec = StoryboardsRepository(self.db).version(ctx, job.storyboard_version_id).spec
        facts = ListingFacts.model_validate(spec["facts"]) if spec.get("facts") else None
        return facts, str(spec.get("title") or "")

    def schedule(
        self,
        ctx: TenantContext,
        render_job_id: uuid.UUID,
        channel: Channel,
        *,
        caption: str | None = None,
        at: datetime | None = None,
        hashtags: bool = True,
        draft: bool = False,
    ) -> PublicationView:
        """A post of a finished render: now (`at` None) or at `at`; a draft has no time yet."""
        job = JobsRepository(self.db).get(ctx, render_job_id)
        key = self._finished_video(ctx, job)
        width, height = (job.outputs or {}).get("width"), (job.outputs or {}).get("height")
        if channel == Channel.FACEBOOK and width and height and abs(width / height - 9 / 16) > 0.01:
            raise InvalidInputError(
                "Facebook Reels must be vertical (9:16).", hint="Render the vertical version."
            )
        facts, title = self._facts(ctx, job)
        text = (
            check_caption(caption)
            if caption
            else caption_from_facts(facts, title=title, hashtags=hashtags)
        )
        if at is not None and at < utcnow() - timedelta(minutes=5):
            raise InvalidInputError("That time has passed.", hint="Pick a time from now on.")
        return self.posts.create(
            ctx,
            NewPublication(
                channel=channel,
                status=PublicationStatus.DRAFT if draft else PublicationStatus.SCHEDULED,
                scheduled_at=None if draft else (at or utcnow()),
                caption=text,
                title=(facts.address if facts and facts.address else title) or "Listing video",
                video_key=key,
                cover_key=((job.outputs or {}).get("thumbnail") or {}).get("key"),
                render_job_id=job.id,
                project_id=job.project_id,
            ),
        )

    def publish_now(
        self, ctx: TenantContext, pub_id: uuid.UUID, deps: PublishDeps | None = None
    ) -> PublicationView:
        """Claim the post here and publish it in this process (the command line does this)."""
        now = utcnow()
        claimed = self.posts.claim(
            ctx, pub_id, now=now, stale_before=now - timedelta(seconds=PUBLISH_CLAIM_STALE_S)
        )
        if claimed is None:
            return self.posts.get(ctx, pub_id)
        deps = deps or PublishDeps.of(self.settings, self.db, self.blobs)
        return publish_publication(deps, ctx, pub_id)

    def move(self, ctx: TenantContext, pub_id: uuid.UUID, at: datetime) -> PublicationView:
        return self.posts.change(ctx, pub_id, scheduled_at=at, status=PublicationStatus.SCHEDULED)

    def cancel(self, ctx: TenantContext, pub_id: uuid.UUID) -> PublicationView:
        return self.posts.change(ctx, pub_id, status=PublicationStatus.CANCELLED)

    def recaption(self, ctx: TenantContext, pub_id: uuid.UUID, caption: str) -> PublicationView:
        return self.posts.change(ctx, pub_id, caption=check_caption(caption))

    def calendar(
        self, ctx: TenantContext, start: datetime | None, end: datetime | None
    ) -> list[PublicationView]:
        return self.posts.between(ctx, start, end)
