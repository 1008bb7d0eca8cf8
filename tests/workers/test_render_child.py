from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reelestate.core.errors import (
    ConfigurationError,
    InvalidSpecError,
    RenderCancelledError,
    RenderError,
)
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import parse_spec
from reelestate.workers.render_child import load_engine, run_render_subprocess
from tests.workers.conftest import FAKE_ENGINE, PHOTO, EngineControl

SPEC = parse_spec({"scenes": [{"photo": str(PHOTO), "duration": 1.0}], "profile": "preview"})


def _run(
    tmp_path: Path, engine: str = FAKE_ENGINE, cancel: CancelToken | None = None
) -> RenderResult:
    seen: list[RenderProgress] = []
    result = run_render_subprocess(
        SPEC,
        tmp_path / "out",
        engine=engine,
        cache_dir=tmp_path / "cache",
        cancel=cancel or CancelToken(),
        on_progress=seen.append,
    )
    assert [p.percent for p in seen] == [10.0, 90.0]
    assert [(p.stage, p.frames_done, p.frames_total) for p in seen] == [
        ("frames", 3, 30), ("frames", 27, 30),
    ]  # fmt: skip
    return result


def test_the_child_renders_and_reports(tmp_path: Path, engine: EngineControl) -> None:
    result = _run(tmp_path)
    assert result.video.read_bytes()[4:8] == b"ftyp"
    assert (result.width, result.height, result.fps, result.loudness_lufs) == (540, 960, 24, -14.0)
    assert engine.renders() and not list(tmp_path.glob("*.spec.json"))


def test_engine_errors_keep_their_type(
    tmp_path: Path, engine: EngineControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    del engine
    monkeypatch.setenv("FAKE_ENGINE_MODE", "user_error")
    with pytest.raises(InvalidSpecError, match="Scene 1"):
        _run(tmp_path)
    with pytest.raises(ConfigurationError, match="cannot be loaded"):
        run_render_subprocess(
            SPEC, tmp_path / "o2", engine="reelestate.nowhere:render", cache_dir=tmp_path,
            cancel=CancelToken(),
        )  # fmt: skip
    with pytest.raises(ConfigurationError):
        load_engine("reelestate.render.spec:no_such_function")


def test_a_child_that_dies_is_a_retryable_render_error(
    tmp_path: Path, engine: EngineControl
) -> None:
    del engine
    with pytest.raises(RenderError, match="stopped unexpectedly"):
        run_render_subprocess(
            SPEC, tmp_path / "o", engine="tests.workers.fake_engine:crash",
            cache_dir=tmp_path, cancel=CancelToken(),
        )  # fmt: skip


def test_cancel_stops_the_child(tmp_path: Path, engine: EngineControl) -> None:
    engine.close_gate()
    cancel = CancelToken()
    timer = threading.Timer(0.5, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(RenderCancelledError):
            run_render_subprocess(
                SPEC, tmp_path / "o", engine=FAKE_ENGINE, cache_dir=tmp_path, cancel=cancel
            )
    finally:
        timer.cancel()
    assert not (tmp_path / "o" / "video.mp4").exists()
