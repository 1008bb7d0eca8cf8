"""A hard limit on how long a process may take to stop once it has been asked to.

Graceful shutdown waits for things (a request, a job handed back, a thread in a library) that
may never finish: a client that sent half an upload and went quiet, a database that stopped
answering. The orchestrator kills the process when its own timeout runs out, and a killed
process says nothing about what it abandoned. A deadline armed at the signal ends the process
itself, a little later than the grace, with a log line naming what was still running.
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)

EXIT_AFTER_DEADLINE = 70
"""The exit status of a process the deadline ended (EX_SOFTWARE: it did not stop by itself)."""
CLEAN_UP_S = 5.0
"""What the deadline allows beyond the grace for closing clients and handing jobs back."""


class ExitDeadline:
    """Ends the process `seconds` after `arm()` unless it has exited by then."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self._timer: threading.Timer | None = None

    @property
    def armed(self) -> bool:
        return self._timer is not None

    def arm(self) -> None:
        """Start counting (once; later calls keep the first start)."""
        if self._timer is not None:
            return
        timer = threading.Timer(self.seconds, self._expire)
        timer.daemon = True
        timer.name = "exit-deadline"
        timer.start()
        self._timer = timer

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        log.error(
            "%s did not stop within %.0f s of being asked to; ending it now",
            self.what,
            self.seconds,
        )
        logging.shutdown()
        os._exit(EXIT_AFTER_DEADLINE)
