"""Blocking use cases run in a worker thread, keeping their name, arguments and result."""

from __future__ import annotations

import threading

from reelestate.core.blocking import in_worker_thread


@in_worker_thread
def _where(label: str, *, times: int) -> tuple[str, int]:
    """Which thread ran the call."""
    return label * times, threading.get_ident()


async def test_the_call_runs_off_the_event_loop_thread_and_keeps_its_result() -> None:
    text, thread = await _where("ab", times=2)
    assert text == "abab"
    assert thread != threading.get_ident()
    assert _where.__name__ == "_where" and _where.__doc__ == "Which thread ran the call."
