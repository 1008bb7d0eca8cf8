"""The frame loop's shortcuts draw exactly the frames of the plain way: warp, then every overlay."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from reelestate.render.engine import check_inputs
from reelestate.render.fonts import FONTS_DIR
from reelestate.render.frames import FrameBuffer
from reelestate.render.opencv_threads import single_threaded_opencv
from reelestate.render.overlays import blend_overlay
from reelestate.render.segments import (
    SegmentRenderer,
    ShotJob,
    SourceLoader,
    _Buffers,
    _layers,
    draw_frame,
)
from reelestate.render.shot_text import paged_shots, shot_overlays
from reelestate.render.spec import parse_spec
from reelestate.render.timeline import build_timeline


class _Frames:
    """Stands in for the encoder's pipe: keeps a copy of each frame lent."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def lend(self, data: memoryview) -> None:
        self.frames.append(bytes(data))


def test_framed_shots_with_settled_text_and_a_resting_camera_match_the_plain_frames(
    tmp_path: Path,
) -> None:
    photos = []
    rng = np.random.default_rng(3)
    for i in range(2):
        path = tmp_path / f"{i}.jpg"
        Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)).save(path)
        photos.append(path)
    spec = parse_spec(
        {
            "profile": "preview",
            "scenes": [
                {"photo": str(photos[0]), "duration": 2.0, "motion": {"kind": "zoom_in"}},
                {"photo": str(photos[1]), "duration": 2.0, "motion": {"kind": "static"}},
            ],
            "music": None,
            "facts": {"price": 529000, "beds": 3, "baths": 2, "address": "12 Oak St, Paso"},
            "brand": {"name": "Harbor & Pine", "intro_card": False, "outro_card": False},
        }
    )
    timeline = build_timeline(spec)
    paged = paged_shots(spec, timeline, check_inputs(spec))
    overlays = shot_overlays(spec, timeline, paged)
    assert paged == {0, 1}
    w, h = spec.size
    loader = SourceLoader(spec, (w, h))
    renderer = SegmentRenderer(spec=spec, sources=loader, fonts_dir=FONTS_DIR, cancel=None)
    buffers = _Buffers(w, h, slots=3)
    shots = timeline.shots
    jobs = [
        ShotJob(shots[0], shots[1], overlays[0], overlays[1], tmp_path / "a.mp4"),
        ShotJob(shots[1], None, overlays[1], [], tmp_path / "b.mp4"),
    ]
    for job in jobs:
        pipe = _Frames()
        renderer._write_shot(pipe, job, buffers, lambda: None)  # type: ignore[arg-type]
        shot = job.shot
        assert len(pipe.frames) == shot.frames
        alone = shot.end_frame - shot.transition_frames
        for frame in range(shot.start_frame, alone):
            plain = FrameBuffer(w, h)
            draw_frame(loader.get(shot), shot, frame, plain)
            for overlay, opacity, dy in _layers(job, frame, spec.frame_rate, h, 0.0).values():
                blend_overlay(plain, overlay, opacity, dy=dy)
            assert pipe.frames[frame - shot.start_frame] == plain.data.tobytes(), frame
    loader.close()


def test_opencv_runs_on_one_thread_while_renders_overlap_and_gets_its_pool_back() -> None:
    before = cv2.getNumThreads()
    with single_threaded_opencv():
        assert cv2.getNumThreads() == 1
        with single_threaded_opencv():
            assert cv2.getNumThreads() == 1
        assert cv2.getNumThreads() == 1  # the other render is still drawing
    assert cv2.getNumThreads() == before
