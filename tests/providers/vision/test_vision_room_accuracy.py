"""Room accuracy on photos of houses the model never saw, against its card's figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelestate.providers.vision.room_input import load_room_photo
from reelestate.providers.vision.rooms import RoomClassifier, default_model_dir

FIXTURES = Path(__file__).parents[2] / "fixtures" / "rooms"
LABELS = {"frontal": "exterior", "kitchen": "kitchen", "bedroom": "bedroom", "bathroom": "bathroom"}
MARGIN = 0.04
"""Allowed drop below the card's figure: about two photos of the fixture's sixty."""


@pytest.fixture(scope="module")
def metrics() -> dict[str, dict[str, float]]:
    return json.loads((default_model_dir() / "rooms-metrics.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def predictions() -> list[tuple[str, str, float]]:
    paths = sorted(FIXTURES.glob("*.jpg"))
    photos = [load_room_photo(p) for p in paths]
    found = RoomClassifier().predict(photos)
    truth = [LABELS[p.stem.split("_", 1)[1]] for p in paths]
    return [(t, f.room, f.confidence) for t, f in zip(truth, found, strict=True)]


def test_the_fixture_is_the_card_s_held_out_subset(
    metrics: dict[str, dict[str, float]], predictions: list[tuple[str, str, float]]
) -> None:
    houses = {int(p.stem.split("_")[0]) for p in FIXTURES.glob("*.jpg")}
    assert houses == set(metrics["fixture"]["houses"])  # type: ignore[call-overload]
    assert len(predictions) == metrics["fixture"]["photos"] >= 50


def test_top1_accuracy_on_unseen_houses_meets_the_card(
    metrics: dict[str, dict[str, float]], predictions: list[tuple[str, str, float]]
) -> None:
    model = RoomClassifier()
    probabilities = model.logits(
        [load_room_photo(p) for p in sorted(FIXTURES.glob("*.jpg"))]
    ).argmax(axis=1)
    truth = [t for t, _, _ in predictions]
    top1 = sum(model.info.labels[i] == t for i, t in zip(probabilities, truth, strict=True)) / len(
        truth
    )
    assert top1 >= metrics["fixture"]["accuracy"] - MARGIN
    assert top1 >= metrics["test"]["accuracy"] - MARGIN


def test_photos_not_marked_unsure_are_right_and_unsure_stays_rare(
    metrics: dict[str, dict[str, float]], predictions: list[tuple[str, str, float]]
) -> None:
    sure = [(truth, room) for truth, room, _ in predictions if room != "unsure"]
    precision = sum(truth == room for truth, room in sure) / len(sure)
    unsure_rate = 1 - len(sure) / len(predictions)
    assert precision >= metrics["fixture"]["selective_precision"] - MARGIN
    assert unsure_rate <= 0.10 + MARGIN


def test_unsure_is_exactly_the_low_confidence_photos(
    predictions: list[tuple[str, str, float]],
) -> None:
    threshold = RoomClassifier().info.unsure_below
    for _, room, confidence in predictions:
        assert (room == "unsure") == (confidence < threshold)
