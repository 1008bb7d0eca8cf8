"""A music file sent in a conversation: refused with the check's reason, or made the bed of
the storyboard (now or when it is planned), and what the renderer is then asked to play."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from reelestate.agent.brains.llm import conversation_data, model_messages
from reelestate.agent.events import ApprovalRequest, ErrorEvent, RunnerEvent, StoryboardReady
from reelestate.agent.runner import Runner
from reelestate.agent.state import music_track_of
from tests import music_files as mf
from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos, of_type, say, texts
from tests.agent.test_conversations import open_runner


async def send_music(
    runner: Runner, path: Path, text: str = "", *, thread: str = "t1"
) -> list[RunnerEvent]:
    return [e async for e in runner.send(thread, "ann", text, music=path)]


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tracks")
    return {
        "good": mf.music(folder / "Porch Song.mp3", 12.0),
        "other": mf.music(folder / "Second Song.ogg", 11.0, freq=660, extra=("-c:a", "libvorbis")),
        "short": mf.music(folder / "jingle.wav", 4.0),
        "text": mf.text_as_mp3(folder / "lyrics.mp3"),
    }


async def test_a_track_before_the_photos_is_used_when_the_storyboard_is_planned(
    tracks: dict[str, Path],
) -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        refused = await send_music(runner, tracks["short"])
        errors = of_type(refused, "error")
        assert isinstance(errors[0], ErrorEvent)
        assert errors[0].message == "The track is 4 s long; music beds need at least 10 s."
        assert music_track_of(await runner.state("t1")) is None

        bad = of_type(await send_music(runner, tracks["text"]), "error")
        assert isinstance(bad[0], ErrorEvent) and bad[0].code == "unsupported_media"

        taken = await send_music(runner, tracks["good"])
        assert "Your track Porch Song.mp3 (0:12) is now the music bed" in texts(taken)
        assert of_type(taken, "question"), "still asks for the photos and facts"
        kept = music_track_of(await runner.state("t1"))
        assert kept is not None and kept.path.is_file() and kept.path.suffix == ".mp3"
        assert kept.path.read_bytes() == tracks["good"].read_bytes()
        assert "conversations" in kept.path.parts

        await say(runner, "", listing_photos())
        events = await say(runner, FACTS)
        ready = of_type(events, "storyboard_ready")
        assert isinstance(ready[0], StoryboardReady) and ready[0].music == "“Porch Song.mp3”"
        preview = renderer.requests[-1].spec
        assert preview.music is not None and preview.music.path == kept.path
        assert preview.music.duck


async def test_a_track_at_the_approval_makes_a_new_version(tracks: dict[str, Path]) -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        history = await runner.storyboard("t1")
        assert history is not None and history.current.settings.music_track is None
        first = renderer.requests[-1].spec.music
        assert first is not None and first.path is None

        events = await send_music(runner, tracks["other"], "approve")
        history = await runner.storyboard("t1")
        assert history is not None and history.current.number == 2
        assert history.current.reason == "music: Second Song.ogg"
        assert not renderer.finals, "a message with a track is not an approval"
        approval = events[-1]
        assert isinstance(approval, ApprovalRequest) and approval.version == 2
        track = history.current.settings.music_track
        assert track is not None and track.info.codec == "vorbis"
        played = renderer.requests[-1].spec.music
        assert played is not None and played.path == track.path

        refused = await send_music(runner, tracks["short"])
        assert of_type(refused, "error")
        history = await runner.storyboard("t1")
        assert history is not None and history.current.number == 2

        await say(runner, "calmer music")
        history = await runner.storyboard("t1")
        assert history is not None and history.current.settings.music_track is None
        assert history.current.settings.music_mood == "calm"

        await say(runner, "/approve")
        final = renderer.finals[-1].spec.music
        assert final is not None and final.path is None


async def test_the_language_model_is_told_of_the_track_but_not_its_path(
    tracks: dict[str, Path],
) -> None:
    renderer = RecordingRenderer()
    async with open_runner(renderer) as runner:
        await say(runner, FACTS, listing_photos())
        await send_music(runner, tracks["good"])
        state = await runner.state("t1")
        history = await runner.storyboard("t1")
    data = conversation_data(state, history)
    assert data["storyboard"]["own_music_track"] is True
    assert "music_track" not in data["storyboard"]["settings"]
    assert "conversations" not in str(data)
    human = [m for m in model_messages(state, history) if isinstance(m, HumanMessage)]
    assert "sent a music track" in str(human[-1].content)
