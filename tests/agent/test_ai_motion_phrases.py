"""Asking for AI motion in plain words: which scene, which model, and turning it off."""

from __future__ import annotations

import pytest

from reelestate.agent.rules.requests import understand
from reelestate.core.settings import get_settings
from reelestate.tools.ai_motion import choose_ai_scenes
from reelestate.tools.storyboard_ops import SetAiMotionOp, SetVoiceOp
from tests.agent.phrase_table import table_version


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("use AI motion on the kitchen", [SetAiMotionOp(scene=2, model="kling-1.6-standard")]),
        ("animate scene 3 with Luma", [SetAiMotionOp(scene=3, model="luma-dream-machine")]),
        (
            "AI video on the exterior with kling pro",
            [SetAiMotionOp(scene=1, model="kling-1.6-pro")],
        ),
        ("no AI motion on the kitchen", [SetAiMotionOp(scene=2, model=None)]),
        (
            "add AI motion",
            [
                SetAiMotionOp(scene=1, model="kling-1.6-standard"),
                SetAiMotionOp(scene=2, model="kling-1.6-standard"),
                SetAiMotionOp(scene=3, model="kling-1.6-standard"),
            ],
        ),
    ],
)
def test_ai_motion_phrases_become_operations(phrase: str, expected: list[SetAiMotionOp]) -> None:
    result = understand(phrase, table_version())
    assert result.ops == expected
    assert result.problems == []


def test_ai_motion_on_a_room_that_is_not_there_is_a_problem_not_a_guess() -> None:
    result = understand("use AI motion on the garage", table_version())
    assert result.ops == []
    assert result.problems == ["no scene is labelled 'garage'"]


def test_the_default_model_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELESTATE_AI_VIDEO_MODEL", "minimax-video-01")
    get_settings.cache_clear()
    model = get_settings().ai_video_model
    result = understand("use AI motion on the kitchen", table_version(), ai_video_model=model)
    assert result.ops == [SetAiMotionOp(scene=2, model="minimax-video-01")]


def test_best_suited_scenes_skip_unsure_rooms_and_keep_video_order() -> None:
    scenes = table_version().scenes
    assert choose_ai_scenes(scenes, 3) == [1, 2, 3]  # exterior, kitchen, living room
    assert choose_ai_scenes(scenes, 1) == [1]
    assert choose_ai_scenes(scenes, 40) == [1, 2, 3, 4, 5, 6]  # never the "other" scene 7
    assert choose_ai_scenes(scenes, 0) == []


@pytest.mark.parametrize(
    ("phrase", "voice"),
    [
        ("use the ElevenLabs voice", "elevenlabs"),
        ("narrate it with OpenAI", "openai"),
        ("switch back to the built-in voice", "espeak"),
    ],
)
def test_a_voice_provider_can_be_asked_for_by_name(phrase: str, voice: str) -> None:
    assert understand(phrase, table_version()).ops == [SetVoiceOp(voice=voice)]
