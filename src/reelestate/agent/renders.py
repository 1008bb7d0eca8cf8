"""Rendering the conversation's current storyboard version, preview or final.

The version becomes a render spec with the conversation's music choice and its narration
spoken in a worker thread; the render backend runs it, and its progress goes to the
conversation as it comes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from reelestate.agent.backends.base import RenderRequest, render_with_progress
from reelestate.agent.context import ToolContext
from reelestate.agent.events import JobProgress
from reelestate.agent.state import (
    JobRecord,
    RenderKind,
    listing_of,
    presenter_of,
    script_of,
    storyboard_ref,
)
from reelestate.core.errors import InvalidInputError, RenderCancelledError
from reelestate.core.jobs import JobStatus
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import PresenterSpec, Profile, RenderSpec
from reelestate.services import storyboard_flow as flow
from reelestate.tools.storyboard import StoryboardHistory


async def need_history(ctx: ToolContext) -> StoryboardHistory:
    """The conversation's storyboard, or a plain answer that there is none yet."""
    history = await ctx.board.history(ctx.state)
    if history is None:
        raise InvalidInputError(
            "There is no storyboard yet.",
            hint="Send the photos and the listing facts first; the storyboard follows.",
        )
    return history


async def render_spec_for(
    ctx: ToolContext, profile: Profile
) -> tuple[StoryboardHistory, RenderSpec]:
    """The engine's input for the current version, with the conversation's music choice and
    the narration spoken (in a worker thread)."""
    history = await need_history(ctx)
    script = script_of(ctx.state)
    if script is None:
        raise InvalidInputError("There is no script yet.", hint="Send the listing facts first.")
    spec = flow.render_spec(
        history.current,
        listing_of(ctx.state),
        script,
        profile=profile,
        brand=ctx.deps.brand,
        music_on=ctx.state.get("music_on") is not False,
    )
    return history, await flow.spoken(spec, cache_dir=ctx.deps.limits.cache_dir)


async def run_render(
    ctx: ToolContext, kind: RenderKind, profile: Profile
) -> tuple[JobRecord, RenderResult]:
    """Render the current version, emitting progress; returns the job and its result."""
    history, spec = await render_spec_for(ctx, profile)
    presenter = presenter_of(ctx.state)
    if kind == "final" and presenter is not None:
        # Finals only: a lip-synced presenter costs money; the preview shows the listing.
        spec = spec.model_copy(
            update={
                "presenter": PresenterSpec(
                    photo=Path(presenter.photo),
                    provider=presenter.provider,
                    layout=presenter.layout,
                )
            }
        )
    number = history.current.number
    job = JobRecord(id=f"{kind}-v{number}-{uuid.uuid4().hex[:8]}", kind=kind, version=number)
    out_dir = ctx.folder / ("previews" if kind == "preview" else "final") / job.id

    last = [0.0]

    def on_progress(progress: RenderProgress) -> None:
        last[0] = progress.percent
        ctx.emit(JobProgress.of(job.id, job.kind, progress))

    stored = storyboard_ref(ctx.state)
    request = RenderRequest(
        job_id=job.id,
        kind=job.kind,
        spec=spec,
        out_dir=out_dir,
        # A render billed to another organisation than the storyboard's gets a project there.
        storyboard_version_id=(
            stored.storyboard_version_id if stored and ctx.board.at_home(ctx.state) else None
        ),
        owner=ctx.owner,
    )
    try:
        result = await render_with_progress(
            ctx.deps.renderer,
            request,
            on_progress,
            renders=ctx.deps.renders,
            thread_id=ctx.thread_id,
        )
    except RenderCancelledError:
        # The progress shown for this render ends here.
        ended = RenderProgress(stage="cancelled", percent=last[0])
        ctx.emit(JobProgress.of(job.id, job.kind, ended))
        raise
    job = JobRecord(
        id=job.id,
        kind=job.kind,
        version=job.version,
        status=JobStatus.SUCCEEDED,
        stage="done",
        percent=100.0,
        # The saved conversation keeps the files and facts, not the narration's word timings.
        result=result.model_copy(update={"narration": None}),
    )
    return job, result
