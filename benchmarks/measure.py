"""Wall time and peak memory of a piece of work, counting every child process."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psutil


@dataclass
class Measurement:
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of this process and the children it reaped meanwhile: steadier than wall time
    when other work shares the machine."""
    extra: dict[str, float] = field(default_factory=dict)


def cpu_seconds() -> float:
    """CPU seconds so far of this process and of the children it has reaped."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _tree_rss() -> int:
    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            continue
    return total


@contextmanager
def measured(interval: float = 0.05) -> Iterator[Measurement]:
    """Time the block and sample the summed RSS of this process and its children."""
    result = Measurement()
    stop = threading.Event()
    peak = [_tree_rss()]

    def sample() -> None:
        while not stop.wait(interval):
            peak[0] = max(peak[0], _tree_rss())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
        result.cpu_seconds = cpu_seconds() - cpu
        stop.set()
        thread.join()
        result.peak_rss_mb = max(peak[0], _tree_rss()) / 2**20


def timed(fn: Callable[[], object]) -> Measurement:
    with measured() as m:
        fn()
    return m
