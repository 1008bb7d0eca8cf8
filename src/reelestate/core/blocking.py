"""Blocking work (database queries, photo analysis, speech synthesis) kept off the event loop.

A use case written as a plain function is easy to test and to call from a worker; decorated
with `in_worker_thread`, async callers await it and the event loop keeps serving while it runs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def in_worker_thread(fn: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`fn` as a coroutine function that runs it in a worker thread."""

    @functools.wraps(fn)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return await asyncio.to_thread(fn, *args, **kwargs)

    return run
