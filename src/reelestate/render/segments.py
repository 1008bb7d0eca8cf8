"""One encoded clip per shot, cached by the hash of everything that shapes its pixels.

A shot's clip covers its own frames, including the transition into the next shot, with
its captions burned in. Changing one scene changes the keys of that scene's clip and of
its neighbour's transition only; every other clip is reused.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reelestate.core.errors import RenderError
from reelestate.core.hashing import file_sha256
from reelestate.core.imaging import load_photo
from reelestate.render.camera import Window
from reelestate.render.card_source import CardSource, card_painter
from reelestate.render.cards import outro_card
from reelestate.render.clip_source import ClipSource
from reelestate.render.encode import FrameTap, segment_args
from reelestate.render.ffmpeg import CancelToken, FFmpegPipe
from reelestate.render.frames import FrameBuffer, render_shot_frame
from reelestate.render.overlays import Overlay, blend_overlay
from reelestate.render.page_lending import buffers_in_rotation
from reelestate.render.shot_source import ShotSource, prepare_shot
from reelestate.render.spec import ASPECT_SIZES, RenderSpec
from reelestate.render.timeline import Shot
from reelestate.render.transitions import blend
from reelestate.render.video_codec import VideoCodec

ENGINE_VERSION = "2"
FRAME_STAGES = ("sources", "draw", "transition", "overlays", "write", "drain")
"""The frame loop's parts, timed for the job report and the profile: preparing shot sources
(decode, layout, resize), drawing (warps), transition blends, overlay blends, the pipe write
(which includes waiting for the encoder to take the frame) and the encoder's drain at the end
of each run.
"""
OVERLAY_FADE_SECONDS = 0.4
ENTRANCE_SECONDS = 0.45
ENTRANCE_RISE = 0.03
"""A callout slides up this fraction of the frame height as it fades in."""


@dataclass(frozen=True)
class ShotOverlay:
    overlay: Overlay
    fade: bool
    """Fade out before the shot ends (callouts), or stay solid (the logo)."""
    delay: float | None = None
    """Seconds after the shot starts at which it slides and fades in; None: there from the start."""

    @property
    def identity(self) -> list[object]:
        return [self.overlay.key, self.fade, self.delay]


Source = ShotSource | ClipSource | CardSource


class SourceLoader:
    """Shot sources kept ready, a few at a time: a shot appears in its clip and the one before.

    Clip sources hold a decoder process: `close()` (the engine calls it whatever happens)
    stops every one still open.
    """

    def __init__(self, spec: RenderSpec, size: tuple[int, int], capacity: int = 3) -> None:
        self._spec = spec
        self._size = size
        self._cache: OrderedDict[int, Source] = OrderedDict()
        self._capacity = capacity

    def get(self, shot: Shot) -> Source:
        if shot.index in self._cache:
            self._cache.move_to_end(shot.index)
            return self._cache[shot.index]
        source = self._prepare(shot)
        self._cache[shot.index] = source
        if len(self._cache) > self._capacity:
            _, evicted = self._cache.popitem(last=False)
            if isinstance(evicted, ClipSource):
                evicted.close()
        return source

    def close(self) -> None:
        for source in self._cache.values():
            if isinstance(source, ClipSource):
                source.close()
        self._cache.clear()

    def _prepare(self, shot: Shot) -> Source:
        w, h = self._size
        spec = self._spec
        if shot.clip is not None:
            return ClipSource(
                shot.clip,
                out_w=w,
                out_h=h,
                fps=spec.frame_rate,
                frames=shot.end_frame - shot.visible_start,
                focal=shot.focal,
            )
        if shot.card is not None and shot.photo is not None:
            frames = shot.end_frame - shot.visible_start
            painter = card_painter(spec, shot.card, shot.photo, seconds=frames / spec.fps)
            return CardSource(painter, frames)
        if shot.kind == "outro":
            hero = load_photo(spec.scenes[0].photo, max_side=max(w, h)).rgb
            rgb = outro_card(w, h, spec.brand, hero)
        else:
            assert shot.photo is not None
            rgb = load_photo(shot.photo, max_side=2 * max(ASPECT_SIZES[spec.aspect])).rgb
        return prepare_shot(
            rgb,
            out_w=w,
            out_h=h,
            frame_aspect=spec.aspect,
            motion=shot.motion,
            focal=shot.focal,
            fit=shot.fit,
            brand=spec.brand,
        )


def file_digest(path: Path, memo: dict[Path, str]) -> str:
    if path not in memo:
        memo[path] = file_sha256(path)
    return memo[path]


def shot_identity(shot: Shot, spec: RenderSpec, memo: dict[Path, str]) -> dict[str, object]:
    """What determines a shot's pixels, independent of where it sits in the video."""
    ident: dict[str, object] = {
        "kind": shot.kind,
        "motion": shot.motion.model_dump(),
        "focal": shot.focal,
        "fit": shot.fit,
        "span": shot.end_frame - shot.visible_start,
        "path": [shot.path_start - shot.visible_start, shot.path_end - shot.visible_start],
    }
    if shot.clip is not None:
        ident["clip"] = file_digest(shot.clip, memo)
    elif shot.card is not None and shot.photo is not None:
        ident["photo"] = file_digest(shot.photo, memo)
        ident["facts_card"] = {
            "card": shot.card.model_dump(mode="json"),
            "facts": spec.facts.model_dump(mode="json") if spec.facts else None,
            "brand": spec.brand.model_dump(mode="json"),
            "profile": spec.profile,
        }
        for extra in (spec.brand.logo, spec.brand.font):
            if extra is not None:
                ident[f"file:{extra.name}"] = file_digest(extra, memo)
    elif shot.photo is not None:
        ident["photo"] = file_digest(shot.photo, memo)
        ident["panels"] = [spec.brand.primary_color, spec.brand.accent_color]
    else:
        ident["hero"] = file_digest(spec.scenes[0].photo, memo)
        ident["card"] = {
            "brand": spec.brand.model_dump(mode="json"),
            "facts": spec.facts.model_dump(mode="json") if spec.facts else None,
            "title": spec.title,
            "unbranded": spec.flags.unbranded,
        }
        if spec.brand.logo is not None:
            ident["logo"] = file_digest(spec.brand.logo, memo)
    return ident


