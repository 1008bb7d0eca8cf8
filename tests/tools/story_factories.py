"""Listings and photo analyses built in code, for script and storyboard tests."""

from __future__ import annotations

import random
from pathlib import Path

from reelestate.providers.vision.base import PhotoAnalysis, Point, RoomType
from reelestate.tools.listing import Listing

ROOMS: tuple[RoomType, ...] = ("exterior", "kitchen", "bedroom", "bathroom", "living_room")
HIGHLIGHTS = (
    "renovated kitchen",
    "heated pool",
    "ocean view",
    "two-car garage",
    "wood-burning fireplace",
    "hardwood floors throughout",
    "walk-in closet",
    "solar panels",
    "fenced backyard",
    "close to shops and transit",
    "new roof in 2021",
    "quartz countertops",
    "perfect for families",
    "master suite with balcony",
    "safe area near the park",
)
STREETS = ("Oak Street", "Maple Avenue", "Harbor Road", "Elm Court", "Cedar Lane", "Hill Drive")


def analysis(
    index: int,
    room: RoomType,
    *,
    confidence: float = 0.95,
    focal: tuple[float, float] = (0.5, 0.5),
    size: tuple[int, int] = (1600, 1067),
    reject: tuple[str, ...] = (),
    duplicate_of: int | None = None,
    folder: Path = Path("/photos"),
) -> PhotoAnalysis:
    width, height = size
    return PhotoAnalysis(
        path=folder / f"photo{index:02d}.jpg",
        width=width,
        height=height,
        orientation="landscape" if width > height else "portrait" if height > width else "square",
        room=room,
        room_confidence=confidence,
        sharpness=0.8,
        exposure=0.0,
        clipped_highlights=0.01,
        clipped_shadows=0.01,
        colour_cast=0.02,
        phash=f"{random.Random(index).getrandbits(64):016x}",
        duplicate_of=duplicate_of,
        focal_point=Point(x=focal[0], y=focal[1]),
        reject_reasons=list(reject),
    )


def house(rooms: list[RoomType], folder: Path = Path("/photos")) -> list[PhotoAnalysis]:
    return [analysis(i, room, folder=folder) for i, room in enumerate(rooms)]


def random_listing(rng: random.Random) -> Listing:
    return Listing(
        address=f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
        city=rng.choice([None, "Springfield", "Riverside", "Lakewood"]),
        price=rng.choice([rng.randint(80, 3000) * 1000, rng.randint(80_000, 3_000_000)]),
        beds=rng.randint(0, 7),
        baths=rng.choice([1, 1.5, 2, 2.5, 3, 3.5, 4]),
        area_sqft=rng.randint(400, 9000),
        highlights=tuple(rng.sample(HIGHLIGHTS, rng.randint(0, 5))),
    )


def random_analyses(rng: random.Random) -> list[PhotoAnalysis]:
    count = rng.randint(5, 24)
    out = []
    for i in range(count):
        room: RoomType = rng.choice([*ROOMS, "unsure", "other"])
        reject = ("blurry",) if rng.random() < 0.1 else ()
        out.append(
            analysis(
                i,
                room,
                confidence=0.4 if room == "unsure" else rng.uniform(0.8, 1.0),
                focal=(rng.random(), rng.random()),
                reject=reject,
            )
        )
    return out
