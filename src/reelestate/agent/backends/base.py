"""Where renders run: one small interface, so the in-process engine and a job queue swap freely.

The conversation only asks "render this spec into that folder and tell me how it goes"; the
in-process backend runs the engine in a worker thread of this process. A queue-backed backend
submits the same request as a job and relays the job's progress events.

A render in progress can be stopped from outside its turn (`RunningRenders.cancel`): its
backend task is cancelled, which stops FFmpeg or cancels the job, and the turn sees a
`RenderCancelledError` it can answer calmly.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from reelestate.agent.owner import RenderOwner
from reelestate.agent.state import RenderKind
from reelestate.core.errors import RenderCancelledError
from reelestate.core.settings import Settings
from reelestate.render.ai_clips import without_ai_motion
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.present import with_presenter
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec
from reelestate.services.credits import CreditQuote
from reelestate.tools.ai_motion import generate_ai_clips, outcome_notes

ProgressSink = Callable[[RenderProgress], None]
"""Called with each progress event; may be called from another thread."""


class RenderRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    job_id: str
    kind: RenderKind
    spec: RenderSpec
    out_dir: Path
    storyboard_version_id: uuid.UUID | None = None
    """The stored storyboard version the spec was made from (None: not stored)."""
    owner: RenderOwner | None = None
    """Whose render it is (None: the backend's own default, e.g. the command line's)."""


class RenderBackend(Protocol):
    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        """Render `request` for its owner, reporting progress to `on_progress`."""
        ...


@runtime_checkable
class BilledRenderBackend(Protocol):
    """A backend whose renders cost credits: it can say what the balance allows first."""

    async def quote(self, owner: RenderOwner | None, price: int) -> CreditQuote:
        """`price` credits against the owner's balance (with a Checkout link when short)."""
        ...


class InProcessRenderBackend:
    """Runs the render engine in a worker thread; cancelling the caller stops FFmpeg.

    `settings` give the render cache and, for finals, the video provider of the AI clips.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _run(
        self,
        request: RenderRequest,
        on_progress: ProgressSink,
        cancel: CancelToken,
        notes: list[str],
    ) -> RenderResult:
        from reelestate.render.engine import render_video  # noqa: PLC0415 - heavy, load on first render

        result = render_video(
            request.spec,
            request.out_dir,
            on_progress=on_progress,
            cancel=cancel,
            cache_dir=self._settings.cache_dir,
        )
        if request.spec.presenter is not None:
            on_progress(RenderProgress(stage="probe", percent=100.0, message="presenter"))
            cancel.raise_if_cancelled()
            result, _ = with_presenter(
                result, request.spec, self._settings, self._settings.cache_dir / "presenter-work"
            )
        return result.model_copy(update={"notes": (*notes, *result.notes)})

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        """Everything renders on this machine, for nobody in particular: the owner is not needed."""
        cancel = CancelToken()
        notes: list[str] = []
        if request.kind == "preview":
            request = request.model_copy(update={"spec": without_ai_motion(request.spec)})
        else:
            spec, outcomes = await generate_ai_clips(request.spec, self._settings)
            request = request.model_copy(update={"spec": spec})
            notes = outcome_notes(outcomes)
        try:
            return await asyncio.to_thread(self._run, request, on_progress, cancel, notes)
        except asyncio.CancelledError:
            cancel.cancel()
            raise


class RunningRenders:
    """The render each conversation has in progress, so another task can stop it."""

    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Future[Any]] = {}

    @contextmanager
    def track(self, thread_id: str, task: asyncio.Future[Any]) -> Iterator[None]:
        self._tasks[thread_id] = task
        try:
            yield
        finally:
            if self._tasks.get(thread_id) is task:
                del self._tasks[thread_id]

    def running(self, thread_id: str) -> bool:
        task = self._tasks.get(thread_id)
        return task is not None and not task.done()

    def cancel(self, thread_id: str) -> bool:
        """Stop the conversation's render; False when none is in progress."""
        task = self._tasks.get(thread_id)
        if task is None or task.done():
            return False
        return task.cancel()


async def render_with_progress(
    backend: RenderBackend,
    request: RenderRequest,
    emit: Callable[[RenderProgress], None],
    *,
    min_step: float = 2.0,
    renders: RunningRenders | None = None,
    thread_id: str = "",
) -> RenderResult:
    """Run `request`, passing progress to `emit` on this event loop (at most every `min_step` %).

    With `renders`, the render can be stopped by `renders.cancel(thread_id)`; it then raises
    `RenderCancelledError`.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[RenderProgress] = asyncio.Queue()
    last: tuple[str, float] = ("", -100.0)

    def sink(progress: RenderProgress) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, progress)

    def forward(progress: RenderProgress) -> None:
        nonlocal last
        if progress.stage != last[0] or progress.percent - last[1] >= min_step:
            last = (progress.stage, progress.percent)
            emit(progress)

    task = asyncio.ensure_future(backend.render(request, sink))
    try:
        with renders.track(thread_id, task) if renders is not None else nullcontext():
            while not task.done():
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    forward(getter.result())
                else:
                    getter.cancel()
    finally:
        if not task.done():
            task.cancel()
    while not queue.empty():
        forward(queue.get_nowait())
    if task.cancelled():
        raise RenderCancelledError("The render was cancelled.")
    return task.result()
