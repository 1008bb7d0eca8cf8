"""Queue gauges for `/metrics`, read from the job table when Prometheus scrapes.

Every process (the web app, each worker) exports the same numbers, so any one scrape target
will do for dashboards and for KEDA's Prometheus trigger. `reelestate_queue_desired_workers`
is the autoscaling rule of `workers.scaling` applied to the current load: the KEDA triggers in
`deploy/kubernetes` read it with a threshold of 1, so the rule lives in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from reelestate.core.errors import ReelEstateError
from reelestate.core.metrics import REGISTRY
from reelestate.storage.repositories.system import SystemJobs
from reelestate.workers.scaling import queue_loads

log = logging.getLogger(__name__)


class QueueCollector(Collector):
    """Queued and running jobs, the oldest queued job's age and the workers wanted, per queue."""

    def __init__(self, system: SystemJobs) -> None:
        self._system = system

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            loads = queue_loads(self._system, datetime.now(UTC))
        except (ReelEstateError, OSError) as exc:
            # A database that does not answer leaves the gauges out of this scrape (Prometheus
            # marks them stale) rather than reporting an empty queue.
            log.warning("queue metrics unavailable: %s", exc)
            return
        jobs = GaugeMetricFamily(
            "reelestate_queue_jobs", "Jobs in the queue by state (queued, running).",
            labels=["queue", "state"],
        )  # fmt: skip
        oldest = GaugeMetricFamily(
            "reelestate_queue_oldest_job_age_seconds",
            "Age of the oldest queued job (0 when none waits).",
            labels=["queue"],
        )
        desired = GaugeMetricFamily(
            "reelestate_queue_desired_workers",
            "Workers the scaling rule asks for at this load (workers.scaling).",
            labels=["queue"],
        )
        for load in loads:
            jobs.add_metric([load.queue.value, "queued"], load.queued)
            jobs.add_metric([load.queue.value, "running"], load.running)
            oldest.add_metric([load.queue.value], load.oldest_queued_s)
            desired.add_metric([load.queue.value], load.workers)
        yield jobs
        yield oldest
        yield desired


_registered: list[QueueCollector] = []


def register_queue_metrics(system: SystemJobs) -> QueueCollector:
    """Export this process's queue gauges (once; a later call points them at `system`)."""
    if _registered:
        _registered[0]._system = system
        return _registered[0]
    collector = QueueCollector(system)
    REGISTRY.register(collector)
    _registered.append(collector)
    return collector
