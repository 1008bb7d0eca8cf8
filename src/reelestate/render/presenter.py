"""A presenter clip laid over a finished video: in a corner the captions avoid, or full frame.

The clip (D-ID, HeyGen, or the portrait presenter) speaks the narration that is already in the
video, so only its picture is used, shifted to start when the voice does. The engine conforms
it (a square crop biased to the face, the video's frame rate, BT.709 limited range) and FFmpeg
composites it in one pass, through a circular mask with a ring in the brand's accent colour.

Where it goes: the right edge of the safe area, just above the stat callouts and the captions,
below the logo and the scene title: the only corner of a listing video with no text. The
`intro` layout shows the presenter full frame for the first seconds of the narration, then in
that corner. A generated presenter carries the AI-disclosure label while it is on screen.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PIL import Image, ImageDraw

from reelestate.core.errors import OutputValidationError
from reelestate.render.clip_source import read_clip_info
from reelestate.render.colour import hex_to_rgb
from reelestate.render.encode import COLOUR_TAGS
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.fonts import pil_font
from reelestate.render.layout import Rect, captions_rect, safe_rect, stats_rect
from reelestate.render.probe import inspect_video
from reelestate.render.spec import Aspect, PresenterLayoutName, Profile
from reelestate.render.video_codec import codec_args

PresenterLayout = PresenterLayoutName
PIP_SHARE = {"9:16": 0.26, "4:5": 0.22, "1:1": 0.22, "16:9": 0.22}
"""The presenter circle's diameter as a share of the frame's shorter side."""
INTRO_SECONDS = 4.0
DISCLOSURE = "AI-generated presenter"


def _even(value: float) -> int:
    return int(round(value / 2) * 2)


def presenter_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """The corner the presenter sits in: right edge of the safe area, above stats and captions."""
    safe = safe_rect(aspect, width, height)
    side = _even(min(width, height) * PIP_SHARE[aspect])
    stats = stats_rect(aspect, width, height)
    captions = captions_rect(aspect, width, height)
    bottom = min(stats.y, captions.y) - round(height * 0.015)
    x = _even(safe.right - side)
    y = _even(bottom - side)
    return Rect(x=x, y=y, w=side, h=side)


def _mask(side: int, path: Path) -> Path:
    """A white disc on black (the presenter's alpha), drawn 4x and scaled down for soft edges."""
    big = Image.new("L", (side * 4, side * 4), 0)
    ImageDraw.Draw(big).ellipse((0, 0, side * 4 - 1, side * 4 - 1), fill=255)
    big.resize((side, side), Image.Resampling.LANCZOS).save(path)
    return path


def _ring(side: int, accent: str, path: Path) -> Path:
    big = Image.new("RGBA", (side * 4, side * 4), (0, 0, 0, 0))
    width = max(8, side * 4 // 40)
    ImageDraw.Draw(big).ellipse(
        (0, 0, side * 4 - 1, side * 4 - 1), outline=(*hex_to_rgb(accent), 255), width=width
    )
    big.resize((side, side), Image.Resampling.LANCZOS).save(path)
    return path


def _label(height: int, path: Path) -> Path:
    size = max(12, round(height * 0.018))
    font = pil_font(size, bold=False, text=DISCLOSURE)
    w = round(font.getlength(DISCLOSURE)) + size
    h = round(size * 1.7)
    img = Image.new("RGBA", (w + w % 2, h + h % 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle(
        (0, 0, img.width - 1, img.height - 1), radius=h // 2, fill=(0, 0, 0, 170)
    )
    draw.text((size // 2, round(size * 0.3)), DISCLOSURE, font=font, fill=(255, 255, 255, 255))
    img.save(path)
    return path


def composite_args(
    *,
    video: Path,
    clip: Path,
    clip_seconds: float,
    aspect: Aspect,
    width: int,
    height: int,
    fps: int,
    start: float,
    layout: PresenterLayout,
    mask: Path,
    ring: Path,
    label: Path | None,
    profile: Profile,
    out: Path,
) -> list[str]:
    """FFmpeg arguments that lay the presenter over `video` (pure: files are made elsewhere)."""
    box = presenter_rect(aspect, width, height)
    end = start + clip_seconds
    side = box.w
    shift = f"setpts=PTS-STARTPTS+{start:.3f}/TB"
    square = (
        f"crop='min(iw,ih)':'min(iw,ih)':'(iw-min(iw,ih))/2':'(ih-min(iw,ih))/3',"
        f"scale={side}:{side}:flags=lanczos:out_color_matrix=bt709:out_range=tv,fps={fps}"
    )
    pip_from = start + INTRO_SECONDS if layout == "intro" else start
    parts = [f"[1:v]{square},format=yuva420p[sq]", f"[2:v]format=gray,scale={side}:{side}[m]"]
    parts.append(f"[sq][m]alphamerge,{shift}[pip]")
    current = "0:v"
    if layout == "intro":
        cover = (
            f"[4:v]scale={width}:{height}:force_original_aspect_ratio=increase:flags=lanczos:"
            f"out_color_matrix=bt709:out_range=tv,crop={width}:{height},fps={fps},{shift}[full]"
        )
        parts.append(cover)
        parts.append(
            f"[{current}][full]overlay=0:0:eof_action=pass:"
            f"enable='between(t,{start:.3f},{min(pip_from, end):.3f})'[v0]"
        )
        current = "v0"
    window = f"enable='between(t,{pip_from:.3f},{end:.3f})'"
    parts.append(f"[{current}][pip]overlay={box.x}:{box.y}:eof_action=pass:{window}[v1]")
    parts.append(f"[v1][3:v]overlay={box.x}:{box.y}:{window}[v2]")
    current = "v2"
    if label is not None:
        safe = safe_rect(aspect, width, height)
        label_y = box.y + box.h + round(height * 0.006)
        label_x = f"{safe.right}-overlay_w"
        parts.append(
            f"[{current}][5:v]overlay={label_x}:{label_y}:"
            f"enable='between(t,{start:.3f},{end:.3f})'[v3]"
        )
        current = "v3"
    parts.append(f"[{current}]format=yuv420p[out]")
    args = [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-i", str(video), "-i", str(clip),
        "-loop", "1", "-i", str(mask), "-loop", "1", "-i", str(ring),
        "-i", str(clip),
    ]  # fmt: skip
    if label is not None:
        args += ["-loop", "1", "-i", str(label)]
    args += ["-filter_complex", ";".join(parts), "-map", "[out]", "-map", "0:a"]
    args += codec_args("libx264", profile)
    args += ["-pix_fmt", "yuv420p", "-g", str(fps * 2), *COLOUR_TAGS, "-c:a", "copy"]
    args += ["-frames:v", "0"]  # replaced below with the video's frame count
    return [*args, "-movflags", "+faststart", "-f", "mp4", str(out)]


def add_presenter(
    video: Path,
    clip: Path,
    *,
    aspect: Aspect,
    fps: int,
    start: float,
    layout: PresenterLayout,
    accent: str,
    disclosure: bool,
    profile: Profile,
    work: Path,
    cancel: CancelToken | None = None,
) -> Path:
    """Lay `clip` over `video` in place (written beside it, probed, then renamed over it)."""
    info = read_clip_info(clip)  # a broken or non-video download is refused here
    before = inspect_video(video)
    width, height = before.width, before.height
    side = presenter_rect(aspect, width, height).w
    work.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    mask = _mask(side, work / f"mask-{tag}.png")
    ring = _ring(side, accent, work / f"ring-{tag}.png")
    label = _label(height, work / f"label-{tag}.png") if disclosure else None
    out = video.with_name(f".{video.stem}.presenter-{tag}.mp4")
    args = composite_args(
        video=video,
        clip=clip,
        clip_seconds=min(info.duration, max(0.0, before.video_duration - start)),
        aspect=aspect,
        width=width,
        height=height,
        fps=fps,
        start=start,
        layout=layout,
        mask=mask,
        ring=ring,
        label=label,
        profile=profile,
        out=out,
    )
    frames_at = args.index("-frames:v") + 1
    args[frames_at] = str(before.frames)
    try:
        run_ffmpeg(args, cancel=cancel, timeout=120 + before.video_duration * 4)
        after = inspect_video(out)
        if after.frames != before.frames or (after.width, after.height) != (width, height):
            raise OutputValidationError(
                "The video with the presenter does not match the video without it."
            )
        out.replace(video)
    finally:
        out.unlink(missing_ok=True)
        for f in (mask, ring, label):
            if f is not None:
                f.unlink(missing_ok=True)
    return video
