"""Render progress as plain events any channel can show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

Stage = Literal["prepare", "voice", "music", "audio", "frames", "mux", "probe", "done"]

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
    stage: Stage
    percent: float
    frames_done: int = 0
    frames_total: int = 0
    message: str = ""


ProgressHandler = Callable[[RenderProgress], None]


def progress_event(
    stage: Stage,
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
