"""Music sent to the bot, as an audio message or as an audio file: refused with the check's
reason, or made the music bed the storyboard's renders play."""

from __future__ import annotations

from pathlib import Path

from tests import music_files as mf
from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos
from tests.bots import updates
from tests.bots.harness import ANN, bot_under_test


async def test_an_audio_file_becomes_the_music_bed(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    jingle = mf.music(tmp_path / "jingle.mp3", 4.0)
    lyrics = mf.text_as_mp3(tmp_path / "lyrics.mp3")
    song = mf.music(tmp_path / "Porch Song.m4a", 12.0, extra=("-c:a", "aac"))
    async with bot_under_test(tmp_path, renderer) as t:
        t.send(updates.audio(ANN, t.api.host_file(jingle.read_bytes(), jingle.name), jingle.name))
        await t.wait_for_text(ANN, "music beds need at least 10 s")

        hosted = t.api.host_file(lyrics.read_bytes(), lyrics.name)
        t.send(updates.document(ANN, hosted, lyrics.name, mime_type="audio/mpeg"))
        await t.wait_for_text(ANN, "not audio we can read")

        huge = {**t.api.host_file(b"x", "huge.wav"), "file_size": 60 * 1024 * 1024}
        t.send(updates.audio(ANN, huge, "huge.wav", mime_type="audio/wav"))
        await t.wait_for_text(ANN, "huge\\.wav is 60 MB")

        hosted = t.api.host_file(song.read_bytes(), song.name)
        t.send(updates.document(ANN, hosted, song.name, mime_type="audio/mp4"))
        await t.wait_for_text(ANN, "is now the music bed")

        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Render the final video")
        assert any("Your track Porch Song\\.m4a" in x for x in t.texts(ANN))
        assert any("Storyboard v1" in x and "“Porch Song\\.m4a” music" in x for x in t.texts(ANN))
        spec = renderer.requests[-1].spec
        assert spec.music is not None and spec.music.path is not None
        assert spec.music.path.read_bytes() == song.read_bytes()
        assert not list((t.settings.data_dir / "telegram").rglob("incoming/*/*")), "cleaned up"
