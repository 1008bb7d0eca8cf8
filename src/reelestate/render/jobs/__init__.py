"""Render jobs: queues (arq on Redis, or in-process), workers, lifecycle, events, recovery.

This package may use storage; the render engine's own modules never do.
"""

from reelestate.render.jobs.arq_worker import ArqDispatcher, ArqJobWorker
from reelestate.render.jobs.events import EventBus, InProcessEventBus, RedisEventBus, follow_job
from reelestate.render.jobs.execute import JobEnv
from reelestate.render.jobs.inprocess import InProcessWorkerPool
from reelestate.render.jobs.service import JobsService, open_env, open_jobs_service

__all__ = [
    "ArqDispatcher",
    "ArqJobWorker",
    "EventBus",
    "InProcessEventBus",
    "InProcessWorkerPool",
    "JobEnv",
    "JobsService",
    "RedisEventBus",
    "follow_job",
    "open_env",
    "open_jobs_service",
]
