"""How many workers a queue needs: the autoscaling rule, as a pure function.

    workers = clamp(ceil(backlog * mean_job_s / (target_wait_s * slots_per_worker)), min, max)

`backlog` is queued + running jobs (from the database, not Redis, so a Redis restart does not
hide work). The backlog holds `backlog * mean_job_s` seconds of work; to clear it within
`target_wait_s` that many seconds must run in parallel, spread over `slots_per_worker`
(`--concurrency`) slots per worker. Scale up at once; scale down only after the rule has asked
for fewer workers for `cool_down` (10 minutes by default), and stop a worker with SIGTERM so
its running jobs go back to the queue instead of being lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from reelestate.core.jobs import JobQueue
from reelestate.storage.repositories.system import SystemJobs

MEAN_WINDOW = timedelta(hours=1)
"""Mean job time is measured over the jobs that succeeded in this window."""


@dataclass(frozen=True)
class QueueTarget:
    target_wait_s: float
    slots_per_worker: int
    min_workers: int
    max_workers: int
    default_job_s: float
    """Used until the queue has finished jobs to measure."""


TARGETS: dict[JobQueue, QueueTarget] = {
    # Renders: 1-2 FFmpeg renders per 2-4 vCPU worker; users wait for a preview.
    JobQueue.CPU: QueueTarget(60.0, 2, 1, 20, 45.0),
    # Remote generation (fal, avatars): mostly waiting on the network, many per worker.
    JobQueue.GPU: QueueTarget(120.0, 8, 0, 10, 90.0),
}


def desired_workers(queue: JobQueue, *, queued: int, running: int, mean_job_s: float | None) -> int:
    target = TARGETS[queue]
    backlog = queued + running
    if backlog == 0:
        return target.min_workers
    job_s = mean_job_s if mean_job_s and mean_job_s > 0 else target.default_job_s
    needed = math.ceil(backlog * job_s / (target.target_wait_s * target.slots_per_worker))
    return max(target.min_workers, min(target.max_workers, max(needed, 1)))


@dataclass(frozen=True)
class QueueLoad:
    """One queue as `jobs stats`, `/metrics` and the autoscaler see it."""

    queue: JobQueue
    queued: int
    running: int
    oldest_queued_s: float
    mean_job_s: float | None
    workers: int
    """`desired_workers` for this load."""


def queue_loads(system: SystemJobs, now: datetime) -> list[QueueLoad]:
    """Every queue's load, read from the job table (the truth, whatever Redis holds)."""
    counts: dict[tuple[JobQueue, str], int] = {}
    oldest: dict[JobQueue, float] = {}
    for row in system.queue_stats():
        counts[(row.queue, row.status.value)] = row.jobs
        if row.status.value == "queued" and row.oldest is not None:
            started = row.oldest if row.oldest.tzinfo else row.oldest.replace(tzinfo=now.tzinfo)
            oldest[row.queue] = max(0.0, (now - started).total_seconds())
    run_times = system.run_times(since=now - MEAN_WINDOW)
    loads = []
    for queue in JobQueue:
        queued, running = counts.get((queue, "queued"), 0), counts.get((queue, "running"), 0)
        mean = run_times.get(queue, (0, 0.0))[1] or None
        workers = desired_workers(queue, queued=queued, running=running, mean_job_s=mean)
        loads.append(QueueLoad(queue, queued, running, oldest.get(queue, 0.0), mean, workers))
    return loads
