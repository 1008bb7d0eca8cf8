"""What each job kind costs, which queue runs it, and how often it may be tried."""

from __future__ import annotations

from dataclasses import dataclass

from reelestate.core.jobs import JobKind, JobQueue


@dataclass(frozen=True)
class KindPolicy:
    queue: JobQueue
    credits: int
    """Reserved when the job is queued, captured on success, released otherwise."""


POLICIES: dict[JobKind, KindPolicy] = {
    JobKind.RENDER_VIDEO: KindPolicy(JobQueue.CPU, credits=10),
    JobKind.RENDER_PREVIEW: KindPolicy(JobQueue.CPU, credits=1),
    JobKind.RENDER_INFOGRAPHIC: KindPolicy(JobQueue.CPU, credits=2),
    JobKind.ANALYSE_PHOTOS: KindPolicy(JobQueue.CPU, credits=0),
    JobKind.GENERATE_AVATAR: KindPolicy(JobQueue.GPU, credits=20),
    JobKind.GENERATE_CLIP: KindPolicy(JobQueue.GPU, credits=5),
    # Remote calls that wait on Meta: beside the other remote jobs, free of charge.
    JobKind.PUBLISH_POST: KindPolicy(JobQueue.GPU, credits=0),
    JobKind.PULL_INSIGHTS: KindPolicy(JobQueue.GPU, credits=0),
}


def queue_for(kind: JobKind, render_queue: str = "cpu") -> JobQueue:
    """The queue a job of `kind` goes to; `render_queue="gpu"` sends final renders to the GPU
    workers, which encode with NVENC (previews stay on the CPU queue: short, and latency-bound)."""
    if kind == JobKind.RENDER_VIDEO and render_queue == "gpu":
        return JobQueue.GPU
    return POLICIES[kind].queue


ARQ_QUEUE_NAMES: dict[JobQueue, str] = {
    JobQueue.CPU: "reelestate:queue:cpu",
    JobQueue.GPU: "reelestate:queue:gpu",
}


def retry_delay(attempt: int, base_s: float) -> float:
    """Exponential backoff after failed attempt `attempt` (1, 2, ...), capped at ten minutes."""
    return float(min(base_s * 2 ** (attempt - 1), 600.0))