def segment_key(
    shot: Shot,
    next_shot: Shot | None,
    spec: RenderSpec,
    overlays: list[ShotOverlay],
    next_overlays: list[ShotOverlay],
    ass_text: str | None,
    memo: dict[Path, str],
    codec: VideoCodec = "libx264",
) -> str:
    w, h = spec.size
    payload = {
        "engine": ENGINE_VERSION,
        "size": [w, h],
        "fps": spec.frame_rate,
        "profile": spec.profile,
        # Clips from two encoders are not joined by stream copy: each keeps its own.
        "codec": codec,
        "shot": shot_identity(shot, spec, memo),
        "offset": shot.start_frame - shot.visible_start,
        "frames": shot.frames,
        "transition": [shot.transition.kind, shot.transition_frames],
        "next": shot_identity(next_shot, spec, memo)
        if next_shot and shot.transition_frames
        else None,
        "overlays": [o.identity for o in overlays],
        # Only the next shot's overlays the blend draws: those there from its start (the logo).
        "next_overlays": [o.overlay.key for o in next_overlays if o.delay is None]
        if shot.transition_frames
        else [],
        "ass": ass_text,
    }
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def overlay_state(
    item: ShotOverlay, shot: Shot, frame: int, fps: int, height: int
) -> tuple[float, int]:
    """Opacity and downward offset (even pixels) of `item` at a global frame of `shot`."""
    opacity, dy = 1.0, 0
    if item.delay is not None:
        begin = shot.start_frame + item.delay * fps
        p = min(1.0, max(0.0, (frame + 1 - begin) / max(1.0, ENTRANCE_SECONDS * fps)))
        eased = 1.0 - (1.0 - p) ** 3
        opacity = p
        dy = round((1.0 - eased) * ENTRANCE_RISE * height / 2) * 2
    if item.fade:
        fade = max(1, round(OVERLAY_FADE_SECONDS * fps))
        left = (shot.end_frame - shot.transition_frames - frame) / fade
        opacity = min(opacity, max(0.0, min(1.0, left)))
    return opacity, dy


@dataclass(frozen=True)
class ShotJob:
    """One shot to encode, with the neighbour it blends into and where its clip goes."""

    shot: Shot
    next_shot: Shot | None
    overlays: list[ShotOverlay]
    next_overlays: list[ShotOverlay]
    out: Path
    still: int | None = None
    """A global frame of the shot kept as a contact-sheet tile beside the clip (`still_path`)."""


def still_path(clip: Path) -> Path:
    """Where a clip's contact-sheet tile is cached: raw RGB beside the clip, same key."""
    return clip.with_suffix(".still.rgb")


