"""The handler of a job kind the product lists but does not run yet: it fails plainly."""

from __future__ import annotations

from typing import Any

from reelestate.core.errors import FeatureUnavailableError
from reelestate.workers.execute import Handler, JobRun


def not_available(feature: str) -> Handler:
    def handler(run: JobRun) -> dict[str, Any]:
        raise FeatureUnavailableError(
            f"{feature} is not available yet.", hint="Render the video without it for now."
        )

    return handler
