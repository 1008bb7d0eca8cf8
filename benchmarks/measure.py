"""Wall time and peak memory of a piece of work, counting every child process."""

from __future__ import annotations

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
    extra: dict[str, float] = field(default_factory=dict)


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
    start = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
        stop.set()
        thread.join()
        result.peak_rss_mb = max(peak[0], _tree_rss()) / 2**20


def timed(fn: Callable[[], object]) -> Measurement:
    with measured() as m:
        fn()
    return m
