from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from reelestate.agent.events import JobProgress, VideoReady, event_data, parse_event
from reelestate.agent.state import JobRecord, jobs_of, with_job
from reelestate.core.jobs import JobStatus
from reelestate.render.progress import RenderProgress, progress_event
from reelestate.render.result import RenderResult

RESULT = RenderResult(
    video=Path("/data/final/video.mp4"),
    subtitles=Path("/data/final/video.srt"),
    thumbnail=Path("/data/final/thumbnail.jpg"),
    duration=31.5,
    width=1080,
    height=1920,
    fps=30,
    notes=("Scene 2 kept photo motion: the provider was busy",),
)


def test_a_job_saved_with_flat_result_fields_still_loads() -> None:
    saved = {
        "id": "final-v2-1234abcd", "kind": "final", "version": 2, "status": "succeeded",
        "stage": "done", "percent": 100.0, "video": "/data/final/video.mp4",
        "subtitles": "/data/final/video.srt", "thumbnail": "/data/final/thumbnail.jpg",
        "duration": 31.5, "error": None,
    }  # fmt: skip
    [job] = jobs_of({"jobs": [saved]})
    assert job.status is JobStatus.SUCCEEDED and job.kind == "final"
    assert job.result is not None
    assert (job.result.video, job.result.subtitles, job.result.thumbnail) == (
        RESULT.video,
        RESULT.subtitles,
        RESULT.thumbnail,
    )
    assert job.result.duration == 31.5


def test_a_failed_job_saved_flat_has_no_result() -> None:
    saved = {
        "id": "final-v1", "kind": "final", "version": 1, "status": "failed", "stage": "",
        "percent": 0.0, "video": None, "subtitles": None, "thumbnail": None, "duration": None,
        "error": "The encoder crashed.",
    }  # fmt: skip
    job = JobRecord.model_validate(saved)
    assert job.result is None and job.error == "The encoder crashed."
    with pytest.raises(ValidationError):
        JobRecord.model_validate({**saved, "colour": "red"})


def test_a_job_keeps_its_result_and_its_status_as_text() -> None:
    job = JobRecord(id="j", kind="preview", version=1, status=JobStatus.SUCCEEDED, result=RESULT)
    [stored] = with_job({}, job)
    assert stored["status"] == "succeeded" and stored["result"]["video"] == "/data/final/video.mp4"
    assert jobs_of({"jobs": [stored]}) == [job]


def test_job_progress_carries_the_render_progress_fields() -> None:
    progress = progress_event("frames", 0.5, frames_done=12, frames_total=24)
    event = JobProgress.of("j", "final", progress)
    assert RenderProgress.model_validate(event.model_dump()) == progress
    assert set(RenderProgress.model_fields) <= set(JobProgress.model_fields)
    assert parse_event(event_data(event)) == event


def test_video_ready_carries_the_result() -> None:
    event = VideoReady(job_id="j", version=2, result=RESULT)
    again = parse_event(event_data(event))
    assert isinstance(again, VideoReady) and again.result == RESULT
    assert RESULT.resolved().video.is_absolute()
