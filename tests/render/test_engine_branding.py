"""Brand kit, disclosure label, unbranded cut and every aspect, checked on rendered frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelestate.render.engine import render_video
from reelestate.render.fonts import REGULAR
from reelestate.render.probe import inspect_video
from reelestate.render.spec import RenderSpec
from tests.render.helpers import HOUSE, frame_at, small_spec


def _quick(**extra: object) -> RenderSpec:
    base: dict[str, object] = {
        "profile": "preview",
        "narration": None,
        "music": None,
        "scenes": [
            {"photo": str(HOUSE / "kitchen.jpg"), "duration": 1.5, "motion": {"kind": "static"}},
            {"photo": str(HOUSE / "bedroom.jpg"), "duration": 1.5, "motion": {"kind": "zoom_in"}},
        ],
        "brand": {"name": "Harbor & Pine", "intro_card": False, "outro_card": False},
    }
    base.update(extra)
    return small_spec(**base)


def _logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    img = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    img.paste((255, 0, 255, 255), (0, 0, 400, 120))
    img.save(path)
    return path


def _magenta(frame: np.ndarray) -> int:  # type: ignore[type-arg]
    r, g, b = frame[..., 0].astype(int), frame[..., 1].astype(int), frame[..., 2].astype(int)
    return int(((r > 180) & (b > 180) & (g < 90)).sum())


def test_logo_shows_on_photos_and_not_in_the_unbranded_cut(tmp_path: Path) -> None:
    brand = {"logo": str(_logo(tmp_path)), "intro_card": False, "outro_card": False}
    branded = render_video(_quick(brand=brand), tmp_path / "a", cache_dir=tmp_path / "c")
    assert _magenta(frame_at(branded.video, 0.7)) > 500
    mls = render_video(
        _quick(brand=brand, flags={"unbranded": True}), tmp_path / "b", cache_dir=tmp_path / "c"
    )
    assert _magenta(frame_at(mls.video, 0.7)) == 0


def test_ai_disclosure_label_appears_only_on_generated_shots(tmp_path: Path) -> None:
    spec = _quick()
    scenes = [spec.scenes[0].model_copy(update={"ai_generated": True}), spec.scenes[1]]
    labelled = render_video(
        spec.model_copy(update={"scenes": scenes}), tmp_path / "a", cache_dir=tmp_path / "c"
    )
    plain = render_video(spec, tmp_path / "b", cache_dir=tmp_path / "c")

    def top_right(video: Path, t: float) -> np.ndarray:  # type: ignore[type-arg]
        frame = frame_at(video, t).astype(int)
        return frame[: frame.shape[0] // 6, frame.shape[1] // 2 :]

    assert np.abs(top_right(labelled.video, 0.7) - top_right(plain.video, 0.7)).mean() > 2
    assert np.abs(top_right(labelled.video, 2.6) - top_right(plain.video, 2.6)).mean() < 1.5


def test_custom_brand_font_and_cards_render(tmp_path: Path) -> None:
    brand = {
        "font": str(REGULAR),
        "logo": str(_logo(tmp_path)),
        "agent_name": "Dana Whitfield",
        "agent_phone": "(805) 555-0142",
    }
    spec = _quick(brand=brand, narration={"text": "Welcome home.", "offset": 0.2})
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "c")
    # To the frame: a preview's 15 frames a second cannot land on every half second.
    assert result.duration == pytest.approx(2.5 + 3.0 + 3.0, abs=1 / spec.frame_rate)
    intro = frame_at(result.video, 0.5)
    assert _magenta(intro) > 500  # the logo sits on the intro card


@pytest.mark.parametrize(
    ("aspect", "size"), [("16:9", (540, 304)), ("1:1", (540, 540)), ("4:5", (540, 676))]
)
def test_every_aspect_renders_at_its_size(
    tmp_path: Path, aspect: str, size: tuple[int, int]
) -> None:
    result = render_video(_quick(aspect=aspect), tmp_path / "out", cache_dir=tmp_path / "c")
    report = inspect_video(result.video)
    assert (report.width, report.height) == size
