"""The real render engine, held at its start while the file named by `HOLD_ENV` exists.

The wait watches the cancel token, so a test can act on a render in progress (cancel it, for
one) and then let renders run again by removing the file. Without the file it is the real
engine, untouched.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from reelestate.render.engine import render_video as real_render_video
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.progress import ProgressHandler, progress_event
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec

HOLD_ENV = "REELESTATE_TEST_RENDER_HOLD"


def render_video(
    spec: RenderSpec,
    out_dir: Path,
    *,
    on_progress: ProgressHandler | None = None,
    cancel: CancelToken | None = None,
    **options: Any,
) -> RenderResult:
    cancel = cancel or CancelToken()
    hold = os.environ.get(HOLD_ENV)
    if hold and Path(hold).exists():
        if on_progress is not None:
            on_progress(progress_event("prepare"))
        while Path(hold).exists():
            cancel.raise_if_cancelled()
            time.sleep(0.05)
    return real_render_video(spec, out_dir, on_progress=on_progress, cancel=cancel, **options)
