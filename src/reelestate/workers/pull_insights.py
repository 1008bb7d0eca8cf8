"""Insights of published posts, pulled for 30 days after publishing and stored as a time series
(one row per metric per pull), so a chart can show how views and engagement grew.

One `pull_insights` job per organisation per tick; a post whose data Meta has not got yet (an
empty list, up to 48 h) simply has no point for that pull.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from reelestate.core.errors import ProviderError, ReconnectRequiredError
from reelestate.core.jobs import JobKind
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Channel, utcnow
from reelestate.storage.repositories.jobs import NewJob
from reelestate.storage.repositories.social_accounts import SocialAccountsRepository
from reelestate.workers.dispatch import Dispatcher, dispatch_job
from reelestate.workers.execute import JobEnv, JobRun
from reelestate.workers.kinds import POLICIES
from reelestate.workers.publish_post import PublishDeps, account_for

log = logging.getLogger(__name__)
MEASURE_DAYS = 30


def pull_org_insights(deps: PublishDeps, ctx: TenantContext, *, now: datetime | None = None) -> int:
    """Pull every measurable post of one organisation; returns the metric values stored."""
    now = now or utcnow()
    since = now - timedelta(days=MEASURE_DAYS)
    ids = [
        d.publication_id
        for d in deps.posts.to_measure(since=since)
        if d.organization_id == ctx.org_id
    ]
    if not ids:
        return 0
    try:
        account = account_for(deps, ctx)
    except ReconnectRequiredError:
        log.info("organisation %s must reconnect before insights can be pulled", ctx.org_id)
        return 0
    stored = 0
    for pub_id in ids:
        post = deps.posts.get(ctx, pub_id)
        if not post.remote_id:
            continue
        try:
            if post.channel == Channel.INSTAGRAM:
                values = deps.publisher.media_insights(account, post.remote_id)
            else:
                values = deps.publisher.video_insights(account, post.remote_id)
        except ReconnectRequiredError:
            SocialAccountsRepository(deps.db).mark_needs_reconnect(ctx, account.page_id)
            raise
        except ProviderError as exc:
            if exc.retryable:
                raise
            log.info("insights of post %s were refused: %s", pub_id, exc)
            continue
        stored += deps.posts.add_metrics(ctx, pub_id, now, values)
    return stored


def pull_all_insights(env: JobEnv, *, now: datetime | None = None) -> int:
    """Every organisation's measurable posts, in this process (`reelestate analytics pull`)."""
    deps = PublishDeps.of(env.settings, env.db, env.blobs)
    now = now or utcnow()
    orgs = _orgs_to_measure(deps, now)
    return sum(pull_org_insights(deps, TenantContext(org_id=org), now=now) for org in orgs)


def _orgs_to_measure(deps: PublishDeps, now: datetime) -> list[uuid.UUID]:
    due = deps.posts.to_measure(since=now - timedelta(days=MEASURE_DAYS))
    return list(dict.fromkeys(d.organization_id for d in due))


def pull_insights_job(run: JobRun) -> dict[str, Any]:
    deps = PublishDeps.of(run.env.settings, run.env.db, run.env.blobs)
    return {"stored": pull_org_insights(deps, run.ctx)}


async def queue_insights_pull(env: JobEnv, dispatcher: Dispatcher | None) -> int:
    """One job per organisation with posts to measure, once per hour at most (idempotent)."""
    now = utcnow()
    deps = PublishDeps.of(env.settings, env.db, env.blobs)
    orgs = await asyncio.to_thread(_orgs_to_measure, deps, now)
    policy = POLICIES[JobKind.PULL_INSIGHTS]
    hour = now.strftime("%Y%m%d%H")
    for org in orgs:
        ctx = TenantContext(org_id=org)
        new = NewJob(
            kind=JobKind.PULL_INSIGHTS,
            queue=policy.queue,
            input_hash=f"insights{org.hex}{hour}",
            credits=policy.credits,
            max_attempts=env.settings.job_max_attempts,
            idempotency_key=f"insights:{hour}",
        )
        job, created = await asyncio.to_thread(env.jobs.create, ctx, new)
        if created and dispatcher is not None:
            await dispatch_job(env, dispatcher, ctx, job.id, job.queue)
    return len(orgs)
