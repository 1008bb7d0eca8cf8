"""Which function runs each job kind: one module per job the product runs."""

from __future__ import annotations

from reelestate.core.jobs import JobKind
from reelestate.workers.execute import Handler
from reelestate.workers.generate_avatar import generate_avatar_job
from reelestate.workers.generate_clip import generate_clip_job
from reelestate.workers.publish_post import publish_post_job
from reelestate.workers.pull_insights import pull_insights_job
from reelestate.workers.render_infographic import render_infographic_job
from reelestate.workers.render_video import render_video_job
from reelestate.workers.unavailable import not_available

HANDLERS: dict[str, Handler] = {
    JobKind.RENDER_VIDEO.value: render_video_job,
    JobKind.RENDER_PREVIEW.value: render_video_job,
    JobKind.GENERATE_CLIP.value: generate_clip_job,
    JobKind.RENDER_INFOGRAPHIC.value: render_infographic_job,
    JobKind.GENERATE_AVATAR.value: generate_avatar_job,
    JobKind.ANALYSE_PHOTOS.value: not_available("Photo analysis as a background job"),
    JobKind.PUBLISH_POST.value: publish_post_job,
    JobKind.PULL_INSIGHTS.value: pull_insights_job,
}
