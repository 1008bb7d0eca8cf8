"""`reelestate make`: photos and facts in, a finished video and its report out, with no chat.

Everything a user can get wrong is checked before the first frame: the photo count, the
facts, the photos themselves (unreadable or rejected ones are dropped with their reason,
and fewer usable ones than the settings' minimum stop the run).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import InvalidInputError
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS, Settings
from reelestate.core.styles import Style
from reelestate.prompts.styles import STYLE_MUSIC
from reelestate.providers.avatar import check_presenter_photo
from reelestate.providers.tts.base import Narration
from reelestate.providers.tts.narrator import parse_voice_choice
from reelestate.providers.video_gen.registry import video_models
from reelestate.providers.vision.factory import get_photo_analyser
from reelestate.render.ai_clips import AiClipOutcome
from reelestate.render.engine import render_video
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import Aspect, BrandKit, Profile, RenderSpec
from reelestate.render.timeline import card_seconds, total_seconds
from reelestate.services.presenter import PresenterChoice, PresenterOutcome, present_on_video
from reelestate.services.storyboard_flow import PlanChoices, fit_in_time, plan, render_spec
from reelestate.tools.ai_motion import DEFAULT_AI_SCENES, generate_ai_clips
from reelestate.tools.analyse import AnalysisReport, analyse_photos, expand_photo_paths
from reelestate.tools.listing import Listing, require_facts
from reelestate.tools.music import music_track_from_file
from reelestate.tools.script import Script, write_script
from reelestate.tools.script_llm import default_script_writer
from reelestate.tools.storyboard import write_render_spec
from reelestate.tools.storyboard_model import MusicTrackRef


class MakeRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    photos: list[Path]
    listing: Listing
    style: Style = "modern"
    aspect: Aspect = "9:16"
    length_seconds: float = 30
    preview: bool = False
    seed: int = 0
    brand: BrandKit | None = None
    ai_video: str | None = None
    """Video model key (`kling-1.6-standard`, ...) for the scenes best suited to AI motion."""
    ai_scenes: int = Field(default=DEFAULT_AI_SCENES, ge=0, le=40)
    voice: str | None = None
    """`provider:voice` (`elevenlabs:Rachel`, `openai:alloy`, `espeak:en-us`)."""
    music: Path | None = None
    """The user's own music bed; `None` plays the style's generated bed."""
    presenter: PresenterChoice | None = None
    """The agent's photo as a talking presenter over the video."""


class MakeOutputs(BaseModel):
    video: Path
    subtitles: Path
    thumbnail: Path
    contact_sheet: Path | None
    storyboard: Path
    report: Path
    result: RenderResult
    notes: list[str] = []
    """What the run had to give up to honour the length (facts unsaid, a faster voice)."""


def check_photo_count(
    photos: Sequence[Path], *, min_photos: int = MIN_PHOTOS, max_photos: int = MAX_PHOTOS
) -> None:
    if len(photos) < min_photos:
        raise InvalidInputError(
            f"Found {len(photos)} photo(s); a video needs at least {min_photos}.",
            hint="Add photos or point to the folder that holds them all.",
        )
    if len(photos) > max_photos:
        raise InvalidInputError(
            f"Found {len(photos)} photos; a video takes at most {max_photos}.",
            hint=f"Choose the best {max_photos} and try again.",
        )


def _voice_report(narration: Narration | None) -> dict[str, Any] | None:
    if narration is None:
        return None
    return {
        "provider": narration.provider,
        "voice": narration.voice,
        "requested_provider": narration.requested_provider or narration.provider,
        "cost_usd": narration.cost_usd,
        "fallbacks": list(narration.notes),
    }


def _scenes_report(spec: RenderSpec, outcomes: Sequence[AiClipOutcome]) -> list[dict[str, Any]]:
    by_scene = {o.scene: o for o in outcomes}
    rows: list[dict[str, Any]] = []
    for i, scene in enumerate(spec.scenes):
        outcome = by_scene.get(i)
        row: dict[str, Any] = {
            "scene": i + 1,
            "photo": str(scene.photo),
            "made_by": "ken_burns",
            "motion": scene.motion.kind,
            "cost_usd": 0.0,
        }
        if outcome is not None:
            made = outcome.made_by == "ai"
            row.update(
                made_by=f"ai:{outcome.model}" if made else "ken_burns",
                motion="generated" if made else scene.motion.kind,
                ai_model_requested=outcome.model,
                cost_usd=outcome.cost_usd,
                cached=outcome.cached,
                fallback_reason=outcome.fallback_reason,
            )
        rows.append(row)
    return rows


