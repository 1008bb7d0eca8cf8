"""Building specs and reading rendered files back, for the engine's tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from reelestate.render.ffmpeg import find_tools
from reelestate.render.spec import RenderSpec, parse_spec
from tests.conftest import PHOTOS

HOUSE = PHOTOS / "house107"


def small_spec(**extra: object) -> RenderSpec:
    """Three photos, narration, music, an outro card: about 9 s."""
    data: dict[str, object] = {
        "aspect": "9:16",
        "scenes": [
            {
                "photo": str(HOUSE / "frontal.jpg"),
                "duration": 2.0,
                "motion": {"kind": "zoom_out"},
                "overlay": "lower_third",
                "caption": "Front",
            },
            {
                "photo": str(HOUSE / "kitchen.jpg"),
                "duration": 2.0,
                "motion": {"kind": "pan_right"},
                "caption": "Kitchen",
            },
            {
                "photo": str(HOUSE / "bedroom.jpg"),
                "duration": 2.0,
                "motion": {"kind": "zoom_in"},
                "transition": {"kind": "fade_black", "duration": 0.5},
            },
        ],
        "narration": {"text": "Three bedrooms and two baths. A bright kitchen.", "offset": 0.3},
        "music": {"mood": "warm"},
        "brand": {
            "name": "Harbor & Pine",
            "agent_name": "Dana",
            "agent_phone": "555-0142",
            "intro_card": False,
        },
        "facts": {
            "price": 529000,
            "beds": 3,
            "baths": 2,
            "area_sqft": 1826,
            "address": "12 Oak St",
        },
    }
    data.update(extra)
    return parse_spec(data)


def frame_at(video: Path, seconds: float) -> np.ndarray:  # type: ignore[type-arg]
    """The decoded RGB frame shown at `seconds`."""
    probe = (
        subprocess.run(
            [
                find_tools().ffprobe,
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=width,height",
                "-of",
                "csv=p=0",
                str(video),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .split(",")
    )
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(
        [
            find_tools().ffmpeg,
            "-loglevel",
            "error",
            "-ss",
            f"{seconds:.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w, 3)


def ffmpeg_filter_log(video: Path, graph: str) -> str:
    return subprocess.run(
        [
            find_tools().ffmpeg,
            "-hide_banner",
            "-i",
            str(video),
            "-vf",
            graph,
            "-an",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        m = re.match(r"(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)", lines[1])
        assert m, block
        g = [int(x) for x in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        cues.append((start, end, " ".join(lines[2:])))
    return cues


def make_clip(
    path: Path,
    *,
    size: tuple[int, int] = (640, 360),
    fps: int = 24,
    seconds: float = 2.0,
    source: str = "testsrc2",
) -> Path:
    """A real H.264 clip like an image-to-video model returns (its own size, rate, length)."""
    w, h = size
    sep = "" if source.endswith(":") else "="
    subprocess.run(
        [
            find_tools().ffmpeg,
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"{source}{sep}size={w}x{h}:rate={fps}:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path
