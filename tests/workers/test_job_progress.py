from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, cast

import pytest

from reelestate.core.jobs import JobKind
from reelestate.render.progress import RenderProgress
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.schemas import Lease
from reelestate.workers.execute import JobProgressWriter
from reelestate.workers.render_video import RESULT_FIELDS, render_result


class _Jobs:
    def __init__(self) -> None:
        self.written: list[tuple[Any, ...]] = []

    def progress(
        self,
        lease: Lease,
        stage: str,
        percent: float,
        message: str | None = None,
        *,
        render_stage: str | None = None,
    ) -> None:
        self.written.append((stage, percent, message, render_stage))


def _writer() -> tuple[JobProgressWriter, _Jobs]:
    jobs = _Jobs()
    lease = Lease(
        org_id=uuid.uuid4(), job_id=uuid.uuid4(), token=uuid.uuid4(), attempt=1,
        kind=JobKind.RENDER_VIDEO,
    )  # fmt: skip
    return JobProgressWriter(cast(JobsRepository, jobs), lease), jobs


def test_engine_stages_are_written_as_the_jobs_render_stage() -> None:
    write, jobs = _writer()
    write(RenderProgress(stage="fetch", percent=0.0))
    write(RenderProgress(stage="frames", percent=20.0, message="frames"))
    write(RenderProgress(stage="frames", percent=21.0))  # under 5 % and 2 s: skipped
    write(RenderProgress(stage="mux", percent=93.0, message="mux"))
    write(RenderProgress(stage="upload", percent=95.0))
    assert jobs.written == [
        ("fetch", 0.0, None, None),
        ("render", 20.0, "frames", "frames"),
        ("render", 93.0, "mux", "mux"),
        ("upload", 95.0, None, None),
    ]


def test_a_jobs_outputs_become_the_render_result(tmp_path: Path) -> None:
    files = {name: tmp_path / name for name in ("video", "subtitles", "thumbnail")}
    outputs = {
        "video": {"key": "k/video.mp4"}, "subtitles": {"key": "k/video.srt"},
        "thumbnail": {"key": "k/thumbnail.jpg"}, "duration": 12.5, "width": 1080,
        "height": 1920, "fps": 30, "loudness_lufs": -14.1, "ai_cost_usd": 0.0,
        "ai_clips": [
            {"scene": 1, "model": "m", "made_by": "ken_burns", "fallback_reason": "too slow"},
            {"scene": 2, "model": "m", "made_by": "ai"},
        ],
    }  # fmt: skip
    result = render_result(outputs, files)
    assert (result.video, result.subtitles, result.thumbnail) == tuple(files.values())
    assert result.model_dump(include=set(RESULT_FIELDS)) == {
        name: outputs[name] for name in RESULT_FIELDS
    }
    assert result.notes == ("Scene 2 kept photo motion: too slow",)
    with pytest.raises(KeyError):
        render_result(outputs, {"video": files["video"]})
