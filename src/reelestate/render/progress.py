"""Render progress as plain events any channel can show."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from reelestate.core.jobs import EngineStage, Stage

__all__ = [
    "STAGE_SPAN",
    "EngineStage",
    "ProgressHandler",
    "ProgressReporter",
    "RenderProgress",
    "Stage",
    "progress_event",
]

STAGE_SPAN: dict[str, tuple[float, float]] = {
    "prepare": (0.0, 2.0),
    "voice": (2.0, 5.0),
    "music": (5.0, 6.0),
    "audio": (6.0, 9.0),
    "frames": (9.0, 95.0),
    "mux": (95.0, 97.0),
    "probe": (97.0, 100.0),
    "done": (100.0, 100.0),
}


class RenderProgress(BaseModel):
    """How far a render is, the same at every hop: the engine, the render process, the job's
    events and the conversation. `stage` is the engine's while it runs, the job's around it."""

    stage: Stage
    percent: float
    frames_done: int = 0
    frames_total: int = 0
    message: str = ""


ProgressHandler = Callable[[RenderProgress], None]


def progress_event(
    stage: EngineStage,
    fraction: float = 0.0,
    *,
    frames_done: int = 0,
    frames_total: int = 0,
    message: str = "",
) -> RenderProgress:
    lo, hi = STAGE_SPAN[stage]
    return RenderProgress(
        stage=stage,
        percent=round(lo + (hi - lo) * min(1.0, max(0.0, fraction)), 2),
        frames_done=frames_done,
        frames_total=frames_total,
        message=message,
    )


class ProgressReporter:
    """Turns stage changes and frame counts into `RenderProgress` events."""

    def __init__(self, handler: ProgressHandler | None, total_frames: int) -> None:
        self.handler = handler
        self.total = total_frames
        self.done = 0

    def stage(self, stage: EngineStage, fraction: float = 0.0, message: str = "") -> None:
        if self.handler is not None:
            self.handler(
                progress_event(
                    stage, fraction, frames_done=self.done, frames_total=self.total, message=message
                )
            )

    def frames(self, count: int = 1) -> None:
        self.done += count
        if self.handler is not None and (self.done % 5 == 0 or self.done == self.total):
            self.stage("frames", self.done / max(1, self.total))