@dataclass
class SegmentRenderer:
    """Encodes runs of consecutive shots: one encoder per run, split into one clip per shot.

    One encoder for the whole run keeps x264's threads busy across shot boundaries (a new
    process per shot would drain and refill its pipeline every few seconds); forced IDR frames
    at each boundary let the run be cut into independent clips for the cache.
    """

    spec: RenderSpec
    sources: SourceLoader
    fonts_dir: Path
    cancel: CancelToken | None
    codec: VideoCodec = "libx264"
    still_size: tuple[int, int] | None = None
    """Width and height of contact-sheet tiles; None: no tiles are taken while encoding."""
    stage_seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(FRAME_STAGES, 0.0)
    )
    """Seconds spent in each part of the frame loop, summed over every run (see FRAME_STAGES)."""

    def _lap(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.stage_seconds[stage] += now - since
        return now

    def render_run(
        self,
        jobs: list[ShotJob],
        ass_path: Path | None,
        work: Path,
        on_frame: Callable[[], None],
    ) -> None:
        """Encode `jobs` (consecutive shots) and move each clip to its `out` path."""
        w, h = self.spec.size
        first = jobs[0].shot.start_frame
        stem = f"run-{first:06d}"
        splits = [job.shot.end_frame - first for job in jobs[:-1]]
        tap = None
        if self.still_size is not None and all(job.still is not None for job in jobs):
            tap = FrameTap(
                frames=tuple(job.still - first for job in jobs if job.still is not None),
                width=self.still_size[0],
                height=self.still_size[1],
                out=work / f"{stem}-stills.rgb",
            )
        args = segment_args(
            width=w,
            height=h,
            fps=self.spec.frame_rate,
            profile=self.spec.profile,
            out=work / f"{stem}-%03d.mp4",
            subtitles=ass_path,
            fonts_dir=self.fonts_dir,
            split_at=splits,
            tap=tap,
            codec=self.codec,
        )
        with FFmpegPipe(args) as pipe:
            buffers = _Buffers(w, h, buffers_in_rotation(w * h * 3 // 2, pipe.capacity))
            for job in jobs:
                self._write_shot(pipe, job, buffers, on_frame)
            clock = time.perf_counter()
            pipe.close()
            self._lap("drain", clock)
        parts = [work / f"{stem}-{i:03d}.mp4" for i in range(len(jobs))]
        missing = [p.name for p in parts if not p.exists()]
        if missing:
            raise RenderError(f"The encoder wrote {len(jobs) - len(missing)} of {len(jobs)} clips.")
        if tap is not None:
            self._keep_stills(tap, jobs)
        for part, job in zip(parts, jobs, strict=True):
            part.replace(job.out)

    @staticmethod
    def _keep_stills(tap: FrameTap, jobs: list[ShotJob]) -> None:
        """Cut the run's stills into one file per clip, written before the clip is in place."""
        data = tap.out.read_bytes()
        per = tap.width * tap.height * 3
        if len(data) != per * len(jobs):
            return  # The sheet falls back to decoding the finished video.
        for i, job in enumerate(jobs):
            target = still_path(job.out)
            part = target.with_name(target.name + ".part")
            part.write_bytes(data[i * per : (i + 1) * per])
            part.replace(target)
        tap.out.unlink()

    def _write_shot(
        self, pipe: FFmpegPipe, job: ShotJob, buf: _Buffers, on_frame: Callable[[], None]
    ) -> None:
        shot, next_shot = job.shot, job.next_shot
        fps = self.spec.frame_rate
        transition_start = shot.end_frame - shot.transition_frames
        clock = time.perf_counter()
        source = self.sources.get(shot)
        settled = _SettledPage.for_shot(source, job.overlays, buf.other)
        clock = self._lap("sources", clock)
        for frame in range(shot.start_frame, shot.end_frame):
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            slot = buf.next_slot()
            in_transition = (
                next_shot is not None and frame >= transition_start and shot.transition_frames > 0
            )
            weight = (
                (frame - transition_start + 1) / (shot.transition_frames + 1)
                if in_transition
                else 0.0
            )
            layers = _layers(job, frame, fps, slot.main.height, weight)
            if settled is not None and not in_transition and _all_settled(layers):
                # The page already carries the text: only the photo's box is drawn.
                assert isinstance(source, ShotSource)
                in_place = slot.holds is settled
                window = source.path.at(shot.progress(frame))
                # A camera at rest (a static shot) leaves the frame as it was: nothing to draw.
                if not (in_place and window == slot.window):
                    render_shot_frame(
                        source,
                        shot.progress(frame),
                        slot.main,
                        page=settled.page,
                        page_in_place=in_place,
                    )
                slot.holds, slot.window = settled, window
                clock = self._lap("draw", clock)
                pipe.lend(slot.main.data.data)
                clock = self._lap("write", clock)
                on_frame()
                continue
            slot.holds = slot.window = None
            draw_frame(source, shot, frame, slot.main)
            target = slot.main
            if in_transition:
                assert next_shot is not None
                clock = self._lap("draw", clock)
                other = self.sources.get(next_shot)
                clock = self._lap("sources", clock)
                draw_frame(other, next_shot, frame, buf.other)
                clock = self._lap("draw", clock)
                blend(
                    shot.transition.kind,
                    slot.main,
                    buf.other,
                    alpha=weight,
                    out=slot.mixed,
                    black=buf.black,
                )
                target = slot.mixed
                clock = self._lap("transition", clock)
            else:
                clock = self._lap("draw", clock)
            for overlay, opacity, dy in layers.values():
                blend_overlay(target, overlay, opacity, dy=dy)
            clock = self._lap("overlays", clock)
            pipe.lend(target.data.data)
            clock = self._lap("write", clock)
            on_frame()


def _layers(
    job: ShotJob, frame: int, fps: int, height: int, weight: float
) -> dict[str, tuple[Overlay, float, int]]:
    """Each overlay drawn on `frame`: opacity and entrance offset, the next shot's fading in."""
    shot = job.shot
    layers: dict[str, tuple[Overlay, float, int]] = {}
    for item in job.overlays:
        opacity, dy = overlay_state(item, shot, frame, fps, height)
        layers[item.overlay.key] = (item.overlay, opacity * (1 - weight), dy)
    for item in job.next_overlays if weight else []:
        # An overlay on both shots (the logo) stays solid through the transition;
        # the next shot's callouts wait for their own entrance.
        if item.delay is not None:
            continue
        _, before, _ = layers.get(item.overlay.key, (item.overlay, 0.0, 0))
        layers[item.overlay.key] = (item.overlay, min(1.0, before + weight), 0)
    return layers


def _all_settled(layers: dict[str, tuple[Overlay, float, int]]) -> bool:
    return all(opacity >= 1.0 and dy == 0 for _, opacity, dy in layers.values())


class _SettledPage:
    """A framed shot's page with all its text at rest, composited once per shot.

    Between a framed shot's entrances and its fades nothing on the page moves but the photo in
    its box, so those frames copy this page (or keep it, when the frame buffer still holds it)
    and warp the photo alone: no overlay is blended again on any of them.
    """

    def __init__(self, page: FrameBuffer) -> None:
        self.page = page

    @classmethod
    def for_shot(
        cls, source: Source, overlays: list[ShotOverlay], like: FrameBuffer
    ) -> _SettledPage | None:
        if not isinstance(source, ShotSource) or source.framing is None:
            return None
        framing = source.framing
        box = framing.box
        for item in overlays:
            left, top, right, bottom = item.overlay.bounds
            if left < box.right and box.x < right and top < box.bottom and box.y < bottom:
                return None  # Text over the photo must be drawn over each frame's photo.
        page = FrameBuffer(like.width, like.height)
        page.y[...] = framing.y
        page.u[...] = framing.u
        page.v[...] = framing.v
        for item in overlays:
            blend_overlay(page, item.overlay)
        return cls(page)


def draw_frame(source: Source, shot: Shot, frame: int, out: FrameBuffer) -> None:
    """Global frame `frame` of `shot` into `out`: a camera move over a photo, or a clip frame."""
    if isinstance(source, ClipSource | CardSource):
        source.read(frame - shot.visible_start, out)
    else:
        render_shot_frame(source, shot.progress(frame), out)


@dataclass
class _Slot:
    """A frame being drawn or lent to the encoder's pipe, and what its buffer still holds."""

    main: FrameBuffer
    mixed: FrameBuffer
    """A transition's blend of this shot and the next."""
    holds: object | None = None
    """The settled page `main` holds outside the photo's box, if no other drawing followed."""
    window: Window | None = None
    """The camera window whose photo `main` holds in that page's box."""


class _Buffers:
    """The frames one run reuses: slots lent to the encoder in turn, the next shot, and black.

    Frames go to the encoder's pipe by reference (`FFmpegPipe.lend`), so each frame is drawn in
    the next slot, one the pipe has finished reading (`page_lending.buffers_in_rotation`).
    """

    def __init__(self, width: int, height: int, slots: int) -> None:
        self.slots = [
            _Slot(FrameBuffer(width, height), FrameBuffer(width, height)) for _ in range(slots)
        ]
        self._turn = 0
        self.other = FrameBuffer(width, height)
        self.black = FrameBuffer(width, height)
        self.black.fill_black()

    def next_slot(self) -> _Slot:
        self._turn = (self._turn + 1) % len(self.slots)
        return self.slots[self._turn]
