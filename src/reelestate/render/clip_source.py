"""Generated video clips as shot sources, conformed to the frame by FFmpeg as they are decoded.

A model returns a clip at its own size, frame rate and length (Kling: 5 s at 24 fps in
16:9; SVD: 25 frames at 1024x576). The scene needs exactly its own frames at the video's
size and rate, so one FFmpeg process decodes the clip and, in the same filter graph,
slows it down a little when it is too short (holding the last frame beyond that), crops it
around the focal point to the output aspect, converts it to BT.709 limited range like
every photo, and hands raw yuv420p frames over a pipe. A clip is read in order; asking for
an earlier frame (the previous shot's transition reads the first frames first) restarts
the decoder, which is cheap next to encoding.
"""

from __future__ import annotations

import contextlib
import math
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import IO

import numpy as np

from reelestate.core.errors import InvalidSpecError, OutputValidationError
from reelestate.render.ffmpeg import find_tools
from reelestate.render.frames import FrameBuffer
from reelestate.render.probe import ffprobe_json

MAX_SLOWDOWN = 1.5
"""The most a clip is slowed to fill its scene; slower looks like a stutter, so we hold instead."""
MIN_CLIP_SECONDS = 0.5


@dataclass(frozen=True)
class ClipInfo:
    width: int
    height: int
    duration: float
    fps: float


def read_clip_info(path: Path) -> ClipInfo:
    """Size, length and rate of a clip; `InvalidSpecError` when it has no usable video."""
    try:
        data = ffprobe_json(path)
    except OutputValidationError:
        raise InvalidSpecError(
            f"The clip {path.name} cannot be read as a video.",
            hint="Generate it again, or let the scene use photo motion.",
        ) from None
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "video"]
    if not streams:
        raise InvalidSpecError(f"The clip {path.name} has no video stream.")
    stream = streams[0]
    duration = _float(stream.get("duration")) or _float(data.get("format", {}).get("duration"))
    rate = stream.get("avg_frame_rate") or stream.get("r_frame_rate") or "0/1"
    fps = float(Fraction(rate)) if rate not in ("0/0", "") else 0.0
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if width < 16 or height < 16 or duration < MIN_CLIP_SECONDS or fps <= 0:
        raise InvalidSpecError(
            f"The clip {path.name} is not usable ({width}x{height}, {duration:.2f} s, "
            f"{fps:.2f} fps).",
            hint="Generate it again, or let the scene use photo motion.",
        )
    return ClipInfo(width=width, height=height, duration=duration, fps=fps)


def _float(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0


def _even(value: float) -> int:
    return max(2, math.ceil(value / 2) * 2)


def retime_factor(clip_seconds: float, needed_seconds: float) -> float:
    """How much to stretch the clip (1.0 = as made); never more than `MAX_SLOWDOWN`."""
    if clip_seconds >= needed_seconds:
        return 1.0
    return min(needed_seconds / clip_seconds, MAX_SLOWDOWN)


def conform_filter(
    info: ClipInfo,
    *,
    out_w: int,
    out_h: int,
    fps: int,
    frames: int,
    focal: tuple[float, float],
) -> str:
    """The FFmpeg filter graph that turns the clip into exactly the frames the scene shows."""
    needed = frames / fps
    factor = retime_factor(info.duration, needed)
    cover = max(out_w / info.width, out_h / info.height)
    scaled_w, scaled_h = _even(info.width * cover), _even(info.height * cover)
    x = min(max(round(focal[0] * scaled_w - out_w / 2), 0), scaled_w - out_w)
    y = min(max(round(focal[1] * scaled_h - out_h / 2), 0), scaled_h - out_h)
    steps = []
    if factor > 1.0:
        steps.append(f"setpts={factor:.6f}*PTS")
    steps += [
        f"fps={fps}",
        f"scale={scaled_w}:{scaled_h}:flags=lanczos:out_color_matrix=bt709:out_range=tv",
        f"crop={out_w}:{out_h}:{x}:{y}",
        "setsar=1",
        f"tpad=stop_mode=clone:stop_duration={needed + 1:.3f}",
        "format=yuv420p",
    ]
    return ",".join(steps)


def decode_args(
    clip: Path,
    info: ClipInfo,
    *,
    out_w: int,
    out_h: int,
    fps: int,
    frames: int,
    focal: tuple[float, float],
) -> list[str]:
    """ffmpeg arguments (without the binary) that write the scene's raw frames to stdout."""
    graph = conform_filter(info, out_w=out_w, out_h=out_h, fps=fps, frames=frames, focal=focal)
    return [
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-i",
        str(clip),
        "-an",
        "-vf",
        graph,
        "-frames:v",
        str(frames),
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "pipe:1",
    ]


class ClipSource:
    """A clip's conformed frames, read in order from a decoder process.

    `close()` must be called (the loader does) so no decoder outlives the render.
    """

    def __init__(
        self,
        clip: Path,
        *,
        out_w: int,
        out_h: int,
        fps: int,
        frames: int,
        focal: tuple[float, float],
    ) -> None:
        self.clip = clip
        self.frames = frames
        info = read_clip_info(clip)
        self._argv = [
            find_tools().ffmpeg,
            *decode_args(clip, info, out_w=out_w, out_h=out_h, fps=fps, frames=frames, focal=focal),
        ]
        self._frame = FrameBuffer(out_w, out_h)
        self._frame.fill_black()
        self._proc: subprocess.Popen[bytes] | None = None
        self._next = 0
        """Index of the frame the decoder hands over next."""
        self._ended = False

    def _start(self) -> None:
        self.close()
        self._proc = subprocess.Popen(
            self._argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._next = 0
        self._ended = False

    def _read_one(self) -> None:
        """Decode the next frame into the buffer; past the end, the last frame stays."""
        if self._ended:
            self._next += 1
            return
        assert self._proc is not None and self._proc.stdout is not None
        if not _read_exact(self._proc.stdout, self._frame.data.data):
            self._ended = True
            if self._next == 0:
                self.close()
                raise InvalidSpecError(
                    f"The clip {self.clip.name} could not be decoded.",
                    hint="Generate it again, or let the scene use photo motion.",
                )
        self._next += 1

    def read(self, index: int, out: FrameBuffer) -> None:
        """Write frame `index` (0 = the first frame the scene shows) into `out`."""
        index = min(max(index, 0), self.frames - 1)
        if self._proc is None or index < self._next - 1:
            self._start()
        while self._next <= index:
            self._read_one()
        np.copyto(out.data, self._frame.data)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            with contextlib.suppress(OSError):
                proc.stdout.close()


def _read_exact(stream: IO[bytes], view: memoryview) -> bool:
    """Fill `view` from `stream`; False when the stream ends first."""
    filled = 0
    while filled < len(view):
        got = stream.readinto(view[filled:])  # type: ignore[attr-defined]
        if not got:
            return False
        filled += got
    return True
