"""Which photos a video shows, in what order, and why the others are left out.

The order tells the story of a visit: arrive (the best exterior), walk through the living
areas and the kitchen, then the bedrooms and the bathrooms, and leave (a second exterior, or
the outro card). Photos whose room is not known sit between the shared rooms and the private
ones. Two near-identical photos (close perceptual hashes) are never shown back to back. A
length has room for about one photo every three seconds, so a short video keeps one photo of
each kind first and fills up with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import InvalidInputError
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS
from reelestate.providers.vision.base import PhotoAnalysis, RoomType
from reelestate.render.timeline import card_seconds
from reelestate.tools.script_facts import confident_room

SECONDS_PER_PHOTO = 3.0
ShotRole = Literal["opening", "body", "closing"]

_GROUP: dict[str, int] = {
    "exterior": 0,
    "living_room": 1,
    "kitchen": 2,
    "other": 3,
    "unsure": 3,
    "bedroom": 4,
    "bathroom": 5,
}
NEAR_IDENTICAL_BITS = 10
"""Perceptual hashes this close (of 64 bits) show the same view twice."""
_PRIORITY: tuple[str, ...] = ("kitchen", "living_room", "bedroom", "bathroom")


class PlannedShot(BaseModel):
    model_config = ConfigDict(frozen=True)

    photo_index: int
    room: RoomType
    """The confident room label, or `unsure` when the photo's label cannot be stated."""
    role: ShotRole = "body"


class DroppedPhoto(BaseModel):
    model_config = ConfigDict(frozen=True)

    photo_index: int
    path: str
    reasons: tuple[str, ...]
    rejected: bool
    """True for a photo unfit to show; False for a good photo the length had no room for."""


class ShotPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    shots: tuple[PlannedShot, ...]
    dropped: tuple[DroppedPhoto, ...]


def photo_budget(length_seconds: float) -> int:
    """How many photos a video of this length shows (the cards' time is not theirs)."""
    photos_seconds = max(0.0, length_seconds - sum(card_seconds()))
    return max(MIN_PHOTOS, min(MAX_PHOTOS, round(photos_seconds / SECONDS_PER_PHOTO)))


def _rejections(analyses: Sequence[PhotoAnalysis]) -> dict[int, tuple[str, ...]]:
    out: dict[int, tuple[str, ...]] = {}
    for i, a in enumerate(analyses):
        reasons = list(a.reject_reasons)
        if a.duplicate_of is not None and not any("duplicate" in r for r in reasons):
            reasons.append(f"duplicate of photo {a.duplicate_of + 1}")
        if reasons:
            out[i] = tuple(reasons)
    return out


def photo_quality(a: PhotoAnalysis) -> float:
    """How good a photo looks on screen: a confident label, sharp, well exposed."""
    return a.room_confidence + min(a.sharpness, 1.0) * 0.1 - abs(a.exposure) * 0.2


_quality = photo_quality


def near_identical(a: PhotoAnalysis, b: PhotoAnalysis) -> bool:
    """True when two photos show much the same view (their perceptual hashes are close)."""
    try:
        distance = bin(int(a.phash, 16) ^ int(b.phash, 16)).count("1")
    except ValueError:
        return False
    return distance <= NEAR_IDENTICAL_BITS


def _spread_similar(
    ordered: list[tuple[int, RoomType]], analyses: Sequence[PhotoAnalysis]
) -> list[tuple[int, RoomType]]:
    """`ordered` with a photo that repeats the one before moved after the next different one."""
    out = list(ordered)
    for i in range(1, len(out)):
        if not near_identical(analyses[out[i - 1][0]], analyses[out[i][0]]):
            continue
        for j in range(i + 1, len(out)):
            if not near_identical(analyses[out[i - 1][0]], analyses[out[j][0]]):
                out.insert(i, out.pop(j))
                break
    return out


