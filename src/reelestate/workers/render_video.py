"""What each job kind does. Render jobs: fetch assets, render in a child process, upload.

Outputs live at keys derived from the job id and its input hash, so a second run of a job that
already uploaded them (a duplicate delivery, a retry after a crash during the final write) finds
them and skips the render: one job, one set of outputs.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reelestate.core import metrics
from reelestate.core.errors import InvalidSpecError
from reelestate.core.jobs import JobKind
from reelestate.render.ai_clips import AiClipOutcome, ai_requests, without_ai_motion
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.storage.blobs import BlobInfo, blob_key
from reelestate.storage.repositories.content import StoryboardsRepository
from reelestate.tools.ai_motion import outcome_notes
from reelestate.workers.assets import fetch_spec_files
from reelestate.workers.execute import JobRun
from reelestate.workers.generate_clip import resolve_clips_by_jobs
from reelestate.workers.presenter_jobs import present_by_job
from reelestate.workers.render_child import run_render_subprocess

OUTPUT_FILES: dict[str, tuple[str, str]] = {
    "video": ("video.mp4", "video/mp4"),
    "subtitles": ("video.srt", "application/x-subrip"),
    "thumbnail": ("thumbnail.jpg", "image/jpeg"),
    "contact_sheet": ("contact-sheet.jpg", "image/jpeg"),
}
OPTIONAL_OUTPUTS = frozenset({"contact_sheet"})
"""Outputs a job that finished before they existed lacks; it still counts as complete."""
RESULT_FIELDS = ("duration", "width", "height", "fps", "loudness_lufs")
"""What a job's outputs say about the video, beside its files (the REST API shows them)."""
# Share of the job's percent each stage covers.
FETCH, RENDER, UPLOAD = (0.0, 5.0), (5.0, 95.0), (95.0, 100.0)
AI_CLIPS = (5.0, 40.0)
"""When scenes ask for AI motion, waiting for their clips takes this share before rendering."""


def output_prefix(run: JobRun) -> str:
    return blob_key(run.ctx, "renders", str(run.job.id), run.job.input_hash[:16])


def _describe(files: dict[str, BlobInfo], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: info.model_dump() for name, info in files.items()},
        **meta,
    }


