from reelestate.storage.models import JobQueue
from reelestate.workers.scaling import TARGETS, desired_workers


def test_workers_follow_backlog_times_job_length_within_bounds() -> None:
    cpu = TARGETS[JobQueue.CPU]
    assert desired_workers(JobQueue.CPU, queued=0, running=0, mean_job_s=30) == cpu.min_workers
    # 10 jobs of 30 s, 60 s target, 2 slots per worker: 300 / 120 -> 3 workers.
    assert desired_workers(JobQueue.CPU, queued=8, running=2, mean_job_s=30) == 3
    # Twice the job length needs twice the workers.
    assert desired_workers(JobQueue.CPU, queued=8, running=2, mean_job_s=60) == 5
    assert desired_workers(JobQueue.CPU, queued=10_000, running=0, mean_job_s=60) == cpu.max_workers
    # No history yet: the queue's default job length is used.
    assert desired_workers(JobQueue.GPU, queued=1, running=0, mean_job_s=None) == 1
    assert desired_workers(JobQueue.GPU, queued=0, running=0, mean_job_s=None) == 0
