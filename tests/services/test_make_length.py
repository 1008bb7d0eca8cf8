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
    if seconds == 20:  # room for everything: exact to the frame
        assert abs(probed - seconds) <= 1 / 30 + 0.02
    else:  # the address alone fills a 12 s video: a little longer, and it says so
        assert abs(probed - seconds) <= 1.0
        assert any("longer" in note for note in outputs.notes)
    assert "12 Oak St" in " ".join(line["text"] for line in report["script"])
    if seconds == 12:
        assert any("no time to say" in note for note in outputs.notes)