def render_video_job(run: JobRun) -> dict[str, Any]:
    blobs, prefix = run.env.blobs, output_prefix(run)
    meta_key = f"{prefix}/render.json"
    existing = {
        name: blobs.stat(run.ctx, f"{prefix}/{file}") for name, (file, _) in OUTPUT_FILES.items()
    }
    meta_blob = blobs.stat(run.ctx, meta_key)
    complete = all(v for k, v in existing.items() if k not in OPTIONAL_OUTPUTS)
    if meta_blob is not None and complete:
        meta = json.loads(blobs.read_bytes(run.ctx, meta_key))
        return _describe({k: v for k, v in existing.items() if v is not None}, meta)

    if run.job.storyboard_version_id is None:
        raise InvalidSpecError("This render job has no storyboard.")
    version = StoryboardsRepository(run.env.db).version(run.ctx, run.job.storyboard_version_id)
    run.workdir.mkdir(parents=True, exist_ok=True)
    try:
        run.progress(RenderProgress(stage="fetch", percent=FETCH[0]))
        spec = fetch_spec_files(
            version.spec,
            run.ctx,
            blobs,
            run.workdir / "assets",
            preview=run.job.kind == JobKind.RENDER_PREVIEW,
        )
        run.cancel.raise_if_cancelled()
        render_span = RENDER
        ai_outcomes: list[AiClipOutcome] = []
        if run.job.kind == JobKind.RENDER_PREVIEW:
            spec = without_ai_motion(spec)  # previews show photo motion: clips cost money
        elif ai_requests(spec):
            spec, ai_outcomes = resolve_clips_by_jobs(
                run, spec, version.spec, run.workdir / "assets", percent=AI_CLIPS
            )
            render_span = (AI_CLIPS[1], RENDER[1])

        def on_progress(event: RenderProgress) -> None:
            span = render_span[1] - render_span[0]
            # The event's message names the engine's stage too, as REST clients have read it.
            update = {
                "percent": render_span[0] + span * event.percent / 100.0,
                "message": event.message or event.stage,
            }
            run.progress(event.model_copy(update=update))

        run.progress(RenderProgress(stage="render", percent=render_span[0]))
        started = time.perf_counter()
        result = run_render_subprocess(
            spec,
            run.workdir / "out",
            engine=run.env.settings.render_engine,
            cache_dir=run.env.settings.cache_dir,
            cancel=run.cancel,
            on_progress=on_progress,
        )
        metrics.observe_render(spec.profile, time.perf_counter() - started, result.duration)
        presenter = None
        if spec.presenter is not None:
            run.cancel.raise_if_cancelled()
            # A lip-synced presenter comes from a child job on the GPU queue (it holds the
            # progress at the end of the render while it waits); the portrait one is drawn here.
            result, presenter = present_by_job(
                run,
                result,
                spec,
                version.spec,
                run.workdir / "presenter",
                percent=(RENDER[1], RENDER[1]),
            )
        run.progress(RenderProgress(stage="upload", percent=UPLOAD[0]))
        files = _upload_outputs(run, result, prefix)
        meta = result.model_dump(mode="json", include=set(RESULT_FIELDS))
        meta["ai_clips"] = [o.model_dump(mode="json", exclude={"clip"}) for o in ai_outcomes]
        meta["ai_cost_usd"] = round(sum(o.cost_usd for o in ai_outcomes), 4)
        if presenter is not None:
            meta["presenter"] = {**presenter.model_dump(mode="json"), "notes": presenter.notes()}
        blobs.put_bytes(
            run.ctx, meta_key, json_bytes(meta), "application/json"
        )  # written last: its presence means every output is in place
        return _describe(files, meta)
    finally:
        shutil.rmtree(run.workdir, ignore_errors=True)


def _upload_outputs(run: JobRun, result: RenderResult, prefix: str) -> dict[str, BlobInfo]:
    """The rendered files into the blob store under the job's prefix (render.json comes last)."""
    paths = {
        "video": result.video,
        "subtitles": result.subtitles,
        "thumbnail": result.thumbnail,
        "contact_sheet": result.contact_sheet,
    }
    files: dict[str, BlobInfo] = {}
    for name, (file, content_type) in OUTPUT_FILES.items():
        run.cancel.raise_if_cancelled()
        path = paths[name]
        if path is None:
            continue
        files[name] = run.env.blobs.put_file(run.ctx, f"{prefix}/{file}", path, content_type)
    return files


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True).encode()


def render_result(outputs: Mapping[str, Any], files: Mapping[str, Path]) -> RenderResult:
    """A finished render job's outputs, with its files fetched to `files`, as a render result.

    `notes`: the scenes that kept photo motion, and a voice fallback where the outputs say so.
    """
    clips = [AiClipOutcome.model_validate(c) for c in outputs.get("ai_clips") or []]
    notes = outcome_notes(clips)
    narration = outputs.get("narration")
    if isinstance(narration, dict):
        notes += [str(note) for note in narration.get("notes") or []]
    presenter = outputs.get("presenter")
    if isinstance(presenter, dict):
        notes += [str(note) for note in presenter.get("notes") or []]
    return RenderResult(
        video=files["video"],
        subtitles=files["subtitles"],
        thumbnail=files["thumbnail"],
        contact_sheet=files.get("contact_sheet"),
        duration=float(outputs.get("duration", 0.0)),
        width=int(outputs.get("width", 0)),
        height=int(outputs.get("height", 0)),
        fps=int(outputs.get("fps", 0)),
        loudness_lufs=outputs.get("loudness_lufs"),
        notes=tuple(notes),
    )
