from __future__ import annotations

from typing import get_args

from reelestate.core.jobs import (
    ENGINE_STAGES,
    EngineStage,
    JobStage,
    JobStatus,
    Stage,
    job_stage_of,
)
from reelestate.storage import models


def test_storage_names_the_core_job_enums() -> None:
    assert models.JobStatus is JobStatus and models.JobKind.__module__ == "reelestate.core.jobs"
    assert JobStatus("cancelled").terminal and not JobStatus.RUNNING.terminal


def test_one_stage_vocabulary_covers_the_engine_and_the_job() -> None:
    assert set(get_args(Stage)) == set(get_args(EngineStage)) | set(get_args(JobStage))
    assert set(get_args(EngineStage)) == ENGINE_STAGES


def test_engine_stages_are_the_jobs_render_stage() -> None:
    assert job_stage_of("frames") == ("render", "frames")
    assert job_stage_of("done") == ("render", "done")
    assert job_stage_of("fetch") == ("fetch", None)
    assert job_stage_of("render") == ("render", None)
    assert job_stage_of("ai_clips") == ("ai_clips", None)
