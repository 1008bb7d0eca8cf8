"""Final renders go to the GPU queue only where the operator says GPU workers encode them."""

from __future__ import annotations

from reelestate.core.jobs import JobKind, JobQueue
from reelestate.core.settings import Settings, usable_cores
from reelestate.workers.kinds import queue_for


def test_final_renders_follow_the_render_queue_setting_and_previews_stay_on_cpu() -> None:
    assert queue_for(JobKind.RENDER_VIDEO) == JobQueue.CPU
    assert queue_for(JobKind.RENDER_VIDEO, "gpu") == JobQueue.GPU
    assert queue_for(JobKind.RENDER_PREVIEW, "gpu") == JobQueue.CPU
    assert queue_for(JobKind.GENERATE_CLIP, "cpu") == JobQueue.GPU


def test_cpu_concurrency_defaults_to_the_usable_cores() -> None:
    settings = Settings()
    assert settings.cpu_concurrency == usable_cores() >= 1
    assert settings.render_queue == "cpu"
