"""`render_infographic` jobs (CPU queue): a facts card video and its still, from blob keys.

The payload is an `InfographicSpec` whose photo and logo are blob keys of the organisation;
they are fetched, the card is rendered by the engine, and the outputs are stored under keys
derived from the job, with `render.json` written last: a retried job that finds it returns
the stored outputs instead of rendering again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from reelestate.render.infographic import parse_infographic, render_infographic
from reelestate.render.progress import RenderProgress
from reelestate.storage.blobs import blob_key, check_key
from reelestate.workers.execute import JobRun

OUTPUTS = {"video": ("infographic.mp4", "video/mp4"), "still": ("infographic.png", "image/png")}


def render_infographic_job(run: JobRun) -> dict[str, Any]:
    blobs = run.env.blobs
    prefix = blob_key(run.ctx, "infographics", str(run.job.id), run.job.input_hash[:16])
    meta_key = f"{prefix}/render.json"
    if blobs.stat(run.ctx, meta_key) is not None:
        return dict(json.loads(blobs.read_bytes(run.ctx, meta_key)))
    data = dict(run.job.payload)
    run.workdir.mkdir(parents=True, exist_ok=True)
    try:
        for field in ("photo",):
            if data.get(field):
                key = check_key(run.ctx, str(data[field]))
                data[field] = str(
                    blobs.download(run.ctx, key, run.workdir / f"{field}{Path(key).suffix}")
                )
        brand = dict(data.get("brand") or {})
        if brand.get("logo"):
            key = check_key(run.ctx, str(brand["logo"]))
            brand["logo"] = str(
                blobs.download(run.ctx, key, run.workdir / f"logo{Path(key).suffix}")
            )
            data["brand"] = brand
        spec = parse_infographic(data)
        run.progress(RenderProgress(stage="render", percent=5.0))

        def on_frame(done: int, total: int) -> None:
            if done % 30 == 0 or done == total:
                run.progress(RenderProgress(stage="render", percent=5.0 + 85.0 * done / total))

        result = render_infographic(
            spec, run.workdir / "out", work_dir=run.workdir, cancel=run.cancel, on_frame=on_frame
        )
        run.progress(RenderProgress(stage="upload", percent=95.0))
        outputs: dict[str, Any] = {
            "duration": result.duration,
            "width": result.width,
            "height": result.height,
            "fps": result.fps,
            "loudness_lufs": result.loudness_lufs,
        }
        paths = {"video": result.video, "still": result.still}
        for name, (file, content_type) in OUTPUTS.items():
            info = blobs.put_file(run.ctx, f"{prefix}/{file}", paths[name], content_type)
            outputs[name] = info.model_dump(mode="json")
        blobs.put_bytes(
            run.ctx, meta_key, json.dumps(outputs, sort_keys=True).encode(), "application/json"
        )
        return outputs
    finally:
        shutil.rmtree(run.workdir, ignore_errors=True)
