from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidSpecError
from reelestate.render.spec import load_spec, parse_spec


def _scene(duration: float = 3.0, **extra: object) -> dict[str, object]:
    return {"photo": "a.jpg", "duration": duration, **extra}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scenes": [_scene(0)]}, "a scene lasts 0.5 to 30 seconds, got 0"),
        ({"scenes": [_scene(25)] * 24}, "the longest we render is 180 s"),
        ({"scenes": [_scene(600)]}, "got 600"),
        ({"scenes": []}, "at least one scene"),
        ({"scenes": [_scene()], "aspect": "3:2"}, "aspect"),
        (
            {"scenes": [_scene(2, transition={"kind": "crossfade", "duration": 1.5}), _scene()]},
            "half as long",
        ),
        ({"scenes": [_scene()], "brand": {"primary_color": "red"}}, "#RRGGBB"),
        ({"scenes": [_scene(caption="x" * 500)]}, "caption"),
        ({"scenes": [_scene()], "colour": "blue"}, "colour"),
    ],
)
def test_bad_specs_fail_with_the_field_named(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidSpecError) as info:
        parse_spec(data)
    assert message in info.value.message
    assert info.value.user_error


def test_sizes_per_aspect_and_preview() -> None:
    assert parse_spec({"scenes": [_scene()], "aspect": "16:9"}).size == (1920, 1080)
    assert parse_spec({"scenes": [_scene()], "aspect": "4:5"}).size == (1080, 1350)
    assert parse_spec({"scenes": [_scene()], "aspect": "1:1", "profile": "preview"}).size == (
        540,
        540,
    )
    assert parse_spec({"scenes": [_scene()], "profile": "preview"}).size == (540, 960)


def test_load_spec_anchors_paths_and_applies_overrides(tmp_path: Path) -> None:
    (tmp_path / "sb.json").write_text(
        json.dumps({"scenes": [_scene()], "brand": {"logo": "logo.png"}})
    )
    spec = load_spec(tmp_path / "sb.json", aspect="1:1", preview=True)
    assert spec.scenes[0].photo == tmp_path / "a.jpg"
    assert spec.brand.logo == tmp_path / "logo.png"
    assert spec.aspect == "1:1" and spec.profile == "preview"


def test_load_spec_reports_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidSpecError, match="not found"):
        load_spec(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{ not json")
    with pytest.raises(InvalidSpecError, match="not valid JSON"):
        load_spec(tmp_path / "bad.json")
