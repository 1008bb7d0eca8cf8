from __future__ import annotations

import time
from datetime import timedelta

import pytest

from reelestate.storage.db import Database
from reelestate.storage.models import JobQueue, JobStatus, LedgerKind, RenderJob, utcnow
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.jobs import JobsRepository, LeaseLostError
from reelestate.storage.repositories.system import SystemJobs
from tests.storage.factories import new_org, preview_job


def test_a_zombie_worker_cannot_record_anything_after_its_lease_moved(db: Database) -> None:
    ctx = new_org(db, credits=5)
    jobs = JobsRepository(db)
    job, _ = jobs.create(ctx, preview_job(credits=2, max_attempts=3))
    first = jobs.claim(ctx, job.id, "worker-a", stale_after_s=30)
    assert first is not None and first.attempt == 1
    # A second delivery while the first worker is alive is refused.
    assert jobs.claim(ctx, job.id, "worker-b", stale_after_s=30) is None
    time.sleep(0.05)
    # Worker A went quiet: recovery puts the job back, worker B takes it.
    assert jobs.requeue_if_stale(ctx, job.id, stale_after_s=0.01)
    second = jobs.claim(ctx, job.id, "worker-b", stale_after_s=30)
    assert second is not None and second.attempt == 2
    for write in (
        lambda: jobs.heartbeat(first),
        lambda: jobs.progress(first, "render", 50),
        lambda: jobs.succeed(first, {"video": "x"}),
        lambda: jobs.fail(first, code="render_failed", message="boom"),
        lambda: jobs.cancelled(first),
    ):
        with pytest.raises(LeaseLostError):
            write()
    assert jobs.succeed(second, {"video": "y"}).outputs == {"video": "y"}
    kinds = [e.kind for e in CreditsRepository(db).entries(ctx)]
    assert kinds.count(LedgerKind.CAPTURE) == 1
    assert jobs.claim(ctx, job.id, "worker-c", stale_after_s=30) is None


def test_a_job_whose_workers_keep_dying_fails_and_refunds(db: Database) -> None:
    ctx = new_org(db, credits=5)
    jobs = JobsRepository(db)
    job, _ = jobs.create(ctx, preview_job(credits=3, max_attempts=1))
    assert jobs.claim(ctx, job.id, "worker-a", stale_after_s=30) is not None
    assert not jobs.requeue_if_stale(ctx, job.id, stale_after_s=30)  # still alive
    time.sleep(0.05)
    assert not jobs.requeue_if_stale(ctx, job.id, stale_after_s=0.01)
    failed = jobs.get(ctx, job.id)
    assert (failed.status, failed.error_code) == (JobStatus.FAILED, "worker_lost")
    assert CreditsRepository(db).balance(ctx).available == 5


def test_retry_waits_for_its_time_and_release_does_not_count_an_attempt(db: Database) -> None:
    ctx = new_org(db, credits=5)
    jobs = JobsRepository(db)
    job, _ = jobs.create(ctx, preview_job(credits=1, max_attempts=3))
    lease = jobs.claim(ctx, job.id, "w", stale_after_s=30)
    assert lease is not None
    retry = jobs.fail(
        lease, code="render_failed", message="x", retry_at=utcnow() + timedelta(hours=1)
    )
    assert (retry.status, retry.stage) == (JobStatus.QUEUED, "retrying")
    assert jobs.claim(ctx, job.id, "w", stale_after_s=30) is None  # not due yet
    with db.tenant(ctx) as session:
        row = session.get(RenderJob, job.id)
        assert row is not None
        row.run_after = utcnow() - timedelta(seconds=1)
    lease = jobs.claim(ctx, job.id, "w", stale_after_s=30)
    assert lease is not None and lease.attempt == 2
    jobs.release(lease)
    assert jobs.get(ctx, job.id).attempts == 1
    lease = jobs.claim(ctx, job.id, "w", stale_after_s=30)
    assert lease is not None and lease.attempt == 2
    final = jobs.fail(lease, code="invalid_spec", message="bad")
    assert final.status == JobStatus.FAILED


def test_cancel_flag_reaches_the_worker_and_a_stale_cancelled_job_ends(db: Database) -> None:
    ctx = new_org(db, credits=5)
    jobs = JobsRepository(db)
    job, _ = jobs.create(ctx, preview_job(credits=1))
    lease = jobs.claim(ctx, job.id, "w", stale_after_s=30)
    assert lease is not None and not jobs.heartbeat(lease)
    assert jobs.request_cancel(ctx, job.id).cancel_requested
    assert jobs.request_cancel(ctx, job.id).status == JobStatus.RUNNING  # asked once is enough
    assert jobs.heartbeat(lease)
    time.sleep(0.05)
    # The worker died before acting on it: the next claim finishes the cancel.
    assert jobs.claim(ctx, job.id, "w2", stale_after_s=0.01) is None
    assert jobs.get(ctx, job.id).status == JobStatus.CANCELLED
    assert CreditsRepository(db).balance(ctx).available == 5


def test_system_view_lists_recoverable_jobs_and_queue_stats(db: Database) -> None:
    ctx = new_org(db, credits=10)
    jobs = JobsRepository(db)
    system = SystemJobs(db)
    queued, _ = jobs.create(ctx, preview_job(credits=0))
    running, _ = jobs.create(ctx, preview_job(credits=0))
    assert jobs.claim(ctx, running.id, "w", stale_after_s=30) is not None
    jobs.mark_dispatched(ctx, queued.id)
    time.sleep(0.05)
    found = {
        r.job_id: r
        for r in system.jobs_to_recover(stale_after_s=0.01, dispatched_before=utcnow(), limit=1000)
    }
    assert found[queued.id].status == JobStatus.QUEUED and found[queued.id].dispatch_count == 1
    assert found[running.id].status == JobStatus.RUNNING
    assert found[queued.id].organization_id == ctx.org_id
    stats = {(s.queue, s.status): s for s in system.queue_stats()}
    assert stats[(JobQueue.CPU, JobStatus.QUEUED)].jobs >= 1
    assert stats[(JobQueue.CPU, JobStatus.RUNNING)].oldest is not None
    assert system.job_org(queued.id) == ctx.org_id


def test_run_times_cover_recently_succeeded_jobs(db: Database) -> None:
    ctx = new_org(db, credits=10)
    jobs = JobsRepository(db)
    job, _ = jobs.create(ctx, preview_job(credits=0))
    lease = jobs.claim(ctx, job.id, "w", stale_after_s=30)
    assert lease is not None
    jobs.succeed(lease, {})
    count, mean = SystemJobs(db).run_times(since=utcnow() - timedelta(minutes=5))[JobQueue.CPU]
    assert count >= 1 and mean >= 0
