"""The length asked is the length of the file: a short preview rendered at two lengths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelestate.core.settings import get_settings
from reelestate.render.probe import ffprobe_json
from reelestate.services.make_video import MakeRequest, make_video
from reelestate.tools.listing import Listing
from tests.conftest import PHOTOS

LISTING = Listing(
    address="12 Oak St",
    city="Paso Robles",
    price=529_000,
    beds=3,
    baths=2,
    area_sqft=1826,
    highlights=("renovated kitchen", "two-car garage"),
)


@pytest.mark.parametrize("seconds", [12, 20])
def test_a_preview_lasts_the_length_asked_cards_included(tmp_path: Path, seconds: int) -> None:
    request = MakeRequest(
        photos=[PHOTOS / "listing1"], listing=LISTING, length_seconds=seconds, preview=True
    )
    outputs = make_video(request, tmp_path / "out", get_settings())
    probed = float(ffprobe_json(outputs.video)["format"]["duration"])
    report = json.loads(outputs.report.read_text())
    assert report["length"]["asked_seconds"] == seconds
    assert abs(probed - seconds) <= 1 / 30 + 0.02  # exact to the frame, even at 12 s
    script = " ".join(line["text"] for line in report["script"])
    for fact in ("12 Oak St", "Paso Robles", "$529,000", "three bedrooms", "two baths",
                 "1,826 square feet", "renovated kitchen", "two-car garage"):  # fmt: skip
        assert fact.lower() in script.lower(), (fact, script)
    assert not any("no time to say" in note for note in outputs.notes)
    if seconds == 12:  # the voice starts in the cold open and speaks faster, and says so
        assert any("faster" in note for note in outputs.notes)
