"""The embedded presenter: the agent's headshot in a circle, moving gently with the voice.

No service and no key: the photo is cropped around the face, breathes with a slow zoom and
sway, and a ring in the brand's accent colour swells with the narration's loudness. It is
not a lip-synced avatar (the mouth does not move), and `lip_synced=False` makes the chat and
the report say so. Frames are drawn with OpenCV and piped into FFmpeg with the narration.
"""

from __future__ import annotations

import asyncio
import math
import subprocess
from pathlib import Path

import cv2
import numpy as np

from reelestate.core.errors import ProviderError, RenderCancelledError
from reelestate.core.imaging import load_photo
from reelestate.core.media_tools import find_tools
from reelestate.core.presenter_names import AvatarProviderName
from reelestate.providers.avatar.base import (
    AvatarClip,
    AvatarRequest,
    CancelCheck,
)
from reelestate.providers.avatar.face import FaceBox, find_faces

FPS = 25
ENVELOPE_RATE = 8000
FACE_SPAN = 2.4
"""The crop's side in face widths: head, hair and shoulders."""


def loudness_envelope(audio: Path, fps: int, frames: int) -> np.ndarray:
    """The voice's loudness per video frame, 0 (silence) to 1 (its loudest), smoothed."""
    argv = [
        find_tools().ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
        "-i", str(audio), "-ac", "1", "-ar", str(ENVELOPE_RATE), "-f", "s16le", "pipe:1",
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, check=False, timeout=120)
    if done.returncode != 0:
        raise ProviderError("The narration could not be read for the portrait presenter.")
    samples = np.frombuffer(done.stdout, dtype=np.int16).astype(np.float32) / 32768.0
    per = ENVELOPE_RATE // fps
    count = min(frames, len(samples) // per)
    levels = np.zeros(frames, np.float32)
    if count:
        rms = np.sqrt((samples[: count * per].reshape(count, per) ** 2).mean(axis=1))
        levels[:count] = rms
    peak = float(levels.max()) or 1.0
    levels = np.clip(levels / peak, 0, 1)
    smoothed = np.copy(levels)
    for i in range(1, frames):  # fast attack, slow release: a ring that breathes, not flickers
        prev = smoothed[i - 1]
        smoothed[i] = levels[i] if levels[i] > prev else prev * 0.8 + levels[i] * 0.2
    return smoothed


def _crop_around(rgb: np.ndarray, face: FaceBox | None) -> np.ndarray:
    h, w = rgb.shape[:2]
    if face is None:
        side = min(w, h)
        cx, cy = w / 2, h / 2.4
    else:
        side = min(w, h, face.w * w * FACE_SPAN)
        cx, cy = face.centre[0] * w, (face.centre[1] + face.h * 0.18) * h
    x0 = int(min(max(cx - side / 2, 0), w - side))
    y0 = int(min(max(cy - side / 2, 0), h - side))
    return rgb[y0 : y0 + int(side), x0 : x0 + int(side)]


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_portrait(
    headshot: np.ndarray, size: int, index: int, level: float, accent: tuple[int, int, int]
) -> np.ndarray:
    """Frame `index`: the headshot zoomed and swayed a little, a ring as loud as `level`."""
    t = index / FPS
    zoom = 1.06 + 0.025 * math.sin(t * 0.9)
    dx = 0.012 * size * math.sin(t * 0.55)
    dy = 0.01 * size * math.sin(t * 0.7 + 1.0)
    src = headshot.shape[0]
    scale = size / src * zoom
    matrix = np.array(
        [[scale, 0, size / 2 - src * scale / 2 + dx], [0, scale, size / 2 - src * scale / 2 + dy]],
        np.float32,
    )
    frame = cv2.warpAffine(headshot, matrix, (size, size), borderMode=cv2.BORDER_REFLECT)
    thickness = max(2, round(size * (0.018 + 0.03 * level)))
    radius = size // 2 - thickness // 2 - 1
    cv2.circle(frame, (size // 2, size // 2), radius, accent, thickness, lineType=cv2.LINE_AA)
    return frame


class PortraitPresenter:
    """The embedded `AvatarGenerator`: always available, never lip-synced."""

    name: AvatarProviderName = "portrait"

    async def generate(
        self, request: AvatarRequest, out_dir: Path, *, should_cancel: CancelCheck | None = None
    ) -> AvatarClip:
        return await asyncio.to_thread(self._make, request, out_dir, should_cancel)

    def _make(
        self, request: AvatarRequest, out_dir: Path, should_cancel: CancelCheck | None
    ) -> AvatarClip:
        out_dir.mkdir(parents=True, exist_ok=True)
        photo = load_photo(request.photo, max_side=1280, min_short_side=64)
        faces = find_faces(photo.rgb)
        headshot = np.ascontiguousarray(_crop_around(photo.rgb, faces[0] if faces else None))
        size = request.size - request.size % 2
        frames = max(1, math.ceil(request.audio_seconds * FPS))
        levels = loudness_envelope(request.audio, FPS, frames)
        accent = _hex(request.accent)
        target = out_dir / "presenter-portrait.mp4"
        partial = out_dir / "presenter-portrait.part.mp4"
        argv = [
            find_tools().ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size}x{size}", "-framerate", str(FPS),
            "-i", "pipe:0", "-i", str(request.audio), "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-vf", "scale=out_color_matrix=bt709:out_range=tv",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart",
            "-f", "mp4", str(partial),
        ]  # fmt: skip
        proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert proc.stdin is not None
        try:
            for i in range(frames):
                if should_cancel is not None and should_cancel():
                    raise RenderCancelledError("The presenter clip was cancelled.")
                frame = draw_portrait(headshot, size, i, float(levels[i]), accent)
                proc.stdin.write(np.ascontiguousarray(frame).tobytes())
            proc.stdin.close()
            assert proc.stderr is not None
            err = proc.stderr.read()
            proc.wait(timeout=120)
            if proc.returncode != 0:
                raise ProviderError(
                    f"The portrait presenter could not be encoded: {err.decode()[-300:]}"
                )
            partial.replace(target)
        except BaseException:
            proc.kill()
            proc.wait()
            partial.unlink(missing_ok=True)
            raise
        finally:
            if proc.stderr is not None:
                proc.stderr.close()
        return AvatarClip(path=target, provider="portrait", lip_synced=False, generated=False)
