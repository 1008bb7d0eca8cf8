"""Everything about a batch of photos except the room: decoding, quality, hashes, framing.

Both analysers share this; they differ only in who names the room. Photos are decoded once,
at `ANALYSIS_SIDE`, and a photo that cannot be decoded becomes a `PhotoFailure` instead of
stopping the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import RGBArray, load_photo
from reelestate.providers.vision.base import (
    Orientation,
    PhotoAnalysis,
    PhotoBatch,
    PhotoFailure,
    Point,
    RoomType,
)
from reelestate.providers.vision.duplicates import PhotoFingerprint, duplicate_groups, fingerprint
from reelestate.providers.vision.phash import dct_phash
from reelestate.providers.vision.quality import (
    ANALYSIS_SIDE,
    QualityMetrics,
    measure_quality,
    to_analysis_size,
)
from reelestate.providers.vision.saliency import focal_point

MIN_USABLE_SHORT_SIDE = 400
"""Short side under which a photo looks soft even in a 540x960 preview.

Listing exports are often 640x427, so 720 (what 1080p would need) would turn most MLS photos
away; the storyboard may ask for more with `min_short_side`.
"""


@dataclass(frozen=True)
class MeasuredPhoto:
    """One decoded photo with everything measured but its room."""

    index: int
    path: Path
    width: int
    height: int
    rgb: RGBArray
    """The photo at analysis size, for whoever names the room."""
    quality: QualityMetrics
    fingerprint: PhotoFingerprint
    focal_point: tuple[float, float]


@dataclass(frozen=True)
class RoomCall:
    room: RoomType
    confidence: float
    analyser: str


def orientation_of(width: int, height: int) -> Orientation:
    if abs(width - height) <= 0.02 * max(width, height):
        return "square"
    return "landscape" if width > height else "portrait"


def measure_photo(index: int, path: Path) -> MeasuredPhoto:
    """Decode and measure one photo; raises `PhotoError` when it cannot be read."""
    decoded = load_photo(path, max_side=ANALYSIS_SIDE, min_short_side=1)
    rgb = to_analysis_size(decoded.rgb)
    return MeasuredPhoto(
        index=index,
        path=path,
        width=decoded.original_width,
        height=decoded.original_height,
        rgb=rgb,
        quality=measure_quality(rgb),
        fingerprint=fingerprint(rgb, dct_phash(rgb)),
        focal_point=focal_point(rgb),
    )


def measure_batch(paths: Sequence[Path]) -> tuple[list[MeasuredPhoto], list[PhotoFailure]]:
    """Measure each photo; collect a failure for each one that cannot be read."""
    measured: list[MeasuredPhoto] = []
    failures: list[PhotoFailure] = []
    for index, path in enumerate(paths):
        try:
            measured.append(measure_photo(index, Path(path)))
        except PhotoError as exc:
            failures.append(
                PhotoFailure(
                    path=Path(path), index=index, code=exc.code, message=exc.message, hint=exc.hint
                )
            )
    return measured, failures


def _originals(measured: Sequence[MeasuredPhoto]) -> dict[int, MeasuredPhoto]:
    """For each duplicate, the copy kept: the largest, then the sharpest (by batch index)."""
    prints = {m.index: m.fingerprint for m in measured}
    by_index = {m.index: m for m in measured}
    size = max(by_index, default=-1) + 1
    groups = duplicate_groups([prints.get(i) for i in range(size)])
    originals: dict[int, MeasuredPhoto] = {}
    for group in groups:
        members = [by_index[i] for i in group]
        best = max(members, key=lambda m: (m.width * m.height, m.quality.sharpness, -m.index))
        for member in members:
            if member.index != best.index:
                originals[member.index] = best
    return originals


def assemble(
    measured: Sequence[MeasuredPhoto],
    rooms: Sequence[RoomCall],
    failures: Sequence[PhotoFailure],
    *,
    min_short_side: int = MIN_USABLE_SHORT_SIDE,
) -> PhotoBatch:
    """The batch's analyses: duplicates resolved, reject reasons written."""
    originals = _originals(measured)
    results: list[PhotoAnalysis] = []
    for photo, room in zip(measured, rooms, strict=True):
        reasons: list[str] = []
        if min(photo.width, photo.height) < min_short_side:
            reasons.append(
                f"too small: {photo.width}x{photo.height}, need {min_short_side} on the short side"
            )
        reasons.extend(photo.quality.reject_reasons())
        original = originals.get(photo.index)
        if original is not None:
            reasons.append(f"duplicate of {original.index} ({original.path.name})")
        q = photo.quality
        results.append(
            PhotoAnalysis(
                path=photo.path,
                index=photo.index,
                width=photo.width,
                height=photo.height,
                orientation=orientation_of(photo.width, photo.height),
                room=room.room,
                room_confidence=min(max(room.confidence, 0.0), 1.0),
                sharpness=q.sharpness,
                exposure=q.exposure,
                clipped_highlights=q.clipped_highlights,
                clipped_shadows=q.clipped_shadows,
                colour_cast=q.colour_cast,
                phash=photo.fingerprint.phash,
                duplicate_of=original.index if original is not None else None,
                focal_point=Point(x=photo.focal_point[0], y=photo.focal_point[1]),
                reject_reasons=reasons,
                analyser=room.analyser,
            )
        )
    return PhotoBatch(results=results, failures=list(failures))
