"""OpenCV on one thread while frames are drawn: the encoder already has every core.

A frame's warp takes about a millisecond; OpenCV's pool splits it across the cores x264 is
encoding on, and the hand-offs cost more than they save (measured in `make bench`: about 0.4
CPU-seconds of a 30 s final on two cores). Renders may overlap in one process (the in-process
worker runs several), so the setting is counted: the first render in sets one thread, the last
one out puts back what it found.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import cv2

_lock = threading.Lock()
_inside = 0
_before = 0


@contextmanager
def single_threaded_opencv() -> Iterator[None]:
    global _inside, _before  # noqa: PLW0603 - one process-wide OpenCV setting, counted
    with _lock:
        if _inside == 0:
            _before = cv2.getNumThreads()
            cv2.setNumThreads(1)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                cv2.setNumThreads(_before)
