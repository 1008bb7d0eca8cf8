"""`reelestate make --presenter PHOTO --avatar did` end to end against a local D-ID-compatible
server: the presenter in the corner speaking our narration; with the server failing, the same
command completes with the portrait presenter and report.json says why. The `intro` layout
shows the presenter full frame first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.render.presenter import presenter_rect
from reelestate.render.probe import inspect_video
from reelestate.services.presenter import PresenterChoice, present_on_video
from tests.conftest import PHOTOS
from tests.providers.avatar.fake_avatar_server import DID_KEY, FakeAvatarServices
from tests.providers.avatar.material import headshot
from tests.render.helpers import frame_at
from tests.services import test_presenter as presented

runner = CliRunner()
LISTING = [
    *(str(p) for p in sorted((PHOTOS / "listing1").glob("*.jpg"))[:5]),
    *("--address", "12 Oak St, Paso Robles CA", "--price", "$529,000"),
    *("--beds", "3", "--baths", "2", "--area", "1826"),
    *("--preview", "--length", "6"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAvatarServices]:
    with FakeAvatarServices().running() as service:
        yield service


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module: the second make reuses the first one's shots."""
    return tmp_path_factory.mktemp("make-presenter")


@pytest.fixture
def env(server: FakeAvatarServices, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "REELESTATE_DATA_DIR": str(data),
        "DID_API_KEY": DID_KEY,
        "DID_BASE_URL": server.base_url,
        "REELESTATE_AVATAR_TIMEOUT": "3",
        "REELESTATE_AVATAR_POLL_S": "0.01",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def _magenta(pixels: np.ndarray) -> float:  # type: ignore[type-arg]
    return float(((pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] > 180)).mean())


def _make(tmp: Path, *extra: str, shade: int = 0) -> tuple[dict, Path]:  # type: ignore[type-arg]
    """`make` with a headshot; `shade` changes one pixel so the presenter is not a cached one."""
    out = tmp / "out"
    tmp.mkdir(parents=True, exist_ok=True)
    face = headshot(tmp / "face.png")
    if shade:
        img = Image.open(face)
        img.putpixel((0, 0), (shade, shade, shade))
        img.save(face)
    result = runner.invoke(
        app, ["make", *LISTING, "--presenter", str(face), *extra, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text()), out / "video.mp4"


@pytest.mark.usefixtures("env")
def test_did_presenter_in_the_corner_then_the_portrait_when_did_fails(
    server: FakeAvatarServices, tmp_path: Path
) -> None:
    server.mode = "ok"
    report, video = _make(tmp_path / "did", "--avatar", "did")
    presenter = report["presenter"]
    assert presenter["provider"] == "did" and presenter["lip_synced"], json.dumps(presenter)
    # the server's clip is made from the narration we sent: the marker shows while it speaks
    info = inspect_video(video)
    box = presenter_rect("9:16", info.width, info.height)
    seen = max(
        _magenta(frame_at(video, t / 2)[box.y : box.bottom, box.x : box.x + box.w])
        for t in range(2, 11)
    )
    assert seen > 0.05
    assert server.count("/talks") >= 1 and server.count("/images") >= 1

    server.mode = "error"  # D-ID answers every talk with an error
    report, video = _make(tmp_path / "failing", "--avatar", "did", shade=7)
    presenter = report["presenter"]
    assert presenter["provider"] == "portrait" and not presenter["lip_synced"]
    assert presenter["fallbacks"][0].startswith("D-ID failed")
    assert any("not a lip-synced avatar" in note for note in presenter["notes"])
    assert any("not a lip-synced avatar" in note for note in report["length"]["notes"])
    assert inspect_video(video).video_duration > 4.5


def test_intro_layout_shows_the_presenter_full_frame_first(
    server: FakeAvatarServices, tmp_path: Path
) -> None:
    server.mode = "ok"
    result = presented._result(tmp_path)
    choice = PresenterChoice(photo=headshot(tmp_path / "face.jpg"), provider="did", layout="intro")
    settings = presented._settings(server, tmp_path)
    outcome = present_on_video(result, presented.SPEC, choice, settings, tmp_path / "w")
    assert outcome.provider == "did" and outcome.layout == "intro"
    full = frame_at(result.video, 0.9)  # voice from 0.4 s: the presenter fills the frame
    assert _magenta(full) > 0.2
    box = presenter_rect("9:16", presented.W, presented.H)
    outside = np.ones(full.shape[:2], bool)
    outside[box.y : box.bottom, box.x : box.x + box.w] = False
    assert _magenta(full[outside][None]) > 0.15  # not only in the corner
