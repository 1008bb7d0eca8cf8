"""`reelestate make` end to end on real listing photos, and its refusals before any rendering."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.api.cli import app
from reelestate.render.probe import ExpectedVideo, check_report, inspect_video
from reelestate.tools.listing import Listing
from reelestate.tools.make import MakeRequest, make_video
from tests import photo_factory as pf
from tests.conftest import PHOTOS

LISTING1 = PHOTOS / "listing1"
FACTS = [
    "--address",
    "12 Oak St, Paso Robles CA",
    "--price",
    "$529,000",
    "--beds",
    "3",
    "--baths",
    "2",
    "--area",
    "1826",
]
runner = CliRunner()


def test_make_end_to_end_on_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "make",
            str(LISTING1),
            *FACTS,
            "--highlights",
            "new roof; big backyard",
            "--style",
            "cozy",
            "--preview",
            "--length",
            "15",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "report.json",
        "storyboard.json",
        "thumbnail.jpg",
        "video.mp4",
        "video.srt",
    ]
    report = json.loads((out / "report.json").read_text())
    rooms = {row["room"] for row in report["analysis"]}
    assert {"exterior", "kitchen", "bedroom", "bathroom"} <= rooms
    stated = {fact for line in report["script"] for fact in line["facts"]}
    assert stated <= {
        "address",
        "price",
        "beds",
        "baths",
        "area",
        "highlight:0",
        "highlight:1",
        "room:exterior",
        "room:kitchen",
        "room:bedroom",
        "room:bathroom",
    }
    assert {"rendered", "analysed"} <= set(report["timings"])
    probe = inspect_video(out / "video.mp4")
    frames = round(probe.video_duration * 30)
    assert (
        check_report(
            probe,
            ExpectedVideo(width=540, height=960, fps=30, frames=frames, require_high_profile=False),
        )
        == []
    )
    text = (out / "video.srt").read_text()
    assert "$529,000" in text or "529,000" in text
    assert "ocean" not in text.lower()


def _request(photos: list[Path], **listing: object) -> MakeRequest:
    facts: dict[str, object] = {
        "address": "12 Oak St",
        "price": 529000,
        "beds": 3,
        "baths": 2,
        "area_sqft": 1826,
    }
    facts.update(listing)
    return MakeRequest(photos=photos, listing=Listing.model_validate(facts), preview=True)


def test_too_few_and_too_many_photos_are_refused_before_analysis(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="at least 5"):
        make_video(_request([LISTING1 / "1-frontal.jpg"]), tmp_path / "a")
    many = tmp_path / "many"
    many.mkdir()
    for i in range(41):
        shutil.copy(LISTING1 / "1-frontal.jpg", many / f"p{i:02d}.jpg")
    with pytest.raises(Exception, match="at most 40"):
        make_video(_request([many]), tmp_path / "b")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_missing_fact_is_named(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "make",
            str(LISTING1),
            "--address",
            "12 Oak St",
            "--beds",
            "3",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "missing" in result.output and "price" in result.output
    assert not (tmp_path / "o").exists()


def test_negative_price_is_refused(tmp_path: Path) -> None:
    args = ["make", str(LISTING1), *FACTS, "--out", str(tmp_path / "o")]
    args[args.index("$529,000")] = "-5"
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "price" in result.output.lower()
    assert "Traceback" not in result.output


def test_a_corrupt_photo_is_dropped_with_its_reason_and_the_rest_render(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    shutil.copytree(LISTING1, folder)
    pf.corrupt_jpeg(folder)
    outputs = make_video(
        _request([folder]).model_copy(update={"length_seconds": 15}), tmp_path / "out"
    )
    report = json.loads(outputs.report.read_text())
    reasons = {Path(d["path"]).name: d["reasons"] for d in report["dropped_photos"]}
    assert "corrupt.jpg" in reasons
    assert "damaged" in reasons["corrupt.jpg"][0]
    assert outputs.video.exists()
