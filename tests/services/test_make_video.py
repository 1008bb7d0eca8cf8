"""`reelestate make` end to end on real listing photos, and its refusals before any rendering."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import Settings, get_settings
from reelestate.render.loudness import measure_loudness
from reelestate.render.probe import ExpectedVideo, check_report, inspect_video
from reelestate.render.spec import PREVIEW_FPS
from reelestate.services.make_video import MakeRequest, make_video
from reelestate.tools.listing import Listing
from tests import music_files as mf
from tests import photo_factory as pf
from tests.conftest import PHOTOS
from tests.render.test_audio_mix import band_level

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
        "contact-sheet.jpg",
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
    assert report["settings"]["music"] == {"mood": "warm"}  # the cozy style's bed
    storyboard = json.loads((out / "storyboard.json").read_text())
    assert storyboard["music"]["mood"] == "warm" and storyboard["music"]["path"] is None
    probe = inspect_video(out / "video.mp4")
    frames = round(probe.video_duration * PREVIEW_FPS)
    expected = ExpectedVideo(
        width=540, height=960, fps=PREVIEW_FPS, frames=frames, require_high_profile=False
    )
    assert check_report(probe, expected) == []
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
        make_video(_request([LISTING1 / "1-frontal.jpg"]), tmp_path / "a", get_settings())
    many = tmp_path / "many"
    many.mkdir()
    for i in range(41):
        shutil.copy(LISTING1 / "1-frontal.jpg", many / f"p{i:02d}.jpg")
    with pytest.raises(Exception, match="at most 40"):
        make_video(_request([many]), tmp_path / "b", get_settings())
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_the_photo_limits_come_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        REELESTATE_DATA_DIR=tmp_path, REELESTATE_MIN_PHOTOS=2, REELESTATE_MAX_PHOTOS=3
    )  # type: ignore[call-arg]
    with pytest.raises(Exception, match="at most 3"):
        make_video(_request([LISTING1]), tmp_path / "a", settings)
    with pytest.raises(Exception, match="at least 2"):
        make_video(_request([LISTING1 / "1-frontal.jpg"]), tmp_path / "b", settings)


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
        _request([folder]).model_copy(update={"length_seconds": 15}),
        tmp_path / "out",
        get_settings(),
    )
    report = json.loads(outputs.report.read_text())
    reasons = {Path(d["path"]).name: d["reasons"] for d in report["dropped_photos"]}
    assert "corrupt.jpg" in reasons
    assert "damaged" in reasons["corrupt.jpg"][0]
    assert outputs.video.exists()


def _speech(srt: str) -> list[tuple[float, float]]:
    """(start, end) of every caption cue, in seconds: when the narration speaks."""

    def seconds(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(rest.replace(",", "."))

    cues = re.findall(r"([\d:,]{12}) --> ([\d:,]{12})", srt)
    return [(seconds(a), seconds(b)) for a, b in cues]


def test_make_with_music_plays_the_track_ducked_under_the_voice(tmp_path: Path) -> None:
    track = mf.music(tmp_path / "Our Song.m4a", 11.0, freq=2500, extra=("-c:a", "aac"))
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["make", str(LISTING1), *FACTS, "--preview", "--length", "30", "--out", str(out),
         "--music", str(track)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["settings"]["music"]["track"] == "Our Song.m4a"
    assert report["settings"]["music"]["codec"] == "aac"
    storyboard = json.loads((out / "storyboard.json").read_text())
    assert Path(storyboard["music"]["path"]).name == "Our Song.m4a"
    probe = inspect_video(out / "video.mp4")
    assert (probe.audio_rate, probe.audio_channels) == (48000, 2)
    # A preview's mix is normalised in one pass: within a couple of LU of the -14 target.
    loudness = measure_loudness(out / "video.mp4")
    assert loudness.integrated_lufs == pytest.approx(-14.0, abs=2.5)
    assert loudness.true_peak_dbtp < 0

    samples = mf.samples_48k(out / "video.mp4")
    duration = len(samples) / 48000
    speech = _speech((out / "video.srt").read_text())
    first, last = speech[0][0], speech[-1][1]
    assert first >= 1.2 and last > 8 and duration - last > 2.5, (speech, duration)
    assert duration == pytest.approx(30, abs=0.05)
    before_voice = band_level(samples, 0.6, first - 0.1, 2500)
    under_voice = band_level(samples, first + 1.0, first + 3.0, 2500)
    # After the 11 s track has ended once the loop goes on, and swells back when the voice stops
    # (less than before the voice: a preview's one-pass loudnorm rides the gain).
    after_voice = band_level(samples, last + 0.5, duration - 2.1, 2500)
    assert under_voice < 0.5 * before_voice, (under_voice, before_voice)
    assert after_voice > 1.5 * under_voice, (after_voice, under_voice)


def test_make_refuses_a_bad_track_before_any_work(tmp_path: Path) -> None:
    jingle = mf.music(tmp_path / "jingle.mp3", 4.0)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["make", str(LISTING1), *FACTS, "--out", str(out), "--music", str(jingle)]
    )
    assert result.exit_code == 2, result.output
    assert "4 s long; music beds need at least 10 s" in result.output
    assert not out.exists()
