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
LEAST_CONFIDENT = 4
TOLERANCE = 1e-3
ROOMS = ["frontal", "kitchen", "bedroom", "bathroom"]


def model_digest(model_dir: Path) -> str:
    """SHA-256 of the shipped model and its settings, so the pins name the model they fit."""
    digest = hashlib.sha256()
    for name in ("rooms.onnx", "rooms.json"):
        digest.update((model_dir / name).read_bytes())
    return digest.hexdigest()


def chosen_photos(fixtures: Path, classifier: RoomClassifier) -> list[Path]:
    """The first photo of each room by file name, and the least confident photos.

    Photos near the threshold move first when preprocessing or a kernel drifts, so they are
    the sharpest check; the confident ones show that the ordinary case holds.
    """
    first = [sorted(fixtures.glob(f"*_{room}.jpg"))[0] for room in ROOMS]
    rest = [p for p in sorted(fixtures.glob("*.jpg")) if p not in first]
    found = classifier.predict([load_room_photo(p) for p in rest])
    ranked = sorted(zip(rest, found, strict=True), key=lambda pair: pair[1].confidence)
    return first + [path for path, _ in ranked[:LEAST_CONFIDENT]]


def main() -> None:
    model_dir = default_model_dir()
    classifier = RoomClassifier(model_dir, threads=1)
    paths = chosen_photos(FIXTURES, classifier)
    predictions = classifier.predict([load_room_photo(p) for p in paths])
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