def _report(
    request: MakeRequest,
    analysis: AnalysisReport,
    script: Script,
    dropped: list[dict[str, Any]],
    timings: dict[str, float],
    result: RenderResult,
    spec: RenderSpec,
    outcomes: Sequence[AiClipOutcome],
    narration: Narration | None,
    music: MusicTrackRef | None,
    notes: Sequence[str],
    presenter: PresenterOutcome | None = None,
) -> dict[str, Any]:
    voice = _voice_report(narration or result.narration)
    ai_cost = sum(o.cost_usd for o in outcomes)
    return {
        "listing": request.listing.model_dump(mode="json"),
        "settings": {
            "style": request.style,
            "aspect": request.aspect,
            "length_seconds": request.length_seconds,
            "preview": request.preview,
            "ai_video": request.ai_video,
            "ai_scenes": request.ai_scenes if request.ai_video else 0,
            "voice": request.voice,
            "music": {"track": music.name, **music.info.model_dump(mode="json")}
            if music
            else {"mood": STYLE_MUSIC[request.style]},
        },
        "scenes": _scenes_report(spec, outcomes),
        "voice": voice,
        "presenter": {**presenter.model_dump(mode="json"), "notes": presenter.notes()}
        if presenter
        else None,
        "cost_usd": round(
            ai_cost
            + (voice["cost_usd"] if voice else 0.0)
            + (presenter.cost_usd if presenter else 0.0),
            4,
        ),
        "analysis": analysis.rows(),
        "script": [
            {"text": line.text, "facts": sorted(line.facts), "photo_index": line.photo_index}
            for line in script.lines
        ],
        "script_writer": script.writer,
        "dropped_photos": dropped,
        "timings": {**timings, "render_stages": result.timings},
        "length": {
            "asked_seconds": request.length_seconds,
            "storyboard_seconds": total_seconds(spec),
            "delivered_seconds": result.duration,
            "cards_seconds": list(card_seconds(spec.brand, spec.flags)),
            "notes": list(notes),
        },
        "video": {
            "duration": result.duration,
            "width": result.width,
            "height": result.height,
            "fps": result.fps,
            "loudness_lufs": result.loudness_lufs,
        },
    }


def make_video(
    request: MakeRequest,
    out_dir: Path,
    settings: Settings,
    *,
    on_stage: Callable[[str], None] | None = None,
    on_progress: Callable[[RenderProgress], None] | None = None,
) -> MakeOutputs:
    """Analyse, script, plan and render; write video, captions, thumbnail, storyboard, report.

    `settings` choose the analyser, the script writer, the voice and video providers, the
    cache, and the limits on photos and music.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        if on_stage is not None:
            on_stage(name)

    photos = expand_photo_paths(request.photos)
    check_photo_count(photos, min_photos=settings.min_photos, max_photos=settings.max_photos)
    listing = require_facts(request.listing)
    models = video_models(settings)
    if request.ai_video:
        models.get(request.ai_video)  # unknown keys fail before any work
    if request.voice:
        parse_voice_choice(request.voice)
    music = (
        music_track_from_file(request.music, max_mb=settings.max_music_mb)
        if request.music is not None
        else None
    )
    if request.presenter is not None:
        check_presenter_photo(request.presenter.photo)  # one frontal face, before any work
    stage("checked")
    analysis = analyse_photos(photos, get_photo_analyser(settings))
    stage("analysed")
    script = write_script(
        listing,
        analysis.results,
        style=request.style,
        length_seconds=request.length_seconds,
        seed=request.seed,
        writer=default_script_writer(settings),
    )
    stage("scripted")
    choices = PlanChoices(
        style=request.style,
        aspect=request.aspect,
        length_seconds=request.length_seconds,
        voice=request.voice,
        music_track=music,
        ai_video=request.ai_video,
        ai_scenes=request.ai_scenes,
    )
    history = plan(
        listing,
        analysis.results,
        script,
        choices,
        ai_author="make",
        min_photos=settings.min_photos,
        models=models,
    )
    profile: Profile = "preview" if request.preview else "final"
    timed = fit_in_time(
        render_spec(history.current, listing, script, profile=profile, brand=request.brand),
        cache_dir=settings.cache_dir,
    )
    spec, narration = timed.spec, timed.narration
    notes = list(dict.fromkeys([*history.current.notes, *timed.notes]))
    out_dir.mkdir(parents=True, exist_ok=True)
    storyboard = write_render_spec(spec, out_dir / "storyboard.json")
    stage("planned")
    spec, outcomes = asyncio.run(generate_ai_clips(spec, settings))
    stage("ai_clips")
    result = render_video(spec, out_dir, on_progress=on_progress, cache_dir=settings.cache_dir)
    stage("rendered")
    presenter = None
    if request.presenter is not None:
        # The narration was spoken before the render (to fit the scenes to it), so the engine
        # only had its audio: the presenter speaks that same narration.
        spoken = result if result.narration else result.model_copy(update={"narration": narration})
        presenter = present_on_video(
            spoken, spec, request.presenter, settings, settings.cache_dir / "presenter-work"
        )
        notes = [*notes, *presenter.notes()]
        stage("presenter")
    dropped = [{"path": d.path, "reasons": list(d.reasons)} for d in history.dropped] + [
        {"path": str(f.path), "reasons": [f.message]} for f in analysis.failures
    ]
    report_path = out_dir / "report.json"
    tmp = report_path.with_name(".report.json.part")
    tmp.write_text(
        json.dumps(
            _report(
                request,
                analysis,
                script,
                dropped,
                timings,
                result,
                spec,
                outcomes,
                narration,
                music,
                notes,
                presenter,
            ),
            indent=2,
        ),
        encoding="utf-8",
    )
    tmp.replace(report_path)
    return MakeOutputs(
        video=result.video,
        subtitles=result.subtitles,
        thumbnail=result.thumbnail,
        contact_sheet=result.contact_sheet,
        storyboard=storyboard,
        report=report_path,
        result=result,
        notes=notes,
    )
