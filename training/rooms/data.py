"""Labelled listing photos: labels from file names, duplicates out, split by house.

The split is by house so that no house has photos on both sides; copies of one capture
that appear under two houses are removed first, or a test photo would have its twin in
training and the figures would read high.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from reelestate.core.imaging import load_photo
from reelestate.providers.vision.duplicates import duplicate_groups, fingerprint
from reelestate.providers.vision.phash import dct_phash
from reelestate.providers.vision.quality import ANALYSIS_SIDE, to_analysis_size

FILE_LABELS = {
    "frontal": "exterior",
    "kitchen": "kitchen",
    "bedroom": "bedroom",
    "bathroom": "bathroom",
}
LABELS = ["exterior", "kitchen", "bedroom", "bathroom"]

TRAINING_CANDIDATE_DISTANCE = 16
"""Hash distance under which pairs get the keypoint check during dataset cleaning.

The product checks up to 26 bits; over the 800 houses-dev photos (320k pairs) that takes
minutes, and a full run found no pair between 16 and 26 bits that the keypoint check accepted.
"""
CLEANING_VERSION = 1
"""Part of the cache key of a cleaning result: raise it when the cleaning changes."""


@dataclass(frozen=True)
class LabelledPhoto:
    path: Path
    house: int
    label: str


@dataclass(frozen=True)
class Split:
    train: list[LabelledPhoto]
    val: list[LabelledPhoto]
    test: list[LabelledPhoto]
    removed: list[tuple[LabelledPhoto, str]]


def list_photos(data_dirs: list[Path]) -> list[LabelledPhoto]:
    """Every `<house>_<room>.jpg` in the folders, sorted by house then file name.

    House numbers are unique across the folders (houses-dev 1-200, houses-more 301-535), so
    a house never spans two folders.
    """
    photos = []
    for data_dir in data_dirs:
        for path in sorted(data_dir.glob("*_*.jpg")):
            house, room = path.stem.split("_", 1)
            photos.append(LabelledPhoto(path=path, house=int(house), label=FILE_LABELS[room]))
    houses_per_dir = [{p.house for p in photos if p.path.parent == d} for d in data_dirs]
    for i, first in enumerate(houses_per_dir):
        for second in houses_per_dir[i + 1 :]:
            if first & second:
                raise ValueError(f"house numbers appear in two folders: {sorted(first & second)}")
    return sorted(photos, key=lambda p: (p.house, p.path.name))


def remove_duplicates(
    photos: list[LabelledPhoto],
) -> tuple[list[LabelledPhoto], list[tuple[LabelledPhoto, str]]]:
    """Keep one photo of each duplicate group; drop whole groups whose labels disagree.

    All photos of all folders are compared with each other, so a copy across two folders
    goes as well as one inside a folder.
    """
    from reelestate.providers.vision import duplicates  # noqa: PLC0415

    duplicates.CANDIDATE_HASH_DISTANCE = TRAINING_CANDIDATE_DISTANCE
    prints = []
    for photo in photos:
        rgb = to_analysis_size(load_photo(photo.path, max_side=ANALYSIS_SIDE, min_short_side=1).rgb)
        prints.append(fingerprint(rgb, dct_phash(rgb)))
    removed: list[tuple[LabelledPhoto, str]] = []
    drop: set[int] = set()
    for group in duplicate_groups(prints):
        names = ", ".join(photos[i].path.name for i in group)
        if len({photos[i].label for i in group}) > 1:
            drop.update(group)
            removed.extend((photos[i], f"same photo, conflicting labels: {names}") for i in group)
            continue
        for i in group[1:]:
            drop.add(i)
            removed.append((photos[i], f"copy of {photos[group[0]].path.name}"))
    kept = [p for i, p in enumerate(photos) if i not in drop]
    return kept, removed


def split_by_house(
    photos: list[LabelledPhoto], *, seed: int, test_houses: int, val_houses: int
) -> tuple[list[LabelledPhoto], list[LabelledPhoto], list[LabelledPhoto]]:
    houses = sorted({p.house for p in photos})
    random.Random(seed).shuffle(houses)
    test = set(houses[:test_houses])
    val = set(houses[test_houses : test_houses + val_houses])
    return (
        [p for p in photos if p.house not in test and p.house not in val],
        [p for p in photos if p.house in val],
        [p for p in photos if p.house in test],
    )


def _cleaned(
    photos: list[LabelledPhoto], cache: Path
) -> tuple[list[LabelledPhoto], list[tuple[LabelledPhoto, str]]]:
    """`remove_duplicates`, remembered in `cache` for the same files (it takes minutes)."""
    listing = [[str(p.path), p.path.stat().st_size] for p in photos]
    key = hashlib.sha256(json.dumps([CLEANING_VERSION, listing]).encode()).hexdigest()[:16]
    target = cache / f"cleaned-{key}.json"
    by_path = {str(p.path): p for p in photos}
    if target.exists():
        saved = json.loads(target.read_text(encoding="utf-8"))
        return [by_path[k] for k in saved["kept"]], [(by_path[k], w) for k, w in saved["removed"]]
    kept, removed = remove_duplicates(photos)
    cache.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(
            {"kept": [str(p.path) for p in kept], "removed": [[str(p.path), w] for p, w in removed]}
        ),
        encoding="utf-8",
    )
    return kept, removed


def prepare(
    data_dirs: list[Path], *, seed: int, test_houses: int, val_houses: int, cache: Path
) -> Split:
    kept, removed = _cleaned(list_photos(data_dirs), cache)
    train, val, test = split_by_house(
        kept, seed=seed, test_houses=test_houses, val_houses=val_houses
    )
    return Split(train=train, val=val, test=test, removed=removed)
