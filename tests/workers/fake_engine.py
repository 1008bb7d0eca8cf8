"""A stand-in render engine with the real one's signature, steered by environment variables.

FAKE_ENGINE_GATE: a path; the render waits (cancellable) until that file exists.
FAKE_ENGINE_LOG: a path; one line per render started (its pid), to count executions.
FAKE_ENGINE_MODE: "user_error" | "fail_once" | "ffmpeg" (runs a long real FFmpeg until cancelled).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reelestate.core.errors import InvalidSpecError, RenderError
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec


def _write(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def render_video(
    spec: RenderSpec,
    out_dir: Path,
    *,
    on_progress: Callable[[RenderProgress], None] | None = None,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
) -> RenderResult:
    del cache_dir
    cancel = cancel or CancelToken()
    mode = os.environ.get("FAKE_ENGINE_MODE", "")
    log = os.environ.get("FAKE_ENGINE_LOG")
    if log:
        with Path(log).open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {spec.profile}\n")
    for scene in spec.scenes:
        assert scene.photo.is_file(), scene.photo
    if spec.music is not None and spec.music.path is not None:
        assert spec.music.path.is_file(), spec.music.path
    if mode == "user_error":
        raise InvalidSpecError("Scene 1 has no photo we can use.")
    if mode == "fail_once":
        marker = out_dir.parents[2] / "failed-once"
        if not marker.exists():
            marker.write_text("x")
            raise RenderError("The encoder crashed.")
    if on_progress:
        on_progress(RenderProgress(stage="frames", percent=10.0, frames_done=3, frames_total=30))
    if mode == "ffmpeg":
        # The output folder (it holds the job id) marks this FFmpeg in the process table.
        run_ffmpeg(
            ["-hide_banner", "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10",
             "-t", "600", "-metadata", f"comment={out_dir}", "-f", "null", "-"],
            cancel=cancel,
        )  # fmt: skip
    gate = os.environ.get("FAKE_ENGINE_GATE")
    while gate and not Path(gate).exists():
        cancel.raise_if_cancelled()
        time.sleep(0.02)
    if on_progress:
        on_progress(RenderProgress(stage="frames", percent=90.0, frames_done=27, frames_total=30))
    out_dir.mkdir(parents=True, exist_ok=True)
    return RenderResult(
        video=_write(out_dir / "video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100),
        subtitles=_write(out_dir / "video.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHello\n"),
        thumbnail=_write(out_dir / "thumbnail.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
        contact_sheet=_write(out_dir / "contact-sheet.jpg", b"\xff\xd8\xff\xe1" + b"\x00" * 100),
        duration=1.0,
        width=540,
        height=960,
        fps=24,
        loudness_lufs=-14.0,
    )


def crash(spec: RenderSpec, out_dir: Path, **_: Any) -> RenderResult:
    """An engine whose process dies without a word (as under the OOM killer)."""
    del spec, out_dir
    os._exit(9)
