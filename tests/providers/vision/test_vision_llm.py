"""The LLM vision analyser against a local server speaking `/v1/chat/completions`."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from tests.support.fake_openai import FakeOpenAI, Reply, failure, say

from reelestate.core.settings import Settings
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser
from reelestate.providers.vision.factory import get_photo_analyser
from reelestate.providers.vision.llm import LLMPhotoAnalyser

PHOTOS = Path(__file__).parents[2] / "fixtures" / "photos" / "house107"
PATHS = [PHOTOS / "kitchen.jpg", PHOTOS / "bedroom.jpg"]


def _settings(base_url: str) -> Settings:
    return Settings(
        OPENAI_API_KEY="sk-vision-secret",
        OPENAI_BASE_URL=base_url,
        OPENAI_VISION_MODEL="vision-test",
        OPENAI_TIMEOUT_S=5,
    )


def _answer(room: str, confidence: float) -> Reply:
    return say(json.dumps({"room": room, "confidence": confidence}))


def fake_openai(replies: list[Reply]) -> FakeOpenAI:
    """The server answering `replies` in turn, the last one to every later request."""
    return FakeOpenAI(replies, repeat_last=True)


def test_the_factory_picks_the_llm_only_with_a_key() -> None:
    assert isinstance(get_photo_analyser(Settings()), EmbeddedPhotoAnalyser)
    assert isinstance(get_photo_analyser(Settings(OPENAI_API_KEY="")), EmbeddedPhotoAnalyser)
    assert isinstance(get_photo_analyser(_settings("http://127.0.0.1:9/v1")), LLMPhotoAnalyser)


def test_rooms_come_from_the_model_and_photos_travel_as_data_urls() -> None:
    with fake_openai([_answer("living_room", 0.91), _answer("bedroom", 0.88)]).running() as server:
        analyser = get_photo_analyser(_settings(server.base_url))
        results = analyser.analyse(PATHS)
    assert [(r.room, r.room_confidence, r.analyser) for r in results] == [
        ("living_room", 0.91, "llm"),
        ("bedroom", 0.88, "llm"),
    ]
    assert len(server.requests) == 2
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "vision-test"
    assert request["response_format"]["type"] == "json_schema"
    image = request["messages"][1]["content"][1]
    assert image["type"] == "image_url"
    assert image["image_url"]["url"].startswith("data:image/jpeg;base64,/9j/")
    assert server.headers[0]["authorization"] == "Bearer sk-vision-secret"
    local = EmbeddedPhotoAnalyser().analyse(PATHS)
    assert [r.sharpness for r in results] == [r.sharpness for r in local]
    assert [r.focal_point for r in results] == [r.focal_point for r in local]


def test_a_low_confidence_answer_becomes_unsure() -> None:
    with fake_openai([_answer("kitchen", 0.35)]).running() as server:
        results = get_photo_analyser(_settings(server.base_url)).analyse(PATHS[:1])
    assert (results[0].room, results[0].room_confidence) == ("unsure", 0.35)


@pytest.mark.parametrize(
    "reply",
    [
        say("the room is a kitchen {"),
        say(json.dumps({"room": "garage", "confidence": 0.9})),
        say(json.dumps({"room": "kitchen", "confidence": 7})),
        failure(500, "upstream exploded"),
    ],
    ids=["malformed-json", "unknown-room", "confidence-out-of-range", "http-500"],
)
def test_a_failing_model_falls_back_to_the_embedded_classifier(
    reply: Reply, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with fake_openai([reply]).running() as server:
        results = get_photo_analyser(_settings(server.base_url)).analyse(PATHS)
    local = EmbeddedPhotoAnalyser().analyse(PATHS)
    assert [r.analyser for r in results] == ["embedded", "embedded"]
    assert [(r.room, r.room_confidence) for r in results] == [
        (r.room, r.room_confidence) for r in local
    ]
    assert 1 <= len(server.requests) <= 2
    assert "using the embedded classifier" in caplog.text
    assert "sk-vision-secret" not in caplog.text


def test_a_batch_with_a_bad_photo_still_asks_about_the_good_ones(tmp_path: Path) -> None:
    with fake_openai([_answer("kitchen", 0.97)]).running() as server:
        batch = get_photo_analyser(_settings(server.base_url)).analyse_batch(
            [tmp_path / "gone.jpg", PATHS[0]]
        )
    assert [f.index for f in batch.failures] == [0]
    assert [(r.index, r.room) for r in batch.results] == [(1, "kitchen")]
    assert len(server.requests) == 1
