"""Ken Burns smoothness: how far each frame's measured motion strays from the planned path.

A textured test image is panned; the shift between consecutive frames is measured by phase
correlation and compared with the ideal constant step. Our warp is measured on the frames it
produces; FFmpeg's zoompan on its decoded output, panned the same way.
"""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import cv2
import numpy as np

from reelestate.render.camera import CameraPath, Window
from reelestate.render.colour import rgb_to_yuv420
from reelestate.render.ffmpeg import find_tools
from reelestate.render.frames import FrameBuffer, render_shot_frame
from reelestate.render.shot_source import ShotSource

W, H, FRAMES = 540, 960, 90


def _texture(width: int, height: int) -> np.ndarray:  # type: ignore[type-arg]
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (height // 4, width // 4, 3), dtype=np.uint8)
    return cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)


def _residuals(frames: list[np.ndarray], ideal_step: float) -> np.ndarray:  # type: ignore[type-arg]
    steps = []
    window = cv2.createHanningWindow((W, H), cv2.CV_32F)
    for a, b in itertools.pairwise(frames):
        (dx, _dy), _ = cv2.phaseCorrelate(a.astype(np.float32), b.astype(np.float32), window)
        steps.append(dx)
    return np.abs(np.array(steps) - ideal_step)


def ours() -> np.ndarray:  # type: ignore[type-arg]
    """Linear pan over a texture 1.6 frames wide and tall, one source pixel per output pixel."""
    texture = _texture(round(W * 1.6), round(H * 1.6))
    y, u, v = rgb_to_yuv420(texture)
    cy = texture.shape[0] / 2
    start, end = Window(W / 2, cy, W), Window(texture.shape[1] - W / 2, cy, W)
    source = ShotSource(y=y, u=u, v=v, path=CameraPath(start, end, "linear", W / H), layout="fill")
    frame = FrameBuffer(W, H)
    frames = []
    for i in range(FRAMES):
        render_shot_frame(source, i / (FRAMES - 1), frame)
        frames.append(frame.y.copy())
    ideal = -(end.cx - start.cx) / (FRAMES - 1)
    return _residuals(frames, ideal)


def zoompan(work: Path) -> np.ndarray:  # type: ignore[type-arg]
    """The same pan by zoompan on a 2x prescaled copy, the way zoompan scripts do it."""
    texture = _texture(round(W * 1.6), round(H * 1.6))
    src = work / "texture.png"
    cv2.imwrite(str(src), cv2.cvtColor(texture, cv2.COLOR_RGB2BGR))
    zoom = texture.shape[1] / W
    graph = (
        f"scale=iw*2:ih*2,zoompan=z={zoom}:x='(iw-iw/zoom)*on/{FRAMES - 1}':y='(ih-ih/zoom)/2'"
        f":d={FRAMES}:s={W}x{H}:fps=30,format=gray"
    )
    raw = subprocess.run(
        [
            find_tools().ffmpeg,
            "-loglevel",
            "error",
            "-i",
            str(src),
            "-vf",
            graph,
            "-f",
            "rawvideo",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    size = W * H
    frames = [
        np.frombuffer(raw, np.uint8, size, i * size).reshape(H, W) for i in range(len(raw) // size)
    ]
    ideal = -(texture.shape[1] - W) / (FRAMES - 1)
    return _residuals(frames, ideal)
