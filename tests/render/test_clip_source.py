"""Generated clips as scene sources: conformed to the frame, retimed, decoded in order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import InvalidSpecError
from reelestate.render.clip_source import (
    MAX_SLOWDOWN,
    ClipInfo,
    ClipSource,
    conform_filter,
    read_clip_info,
    retime_factor,
)
from reelestate.render.colour import yuv420_to_rgb
from reelestate.render.engine import render_video
from reelestate.render.frames import FrameBuffer
from reelestate.render.probe import inspect_video
from tests.render.helpers import frame_at, make_clip, small_spec


def test_retime_stretches_a_short_clip_up_to_the_limit_and_never_speeds_up() -> None:
    assert retime_factor(5.0, 4.0) == 1.0
    assert retime_factor(4.0, 5.0) == pytest.approx(1.25)
    assert retime_factor(2.0, 10.0) == MAX_SLOWDOWN


def test_conform_crops_a_landscape_clip_around_the_focal_point() -> None:
    info = ClipInfo(width=1280, height=720, duration=5.0, fps=24.0)
    left = conform_filter(info, out_w=360, out_h=640, fps=30, frames=120, focal=(0.0, 0.5))
    right = conform_filter(info, out_w=360, out_h=640, fps=30, frames=120, focal=(1.0, 0.5))
    # 1280x720 covers 360x640 at 1138x640: the crop slides from the left edge to the right.
    assert "scale=1138:640" in left and "crop=360:640:0:0" in left
    assert "crop=360:640:778:0" in right
    assert "setpts" not in left  # 5 s of clip for a 4 s scene: trimmed, not retimed
    assert "fps=30" in left and "out_color_matrix=bt709" in left


def test_a_short_clip_is_slowed_down(tmp_path: Path) -> None:
    info = ClipInfo(width=640, height=360, duration=2.0, fps=24.0)
    graph = conform_filter(info, out_w=320, out_h=180, fps=30, frames=75, focal=(0.5, 0.5))
    assert graph.startswith("setpts=1.250000*PTS")


def test_clip_source_gives_exact_frames_in_order_and_after_a_restart(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "c.mp4", size=(640, 360), fps=24, seconds=1.0)
    source = ClipSource(clip, out_w=180, out_h=320, fps=30, frames=40, focal=(0.5, 0.5))
    try:
        out = FrameBuffer(180, 320)
        first = []
        for i in range(5):
            source.read(i, out)
            first.append(out.data.copy())
        assert not np.array_equal(first[0], first[4])  # the test pattern moves
        source.read(2, out)  # backwards: the decoder restarts
        np.testing.assert_array_equal(out.data, first[2])
        source.read(39, out)  # 1 s clip stretched 1.5x fills 36 frames; the rest hold
        last = out.data.copy()
        source.read(38, out)
        source.read(39, out)
        np.testing.assert_array_equal(out.data, last)
    finally:
        source.close()


def test_a_red_clip_stays_red_through_the_bt709_conversion(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "red.mp4", size=(320, 240), seconds=1.0, source="color=c=red:")
    source = ClipSource(clip, out_w=160, out_h=160, fps=30, frames=10, focal=(0.5, 0.5))
    try:
        out = FrameBuffer(160, 160)
        source.read(3, out)
    finally:
        source.close()
    rgb = yuv420_to_rgb(*out.planes()).reshape(-1, 3).mean(axis=0)
    assert rgb[0] > 230 and rgb[1] < 25 and rgb[2] < 25


def test_a_corrupt_clip_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "ok.mp4", seconds=1.0)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    with pytest.raises(InvalidSpecError, match=r"broken\.mp4"):
        read_clip_info(broken)
    text = tmp_path / "text.mp4"
    text.write_text("not a video")
    with pytest.raises(InvalidSpecError, match="cannot be read"):
        read_clip_info(text)


def test_a_storyboard_mixing_a_clip_and_photo_motion_renders_and_probes(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "kling.mp4", size=(1280, 720), fps=24, seconds=1.5)
    spec = small_spec(profile="preview")
    scenes = [s.model_dump() for s in spec.scenes]
    scenes[1]["clip"] = str(clip)
    spec = small_spec(profile="preview", scenes=scenes)
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "cache")
    report = inspect_video(result.video)
    assert (report.width, report.height) == spec.size
    assert report.frames == result.frames
    # Mid-scene the frame comes from the clip (testsrc2's saturated bars), not the kitchen photo.
    frame = frame_at(result.video, 3.0).astype(np.int16)
    saturation = (frame.max(axis=2) - frame.min(axis=2)).mean()
    assert saturation > 60
    again = render_video(spec, tmp_path / "out2", cache_dir=tmp_path / "cache")
    assert again.segments_rendered == 0