def _select(
    candidates: Sequence[tuple[int, str]], analyses: Sequence[PhotoAnalysis], n: int
) -> set[int]:
    """Up to n photo indices: an opening and closing exterior, one of each room, then the rest."""
    by_room: dict[str, list[int]] = {}
    for i, room in candidates:
        by_room.setdefault(room, []).append(i)
    for indices in by_room.values():
        indices.sort(key=lambda i: -_quality(analyses[i]))
    picked: list[int] = []
    queues = {room: list(indices) for room, indices in by_room.items()}
    order = ["exterior", *_PRIORITY, "exterior", "other", "unsure"]
    while len(picked) < n and any(queues.values()):
        for room in order:
            if len(picked) >= n:
                break
            if queues.get(room):
                picked.append(queues[room].pop(0))
        order = [*_PRIORITY, "other", "unsure", "exterior"]
    return set(picked)


def plan_shots(
    analyses: Sequence[PhotoAnalysis],
    length_seconds: float = 30,
    *,
    min_photos: int = MIN_PHOTOS,
    max_photos: int | None = None,
) -> ShotPlan:
    """Choose and order photos for a video; rejects and left-outs come back with reasons."""
    rejected = _rejections(analyses)
    candidates = [
        (i, confident_room(a) or ("other" if a.room == "other" else "unsure"))
        for i, a in enumerate(analyses)
        if i not in rejected
    ]
    if len(candidates) < min_photos:
        dropped = "; ".join(f"photo {i + 1}: {', '.join(r)}" for i, r in rejected.items())
        raise InvalidInputError(
            f"Only {len(candidates)} usable photos; a video needs at least {min_photos}."
            + (f" Left out: {dropped}." if dropped else ""),
            hint="Add more photos of the property, or replace the ones left out.",
        )
    budget = max_photos if max_photos is not None else photo_budget(length_seconds)
    chosen = _select(candidates, analyses, budget)
    ordered = sorted((c for c in candidates if c[0] in chosen), key=lambda c: (_GROUP[c[1]], c[0]))
    exteriors = [c for c in ordered if c[1] == "exterior"]
    if len(exteriors) >= 2:
        # The best exterior opens; the next one closes the visit.
        best = max(exteriors, key=lambda c: _quality(analyses[c[0]]))
        closing = next(c for c in exteriors if c != best)
        ordered = [best, *(c for c in ordered if c not in (best, closing)), closing]
    elif len(exteriors) == 1:
        ordered = [exteriors[0], *(c for c in ordered if c != exteriors[0])]
    ordered = _spread_similar(ordered, analyses)
    shots = [PlannedShot(photo_index=i, room=room, role="body") for i, room in ordered]
    if shots:
        shots[0] = shots[0].model_copy(update={"role": "opening"})
    if len(shots) > 1 and len(exteriors) >= 2:
        shots[-1] = shots[-1].model_copy(update={"role": "closing"})
    dropped_list = [
        DroppedPhoto(photo_index=i, path=str(analyses[i].path), reasons=r, rejected=True)
        for i, r in rejected.items()
    ]
    dropped_list += [
        DroppedPhoto(
            photo_index=i,
            path=str(analyses[i].path),
            reasons=(f"no room in a {length_seconds:g} s video (it shows {budget} photos)",),
            rejected=False,
        )
        for i, _ in candidates
        if i not in chosen
    ]
    dropped_list.sort(key=lambda d: d.photo_index)
    return ShotPlan(shots=tuple(shots), dropped=tuple(dropped_list))


def weakest_first(
    shots: Sequence[PlannedShot], analyses: Sequence[PhotoAnalysis], *, keep: set[int]
) -> list[PlannedShot]:
    """The shots a short video leaves out first: a near-duplicate of another shot, then an
    unsure room, then the lowest quality; never the opening photo or one in `keep`."""

    def repeats(shot: PlannedShot) -> bool:
        return any(
            other.photo_index != shot.photo_index
            and near_identical(analyses[shot.photo_index], analyses[other.photo_index])
            for other in shots
        )

    candidates = [s for s in shots[1:] if s.photo_index not in keep]
    return sorted(
        candidates,
        key=lambda s: (
            not repeats(s),
            s.room not in ("unsure", "other"),
            _quality(analyses[s.photo_index]),
        ),
    )
