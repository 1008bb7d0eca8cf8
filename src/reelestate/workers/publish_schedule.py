"""The publishing scheduler: every tick, claim the posts that are due and queue one
`publish_post` job for each.

Any number of schedulers may run (the web app's embedded worker, arq's cron in every
`reelestate worker`): the claim is one conditional UPDATE, so a post goes to exactly one of
them. A claim whose job was never queued (the process died in between) is taken again once it
is `PUBLISH_CLAIM_STALE_S` old; the publish job itself resumes from the stored container.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from reelestate.core.errors import ReelEstateError
from reelestate.core.jobs import JobKind
from reelestate.storage.context import TenantContext
from reelestate.storage.models import utcnow
from reelestate.storage.repositories.jobs import NewJob
from reelestate.storage.repositories.publications import PublicationsRepository
from reelestate.storage.schemas import RenderJobView
from reelestate.workers.dispatch import Dispatcher, dispatch_job
from reelestate.workers.execute import JobEnv
from reelestate.workers.kinds import POLICIES
from reelestate.workers.pull_insights import queue_insights_pull

log = logging.getLogger(__name__)
PUBLISH_CLAIM_STALE_S = 300.0


def publish_job(env: JobEnv, ctx: TenantContext, pub_id: uuid.UUID, claim: uuid.UUID) -> NewJob:
    policy = POLICIES[JobKind.PUBLISH_POST]
    return NewJob(
        kind=JobKind.PUBLISH_POST,
        queue=policy.queue,
        input_hash=f"{pub_id.hex}{claim.hex}",
        payload={"publication_id": str(pub_id)},
        credits=policy.credits,
        max_attempts=env.settings.job_max_attempts,
        idempotency_key=f"publish:{pub_id}:{claim}",
    )


def claim_due_posts(env: JobEnv, *, now: datetime | None = None) -> list[RenderJobView]:
    """Claim every due post this scheduler wins and create its job; returns the jobs."""
    now = now or utcnow()
    stale_before = now - timedelta(seconds=PUBLISH_CLAIM_STALE_S)
    posts = PublicationsRepository(env.db)
    jobs: list[RenderJobView] = []
    for due in posts.due(now=now, stale_before=stale_before):
        ctx = TenantContext(org_id=due.organization_id)
        claimed = posts.claim(ctx, due.publication_id, now=now, stale_before=stale_before)
        if claimed is None or claimed.claim_token is None:
            continue  # another scheduler won it, or it was moved or cancelled meanwhile
        job, _ = env.jobs.create(ctx, publish_job(env, ctx, claimed.id, claimed.claim_token))
        posts.attach_job(ctx, claimed.id, job.id)
        jobs.append(job)
    return jobs


async def publish_due(env: JobEnv, dispatcher: Dispatcher | None) -> list[RenderJobView]:
    """One tick: claim and queue (a worker polling the database picks them up without one)."""
    jobs = await asyncio.to_thread(claim_due_posts, env)
    if dispatcher is not None:
        for job in jobs:
            ctx = TenantContext(org_id=job.organization_id)
            await dispatch_job(env, dispatcher, ctx, job.id, job.queue)
    return jobs


async def publishing_loop(
    env: JobEnv, dispatcher: Dispatcher | None, stopping: asyncio.Event
) -> None:
    """The embedded scheduler: a publishing tick every `REELESTATE_PUBLISH_INTERVAL_S`, an
    insights pull every `REELESTATE_INSIGHTS_INTERVAL_S`, until `stopping` is set."""
    interval = env.settings.publish_interval_s
    insights_every = env.settings.insights_interval_s
    last_pull = asyncio.get_running_loop().time()
    while not stopping.is_set():
        try:
            await publish_due(env, dispatcher)
            now = asyncio.get_running_loop().time()
            if insights_every > 0 and now - last_pull >= insights_every:
                last_pull = now
                await queue_insights_pull(env, dispatcher)
        except (ReelEstateError, SQLAlchemyError, OSError) as exc:
            log.warning("the publishing scheduler's tick failed: %s", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), interval)
