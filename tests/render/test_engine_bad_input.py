"""Bad input fails fast with a typed, specific error and leaves no output behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil
import pytest
from PIL import Image

from reelestate.core.errors import InvalidSpecError, PhotoError, RenderCancelledError
from reelestate.render.engine import render_video
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.progress import RenderProgress
from reelestate.render.spec import RenderSpec
from tests import photo_factory as pf
from tests.render.helpers import frame_at, parse_srt, small_spec


def _with_photo(photo: Path, **extra: object) -> RenderSpec:
    spec = small_spec(profile="preview", **extra)
    scenes = list(spec.scenes)
    scenes[1] = scenes[1].model_copy(update={"photo": photo})
    return spec.model_copy(update={"scenes": scenes})


def _outputs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (pf.corrupt_jpeg, "damaged or incomplete"),
        (pf.empty_file, "empty (0 bytes)"),
        (pf.tiny, "too small: 50x50"),
        (lambda d: d / "missing.jpg", "Photo not found: missing.jpg"),
    ],
)
def test_bad_photo_fails_before_rendering(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    events: list[RenderProgress] = []
    with pytest.raises(PhotoError) as info:
        render_video(
            _with_photo(make(tmp_path)),
            tmp_path / "out",
            cache_dir=tmp_path / "c",
            on_progress=events.append,
        )
    assert message in info.value.message
    assert {e.stage for e in events} == {"prepare"}
    assert _outputs(tmp_path / "out") == []


def test_every_bad_photo_is_reported_at_once(tmp_path: Path) -> None:
    spec = _with_photo(pf.corrupt_jpeg(tmp_path))
    scenes = list(spec.scenes)
    scenes[0] = scenes[0].model_copy(update={"photo": pf.tiny(tmp_path)})
    with pytest.raises(PhotoError, match="2 photos cannot be used") as info:
        render_video(
            spec.model_copy(update={"scenes": scenes}), tmp_path / "out", cache_dir=tmp_path / "c"
        )
    assert "corrupt.jpg" in info.value.message and "tiny.jpg" in info.value.message


@pytest.mark.parametrize("make", [pf.cmyk_jpeg, pf.png16, pf.rgba_png, pf.huge_jpeg])
def test_awkward_photos_render(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    spec = _with_photo(make(tmp_path))
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "c")
    assert _outputs(tmp_path / "out") == [
        "contact-sheet.jpg",
        "thumbnail.jpg",
        "video.mp4",
        "video.srt",
    ]
    assert result.frames == round(9.0 * spec.frame_rate)


def test_exif_rotated_photo_comes_out_upright(tmp_path: Path) -> None:
    rotated = pf.exif_rotated(tmp_path)
    upright = tmp_path / "upright.jpg"
    with Image.open(rotated) as img:
        img.rotate(-90, expand=True).save(upright, quality=95)
    one = {"brand": {"intro_card": False, "outro_card": False}, "narration": None, "music": None}
    a = render_video(_only(rotated, **one), tmp_path / "a", cache_dir=tmp_path / "c")
    b = render_video(_only(upright, **one), tmp_path / "b", cache_dir=tmp_path / "c")
    fa, fb = frame_at(a.video, 0.5).astype(int), frame_at(b.video, 0.5).astype(int)
    assert np.abs(fa - fb).mean() < 6
    sideways = frame_at(a.video, 0.5).astype(int)[:, ::-1]
    assert np.abs(sideways - fb).mean() > 10


def _only(photo: Path, **extra: object) -> RenderSpec:
    spec = small_spec(profile="preview", **extra)
    scene = spec.scenes[0].model_copy(
        update={
            "photo": photo,
            "motion": spec.scenes[0].motion.model_copy(update={"kind": "static"}),
            "overlay": "none",
            "caption": None,
        }
    )
    return spec.model_copy(update={"scenes": [scene]})


@pytest.mark.parametrize(
    "caption",
    ["{\\fs200}HUGE", "a }{ b \\N c", "Sala de estar 🏡 مرحبا שלום", "'; drawtext=text=pwned:"],
)
def test_hostile_and_unicode_captions_render_literally(tmp_path: Path, caption: str) -> None:
    narration = {"text": f"Welcome home. {caption}", "offset": 0.3}
    spec = small_spec(profile="preview", narration=narration)
    scenes = [s.model_copy(update={"caption": caption, "duration": 4.0}) for s in spec.scenes]
    result = render_video(
        spec.model_copy(update={"scenes": scenes}), tmp_path / "out", cache_dir=tmp_path / "c"
    )
    srt = parse_srt(result.subtitles.read_text(encoding="utf-8"))
    words = " ".join(t for _, _, t in srt)
    assert all(piece in words for piece in caption.split() if any(ch.isalnum() for ch in piece))
    # A working `\fs200` would fill the frame; the title row keeps its normal height.
    frame = frame_at(result.video, 1.0).astype(int)
    top = frame[int(frame.shape[0] * 0.10) : int(frame.shape[0] * 0.5)]
    bright_rows = int(((top.min(axis=2) > 235).sum(axis=1) > 3).sum())
    assert bright_rows < 120


def test_narration_longer_than_the_video_is_refused(tmp_path: Path) -> None:
    long_text = "This sentence keeps going for quite a while. " * 8
    with pytest.raises(InvalidSpecError, match="past the end") as info:
        render_video(
            small_spec(narration={"text": long_text}), tmp_path / "out", cache_dir=tmp_path / "c"
        )
    assert "longer" in (info.value.hint or "")
    assert _outputs(tmp_path / "out") == []


def test_cancel_stops_the_render_and_leaves_nothing(tmp_path: Path) -> None:
    token = CancelToken()

    def cancel_midway(event: RenderProgress) -> None:
        if event.stage == "frames" and event.frames_done >= 30:
            token.cancel()

    with pytest.raises(RenderCancelledError):
        render_video(
            small_spec(profile="preview"),
            tmp_path / "out",
            cache_dir=tmp_path / "c",
            on_progress=cancel_midway,
            cancel=token,
        )
    assert _outputs(tmp_path / "out") == []
    assert not list((tmp_path / "c" / "clips").glob("*.part"))


def _wait_for(
    predicate: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            _, err = proc.communicate()
            raise AssertionError(f"the render exited early: {err.decode()[-500:]}")
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_killed_ffmpeg_leaves_no_video(tmp_path: Path) -> None:
    storyboard = tmp_path / "sb.json"
    storyboard.write_text(small_spec().model_dump_json(), encoding="utf-8")
    env = {**os.environ, "REELESTATE_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reelestate.cli",
            "render",
            str(storyboard),
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    cache = tmp_path / "data" / "cache"
    _wait_for(lambda: any(cache.glob("render-*/run-*.mp4")), proc)
    encoders = [
        c for c in psutil.Process(proc.pid).children(recursive=True) if "ffmpeg" in c.name()
    ]
    assert encoders
    for enc in encoders:
        enc.send_signal(signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert b"FFmpeg" in stderr and b"Traceback" not in stderr
    assert not (tmp_path / "out" / "video.mp4").exists()
    assert list((tmp_path / "out").glob("*")) == []
    # Half-encoded clips stay in the render's scratch folder, which is removed: none is cached.
    assert list((cache / "clips").iterdir()) == []
    assert list(cache.glob("render-*")) == []
