"""Pin the room classifier's outputs on a few shipped photos: `make rooms-golden`.

`tests/providers/vision/test_vision_room_golden.py` compares the classifier with the file this
writes, so that a library upgrade that moves a prediction fails loudly instead of quietly
changing how many photos are `unsure`. Run it after retraining, or after checking that a
library change moves the outputs for a good reason; review the diff before committing it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reelestate.providers.vision.room_input import load_room_photo
from reelestate.providers.vision.rooms import RoomClassifier, default_model_dir

FIXTURES = Path("tests/fixtures/rooms")
GOLDEN = Path("tests/providers/vision/rooms_golden.json")
PER_ROOM = 2
TOLERANCE = 1e-3
ROOMS = ["frontal", "kitchen", "bedroom", "bathroom"]


def model_digest(model_dir: Path) -> str:
    """SHA-256 of the shipped model and its settings, so the pins name the model they fit."""
    digest = hashlib.sha256()
    for name in ("rooms.onnx", "rooms.json"):
        digest.update((model_dir / name).read_bytes())
    return digest.hexdigest()


def chosen_photos(fixtures: Path) -> list[Path]:
    """The first photos of each room by file name: fixed, not picked by how they score."""
    return [
        path
        for room in ROOMS
        for path in sorted(fixtures.glob(f"*_{room}.jpg"), key=lambda p: p.name)[:PER_ROOM]
    ]


def main() -> None:
    model_dir = default_model_dir()
    paths = chosen_photos(FIXTURES)
    predictions = RoomClassifier(model_dir, threads=1).predict([load_room_photo(p) for p in paths])
    golden = {
        "model_sha256": model_digest(model_dir),
        "tolerance": TOLERANCE,
        "photos": [
            {"file": p.name, "room": found.room, "confidence": round(found.confidence, 6)}
            for p, found in zip(paths, predictions, strict=True)
        ],
    }
    GOLDEN.write_text(json.dumps(golden, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(paths)} photos)")


if __name__ == "__main__":
    main()
