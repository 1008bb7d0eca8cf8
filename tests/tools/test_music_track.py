"""The user's music track in the storyboard: checked and kept, named in the settings, carried
into the render spec, and the style's mood whenever there is no track."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelestate.core.errors import MusicTrackError
from reelestate.render.spec import load_spec
from reelestate.tools.music import display_name, kit_music, music_track_from_file, set_music_track
from reelestate.tools.script import write_script
from reelestate.tools.storyboard import plan_storyboard, to_render_spec, write_render_spec
from reelestate.tools.storyboard_ops import SetMusicOp, SetStyleOp
from tests import music_files as mf
from tests.tools.test_storyboard import LISTING, NOW, _history, _photos

MAX_MB = 100


@pytest.fixture(scope="module")
def track_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mf.music(tmp_path_factory.mktemp("music") / "Summer Breeze.mp3", 12.0)


def test_a_checked_track_is_kept_under_its_real_type(track_file: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "upload-1234"
    disguised.write_bytes(track_file.read_bytes())
    track = music_track_from_file(
        disguised, name="Summer Breeze.wav", keep_in=tmp_path / "kept", max_mb=MAX_MB
    )
    assert track.name == "Summer Breeze.wav"
    assert track.path.parent == (tmp_path / "kept").resolve()
    assert track.path.name.startswith("Summer-Breeze-") and track.path.suffix == ".mp3"
    assert track.path.read_bytes() == track_file.read_bytes()
    assert track.info.container == "mp3"
    again = music_track_from_file(
        disguised, name="Summer Breeze.wav", keep_in=tmp_path / "kept", max_mb=MAX_MB
    )
    assert again == track and len(list((tmp_path / "kept").iterdir())) == 1


def test_without_a_folder_the_track_stays_where_it_is(track_file: Path) -> None:
    track = music_track_from_file(track_file, max_mb=MAX_MB)
    assert (track.path, track.name) == (track_file.resolve(), "Summer Breeze.mp3")


def test_the_size_limit_comes_from_the_settings(
    track_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelestate.core.settings import get_settings  # noqa: PLC0415

    monkeypatch.setenv("REELESTATE_MAX_MUSIC_MB", "1")
    get_settings.cache_clear()
    big = track_file.with_name("big.wav")
    mf.music(big, 12.0)  # about 2 MB of WAV
    with pytest.raises(MusicTrackError, match="at most 1 MB"):
        music_track_from_file(big, max_mb=get_settings().max_music_mb)


def test_names_are_made_safe_to_show() -> None:
    assert display_name("../../etc/Song\x00\n.mp3") == "Song .mp3"
    assert display_name("C:\\Users\\me\\tune.m4a") == "tune.m4a"
    assert display_name("") == "music track"
    assert len(display_name("x" * 500)) == 120


def test_setting_a_track_makes_a_version_that_renders_it(track_file: Path, tmp_path: Path) -> None:
    history = _history("luxury")
    assert history.current.settings.music_track is None
    script = write_script(LISTING, _photos(), style="luxury", length_seconds=30, seed=1)
    default = to_render_spec(history.current, LISTING, script)
    assert default.music is not None
    assert (default.music.path, default.music.mood) == (None, "elegant")

    track = music_track_from_file(track_file, max_mb=MAX_MB)
    with_track = set_music_track(history, track, author="ann", now=NOW)
    current = with_track.current
    assert current.number == 2 and current.reason == "music: Summer Breeze.mp3"
    assert current.settings.music_track == track and current.scenes == history.current.scenes
    assert set_music_track(with_track, track, author="ann") is with_track
    spec = to_render_spec(current, LISTING, script)
    assert spec.music is not None and spec.music.path == track.path
    assert spec.music.duck

    out = write_render_spec(spec, tmp_path / "storyboard.json")
    raw = json.loads(out.read_text())
    assert Path(raw["music"]["path"]).name == track_file.name
    loaded = load_spec(out)
    assert loaded.music is not None and loaded.music.path == track_file.resolve()

    styled = with_track.apply(SetStyleOp(style="cozy"), author="ann")
    assert styled.current.settings.music_track == track
    moody = styled.apply(SetMusicOp(mood="upbeat"), author="ann")
    assert moody.current.settings.music_track is None
    assert moody.current.settings.music_mood == "upbeat"
    back = set_music_track(with_track, None, author="ann")
    assert back.current.reason == "music: generated elegant bed"
    assert to_render_spec(back.current, LISTING, script).music.path is None  # type: ignore[union-attr]


def test_a_history_with_a_track_round_trips(track_file: Path) -> None:
    history = set_music_track(
        _history(), music_track_from_file(track_file, max_mb=MAX_MB), author="ann"
    )
    assert type(history).from_json(history.to_json()) == history


def test_a_plan_keeps_the_track_it_was_given(track_file: Path) -> None:
    photos = _photos()
    script = write_script(LISTING, photos, style="cozy", length_seconds=30, seed=1)
    track = music_track_from_file(track_file, max_mb=MAX_MB)
    base = plan_storyboard(LISTING, photos, script).current.settings
    history = plan_storyboard(
        LISTING, photos, script, settings=base.model_copy(update={"music_track": track})
    )
    assert history.current.settings.music_track == track


def test_kit_music_reads_what_the_kit_stored(track_file: Path) -> None:
    track = music_track_from_file(track_file, max_mb=MAX_MB)
    assert kit_music({"music": track.model_dump(mode="json")}) == track
    assert kit_music({}) is None
    assert kit_music({"music": {"path": "x"}}) is None
